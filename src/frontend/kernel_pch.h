#pragma once
// The preamble and kernel types, precompiled once per kernel into a Clang precompiled header kept
// in the cache, so that later compiles parse only the program.
#include <optional>
#include <string>

#include <llvm/Support/Error.h>

#include "cache/cache_entry.h"
#include "frontend/clang_compiler.h"

namespace probecc {

// The cached precompiled header for `request`'s kernel types, built (and stored) if missing; on a
// miss in BTF mode this dumps request.vmlinuxHeader first. `kernelKey`: kernelKey() of the types.
// nullopt (after a warning) when the cache cannot hold it: compile without one then.
llvm::Expected<std::optional<CacheEntry>> kernelTypesPch(CompileRequest &request, const std::string &cacheDir,
                                                         const std::string &kernelKey);

}  // namespace probecc
