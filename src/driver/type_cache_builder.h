#pragma once
// Precompiling the kernel types (kernel_pch.h) takes most of a second, more than the rest of a
// run: a run that finds them missing compiles without them and leaves the build to a detached
// probecc process (own session, lowest priority, silent but for one line on stderr if it fails),
// which holds the builder lock (cache/builder_lock.h) until it has stored them and exits.
#include <string>

#include <llvm/Support/Error.h>

#include "cache/builder_lock.h"
#include "program/kernel_types.h"

namespace probecc {

// The hidden option that makes probecc a builder; its lock arrives as file descriptor 3.
inline constexpr const char *kBuildTypeCacheOption = "internal-build-type-cache";

// Starts the builder for `kernel` and hands it `lock`; returns once it runs, not when it is done.
llvm::Error startTypeCacheBuilder(BuilderLock lock, const KernelTypes &kernel);

// The builder's work (probecc --internal-build-type-cache): an exit status.
int runTypeCacheBuilder(const KernelTypesRequest &kernel, const std::string &cacheDir);

}  // namespace probecc
