#pragma once
// Source → BPF object in memory, as one named list of steps (compile_program.cpp).
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>

#include "program/compiled_program.h"

namespace probecc {

// When the precompiled kernel types were wanted but the cache (request.cacheDir) lacks them, the
// program is compiled without them and *kernelPchMissing (if given) is set.
llvm::Expected<CompiledProgram> compileProgram(ProgramRequest request, bool *kernelPchMissing = nullptr);

// The names of the steps, in order (--emit llvm:STEP prints the IR after one).
std::vector<std::string_view> compileStepNames();

// Precompiles request.kernel's types into request.cacheDir (under request.kernelKey), if not there.
llvm::Error buildKernelTypes(const ProgramRequest &request);

}  // namespace probecc
