#pragma once
// compileProgram() through the object cache: a program compiled before, with the same source,
// flags, kernel and probecc, is loaded from the cache without starting (or even loading) the
// compiler; anything else loads libprobecc-compiler.so, compiles, and stores the result.
#include <string>

#include <llvm/Support/Error.h>

#include "program/compiled_program.h"
#include "support/diagnostics.h"

namespace probecc {

struct CacheSettings {
  bool enabled = true;  // --no-cache: false
  std::string dir;      // cacheDirFromEnvironment()
};

struct CacheOutcome {
  CompiledProgram program;
  bool storedNow = false;  // compiled by this run and stored: a rerun would find it (lean_restart.h)
};

llvm::Expected<CacheOutcome> compileThroughCache(ProgramRequest request, const CacheSettings &cache,
                                                 Diagnostics &diagnostics);

// What the precompiled kernel types are keyed by: kernelKey() and the compiler build (a rebuilt
// compiler may precompile differently).
llvm::Expected<std::string> kernelTypesKey(const KernelTypes &kernel);

}  // namespace probecc
