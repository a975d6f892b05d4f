#pragma once
// One cache entry: a file in the cache directory holding a payload, followed by a trailer with
// the payload's size, a hash of the key it was stored under, and a BLAKE3 hash of both. Entries
// are written to a temporary file and renamed into place, so a reader sees a whole entry or none.
#include <memory>
#include <optional>
#include <string>

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>

#include "support/diagnostics.h"

namespace probecc {

class CacheEntry {
public:
  explicit CacheEntry(std::unique_ptr<llvm::MemoryBuffer> file, size_t payloadSize)
      : file_(std::move(file)), payloadSize_(payloadSize) {}
  llvm::StringRef payload() const { return file_->getBuffer().take_front(payloadSize_); }

private:
  std::unique_ptr<llvm::MemoryBuffer> file_;
  size_t payloadSize_;
};

// The entry `name` in `dir` if it exists and passes every check: a regular file owned by the
// effective user and private to it, whole, unmodified, and stored under `key`. An entry that
// fails a check is reported (a warning) and removed (the caller rebuilds it); nullopt then.
std::optional<CacheEntry> readCacheEntry(const std::string &dir, const std::string &name, llvm::StringRef key,
                                         Diagnostics &diagnostics);

// Stores `payload` as entry `name` under `key`, atomically replacing any previous entry.
llvm::Error writeCacheEntry(const std::string &dir, const std::string &name, llvm::StringRef key,
                            llvm::StringRef payload);

// A file name for `key` ("PREFIX-<hex>.EXT"); different keys give different names.
std::string cacheEntryName(llvm::StringRef prefix, llvm::StringRef key, llvm::StringRef extension);

}  // namespace probecc
