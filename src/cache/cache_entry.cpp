#include "cache/cache_entry.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <random>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/BLAKE3.h>
#include <llvm/Support/Endian.h>
#include <llvm/Support/raw_ostream.h>

#include "support/error.h"
#include "support/unique_fd.h"

namespace probecc {
namespace {

constexpr llvm::StringLiteral kMagic("PRBCCENT");  // 8 bytes
constexpr uint64_t kFormat = 1;
using Hash = llvm::BLAKE3Result<32>;

// magic | format (u64 LE) | payload size (u64 LE) | key hash | content hash (payload + key hash)
constexpr size_t kTrailerSize = 8 + 8 + 8 + 32 + 32;

Hash keyHash(llvm::StringRef key) { return llvm::BLAKE3::hash(llvm::arrayRefFromStringRef(key)); }

Hash contentHash(llvm::StringRef payload, const Hash &key) {
  llvm::BLAKE3 hasher;
  hasher.update(payload);
  hasher.update(key);
  return hasher.final();
}

std::string trailer(llvm::StringRef payload, llvm::StringRef key) {
  std::string out(kMagic);
  char number[8];
  llvm::support::endian::write64le(number, kFormat);
  out.append(number, 8);
  llvm::support::endian::write64le(number, payload.size());
  out.append(number, 8);
  const Hash k = keyHash(key);
  const Hash c = contentHash(payload, k);
  out.append(reinterpret_cast<const char *>(k.data()), k.size());
  out.append(reinterpret_cast<const char *>(c.data()), c.size());
  return out;
}

// Why the bytes of a file are not a valid entry for `key`, or "" if they are.
std::string verify(llvm::StringRef bytes, llvm::StringRef key, size_t &payloadSize) {
  if (bytes.size() < kTrailerSize) return "truncated";
  const llvm::StringRef t = bytes.take_back(kTrailerSize);
  if (!t.starts_with(kMagic)) return "truncated or not a probecc cache entry";
  if (llvm::support::endian::read64le(t.data() + 8) != kFormat) return "written by another probecc version";
  payloadSize = llvm::support::endian::read64le(t.data() + 16);
  if (payloadSize != bytes.size() - kTrailerSize) return "truncated";
  const Hash k = keyHash(key);
  if (std::memcmp(t.data() + 24, k.data(), k.size()) != 0) return "stored under another key";
  const Hash c = contentHash(bytes.take_front(payloadSize), k);
  if (std::memcmp(t.data() + 56, c.data(), c.size()) != 0) return "content hash mismatch (modified or corrupt)";
  return "";
}

void reject(const std::string &path, const std::string &why, Diagnostics &diagnostics) {
  diagnostics.warning("rejecting cache entry " + path + ": " + why + "; rebuilding it");
  unlink(path.c_str());
}

llvm::Error writeAll(int fd, llvm::StringRef bytes) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return makeError(llvm::Twine("cannot write cache entry: ") + std::strerror(errno));
    bytes = bytes.drop_front(n);
  }
  return llvm::Error::success();
}

}  // namespace

std::string cacheEntryName(llvm::StringRef prefix, llvm::StringRef key, llvm::StringRef extension) {
  const Hash hash = keyHash(key);
  return (prefix + "-" + llvm::toHex(llvm::ArrayRef(hash.data(), 16), /*LowerCase=*/true) + "." + extension).str();
}

std::optional<CacheEntry> readCacheEntry(const std::string &dir, const std::string &name, llvm::StringRef key,
                                         Diagnostics &diagnostics) {
  const std::string path = dir + "/" + name;
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (!fd) {
    if (errno != ENOENT) reject(path, std::string("cannot open it: ") + std::strerror(errno), diagnostics);
    return std::nullopt;
  }
  struct stat st {};
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    reject(path, "not a regular file", diagnostics);
    return std::nullopt;
  }
  if (st.st_uid != geteuid()) {
    reject(path, "owned by uid " + std::to_string(st.st_uid) + ", not " + std::to_string(geteuid()), diagnostics);
    return std::nullopt;
  }
  if (st.st_mode & 077) {
    reject(path, "readable or writable by others", diagnostics);
    return std::nullopt;
  }
  auto buffer = llvm::MemoryBuffer::getOpenFile(fd.get(), path, st.st_size, /*RequiresNullTerminator=*/false);
  if (!buffer) {
    reject(path, "cannot read it: " + buffer.getError().message(), diagnostics);
    return std::nullopt;
  }
  size_t payloadSize = 0;
  if (const auto why = verify((*buffer)->getBuffer(), key, payloadSize); !why.empty()) {
    reject(path, why, diagnostics);
    return std::nullopt;
  }
  return CacheEntry(std::move(*buffer), payloadSize);
}

llvm::Error writeCacheEntry(const std::string &dir, const std::string &name, llvm::StringRef key,
                            llvm::StringRef payload) {
  std::random_device random;
  const std::string temp = dir + "/" + name + ".tmp." + std::to_string(getpid()) + "." + std::to_string(random());
  UniqueFd fd(open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) return makeError("cannot create " + temp + ": " + std::strerror(errno));
  auto error = writeAll(fd.get(), payload);
  if (!error) error = writeAll(fd.get(), trailer(payload, key));
  if (!error && fsync(fd.get()) != 0) error = makeError("cannot sync " + temp + ": " + std::strerror(errno));
  fd.reset();
  if (!error && rename(temp.c_str(), (dir + "/" + name).c_str()) != 0)
    error = makeError("cannot rename " + temp + ": " + std::strerror(errno));
  if (error) unlink(temp.c_str());
  return error;
}

}  // namespace probecc
