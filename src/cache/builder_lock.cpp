#include "cache/builder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "support/error.h"

namespace probecc {

llvm::Expected<std::optional<BuilderLock>> BuilderLock::take(const std::string &cacheDir, bool wait) {
  const std::string path = cacheDir + "/" + kBuilderLockName;
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) return makeError("cannot open " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return makeError(path + " is not a regular file");
  while (flock(fd.get(), LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
    if (errno == EINTR) continue;
    if (errno == EWOULDBLOCK) return std::nullopt;
    return makeError("cannot lock " + path + ": " + std::strerror(errno));
  }
  return BuilderLock(std::move(fd));
}

llvm::Expected<std::optional<BuilderLock>> BuilderLock::tryAcquire(const std::string &cacheDir) {
  return take(cacheDir, false);
}

llvm::Expected<BuilderLock> BuilderLock::acquire(const std::string &cacheDir) {
  auto lock = take(cacheDir, true);
  if (!lock) return lock.takeError();
  return std::move(**lock);
}

bool BuilderLock::isLockFile(int fd, const std::string &cacheDir) {
  struct stat held {}, named {};
  const std::string path = cacheDir + "/" + kBuilderLockName;
  return fstat(fd, &held) == 0 && lstat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
         held.st_ino == named.st_ino;
}

}  // namespace probecc
