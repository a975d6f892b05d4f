#pragma once
// compileProgram() through the object cache: a program compiled before, with the same source,
// flags, kernel and probecc, is loaded from the cache without starting (or even loading) the
// compiler; anything else loads libprobecc-compiler.so, compiles, and stores the result.
#include <string>

#include <llvm/Support/Error.h>

#include "driver/compile_program.h"

namespace probecc {

struct CacheSettings {
  bool enabled = true;  // --no-cache: false
  std::string dir;      // cacheDirFromEnvironment()
  // After compiling and caching, re-execute probecc to trace without the compiler mapped (see
  // lean_restart.h): for runs that trace, whose input can be read again, not already restarted.
  bool restartAfterCompile = false;
};

llvm::Expected<CompiledProgram> compileThroughCache(ProgramRequest request, const CacheSettings &cache);

// What the precompiled kernel types are keyed by: kernelKey() and the compiler build (a rebuilt
// compiler may precompile differently).
llvm::Expected<std::string> kernelTypesKey(const KernelTypes &kernel);

}  // namespace probecc
