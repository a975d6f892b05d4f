#pragma once
// Finds and loads libprobecc-compiler.so, next to the executable (build tree) or in
// ../lib/probecc/ (installed), only when a program must actually be compiled.
#include <string>

#include <llvm/Support/Error.h>

#include "program/compiled_program.h"

namespace probecc {

// The library's path, from /proc/self/exe ("" if it is nowhere to be found).
std::string compilerLibraryPath();

// Which compiler build would run (path, size, modification time), for cache keys.
std::string compilerIdentity();

// compileProgram() through the library: its answer (an error only if the library cannot run).
llvm::Expected<CompileOutcome> compileWithLibrary(const ProgramRequest &request);
// The program an answer holds, or its error.
llvm::Expected<CompiledProgram> programOf(CompileOutcome outcome);

// buildKernelTypes() through the library.
llvm::Error buildKernelTypesWithLibrary(const ProgramRequest &request);

}  // namespace probecc
