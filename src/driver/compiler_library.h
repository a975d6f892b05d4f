#pragma once
// Finds and loads libprobecc-compiler.so, next to the executable (build tree) or in
// ../lib/probecc/ (installed), only when a program must actually be compiled.
#include <string>

#include <llvm/Support/Error.h>

#include "driver/compile_program.h"

namespace probecc {

// The library's path, from /proc/self/exe ("" if it is nowhere to be found).
std::string compilerLibraryPath();

// Which compiler build would run (path, size, modification time), for cache keys.
std::string compilerIdentity();

// compileProgram() through the library.
llvm::Expected<CompiledProgram> compileWithLibrary(ProgramRequest request, bool *kernelPchMissing = nullptr);

// buildKernelTypes() through the library.
llvm::Error buildKernelTypesWithLibrary(const ProgramRequest &request);

}  // namespace probecc
