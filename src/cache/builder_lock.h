#pragma once
// One kernel-type-cache builder at a time: an exclusive flock on <cache>/kernel-types.lock, taken
// by a run that finds the precompiled kernel types missing and handed to the detached process that
// builds them (type_cache_builder.h), which holds it until it exits.
#include <optional>
#include <string>

#include <llvm/Support/Error.h>

#include "support/unique_fd.h"

namespace probecc {

inline constexpr const char *kBuilderLockName = "kernel-types.lock";

class BuilderLock {
public:
  // The lock, or nullopt if someone holds it (a builder, or a run that may start one).
  static llvm::Expected<std::optional<BuilderLock>> tryAcquire(const std::string &cacheDir);
  // Waits until no builder runs (--clear-cache must not race one).
  static llvm::Expected<BuilderLock> acquire(const std::string &cacheDir);
  // Whether `fd` is an open lock file of `cacheDir` (what a builder inherits).
  static bool isLockFile(int fd, const std::string &cacheDir);
  int fd() const { return fd_.get(); }

private:
  explicit BuilderLock(UniqueFd fd) : fd_(std::move(fd)) {}
  static llvm::Expected<std::optional<BuilderLock>> take(const std::string &cacheDir, bool wait);
  UniqueFd fd_;
};

}  // namespace probecc
