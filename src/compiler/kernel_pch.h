#pragma once
// The preamble and kernel types, precompiled once per kernel into a Clang precompiled header kept
// in the cache, so that later compiles parse only the program. Building one takes most of a
// second, so compiles only look it up; a detached process builds it (type_cache_builder.h).
#include <optional>
#include <string>

#include <llvm/Support/Error.h>

#include "cache/cache_entry.h"
#include "frontend/clang_compiler.h"

namespace probecc {

// The cached precompiled header for `request`'s kernel types, if there is a valid one.
// `kernelKey`: kernelKey() of the types (with the compiler's identity).
std::optional<CacheEntry> findKernelTypesPch(const CompileRequest &request, const std::string &cacheDir,
                                             const std::string &kernelKey, Diagnostics &diagnostics);

// Whether the cache has an entry for that header (not checked: findKernelTypesPch verifies it).
bool kernelTypesPchStored(const CompileRequest &request, const std::string &cacheDir, const std::string &kernelKey);

// Builds and stores that header unless it is there already (dumping vmlinux.h first in BTF mode).
llvm::Error buildKernelTypesPch(CompileRequest request, const std::string &cacheDir, const std::string &kernelKey,
                                Diagnostics &diagnostics);

}  // namespace probecc
