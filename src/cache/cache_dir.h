#pragma once
// The cache directory. probecc runs as root and loads what the cache holds into the kernel, so the
// directory must belong to the effective user (root), writable by nobody else (0700, or 0755 as
// mkdir makes it); one that is not is rebuilt (emptied and taken back) or, if it does not look like
// a probecc cache, not used at all. One on a read-only file system is not used.
#include <string>

#include <llvm/Support/Error.h>

#include "support/diagnostics.h"

namespace probecc {

inline constexpr const char *kDefaultCacheDir = "/var/cache/probecc";

// $PROBECC_CACHE_DIR, else kDefaultCacheDir for root, else the user's own ($XDG_CACHE_HOME/probecc,
// ~/.cache/probecc).
std::string cacheDirFromEnvironment();

// Creates `dir` (mode 0700) or checks it; a wrong owner or mode is reported (a warning) and repaired
// by emptying the directory and resetting owner and mode (a user other than root never takes over
// a directory that is not theirs: an error). Error: the directory cannot be made
// trustworthy (a symlink, not a directory, or holding files that are not cache entries).
llvm::Error prepareCacheDir(const std::string &dir, Diagnostics &diagnostics);

// Removes every entry and leftover temporary file; the directory itself stays.
llvm::Error clearCacheDir(const std::string &dir);

// Whether `name` is a file probecc may have put in a cache directory.
bool isCacheFileName(const std::string &name);

}  // namespace probecc
