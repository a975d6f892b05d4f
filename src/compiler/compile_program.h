#pragma once
// Source → BPF object in memory, as one named list of steps (compile_program.cpp).

#include <llvm/Support/Error.h>

#include "program/compiled_program.h"
#include "support/diagnostics.h"

namespace probecc {

// When the precompiled kernel types were wanted but the cache (request.cacheDir) lacks them, the
// program is compiled without them and *kernelPchMissing (if given) is set.
// probecc's own messages (-v's lines, warnings) go to `diagnostics`; Clang's are printed as it prints them.
llvm::Expected<CompiledProgram> compileProgram(ProgramRequest request, Diagnostics &diagnostics,
                                               bool *kernelPchMissing = nullptr);
// The same, with messages on stderr.
llvm::Expected<CompiledProgram> compileProgram(ProgramRequest request);

// Precompiles request.kernel's types into request.cacheDir (under request.kernelKey), if not there.
llvm::Error buildKernelTypes(const ProgramRequest &request, Diagnostics &diagnostics);

}  // namespace probecc
