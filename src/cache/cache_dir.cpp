#include "cache/cache_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/raw_ostream.h>

#include "cache/builder_lock.h"
#include "support/error.h"
#include "support/owned.h"
#include "support/unique_fd.h"

namespace probecc {
namespace {

llvm::Error systemError(const std::string &what, const std::string &path) {
  return makeError("cache directory " + path + ": " + what + ": " + std::strerror(errno));
}

// Names in `dirFd`, without "." and "..".
llvm::Expected<std::vector<std::string>> listNames(int dirFd, const std::string &path) {
  const int copy = dup(dirFd);
  if (copy < 0) return systemError("cannot read", path);
  OwnedDir dir(fdopendir(copy));
  if (!dir) {
    close(copy);
    return systemError("cannot read", path);
  }
  rewinddir(dir.get());
  std::vector<std::string> names;
  while (dirent *entry = readdir(dir.get())) {
    const llvm::StringRef name(entry->d_name);
    if (name != "." && name != "..") names.push_back(name.str());
  }
  return names;
}

// The directory's names, if every one is a file probecc could have put there; an error otherwise,
// so a mistaken PROBECC_CACHE_DIR never costs the user their files.
llvm::Expected<std::vector<std::string>> cacheFilesIn(int dirFd, const std::string &path) {
  auto names = listNames(dirFd, path);
  if (!names) return names.takeError();
  for (const auto &name : *names) {
    struct stat st {};
    if (fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // gone meanwhile
    if (S_ISDIR(st.st_mode) || !isCacheFileName(name))
      return makeError("holds '" + name + "', which probecc did not put there: not using it as a cache");
  }
  return names;
}

llvm::Error emptyDir(int dirFd, const std::string &path) {
  auto names = cacheFilesIn(dirFd, path);
  if (!names) return makeError("cache directory " + path + " " + llvm::toString(names.takeError()));
  for (const auto &name : *names)
    if (unlinkat(dirFd, name.c_str(), 0) != 0 && errno != ENOENT) return systemError("cannot remove " + name, path);
  return llvm::Error::success();
}

}  // namespace

std::string cacheDirFromEnvironment() {
  const char *env = std::getenv("PROBECC_CACHE_DIR");
  if (env && *env) return env;
  if (geteuid() == 0) return kDefaultCacheDir;
  // Another user's cache is the user's own: $XDG_CACHE_HOME/probecc, else ~/.cache/probecc.
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return std::string(xdg) + "/probecc";
  const char *home = std::getenv("HOME");
  const passwd *user = getpwuid(geteuid());
  // $HOME may still be root's (sudo -u, setpriv): the password database's is this user's.
  std::string dir = user && user->pw_dir ? user->pw_dir : "";
  if (home && *home == '/' && (dir.empty() || access(home, W_OK) == 0)) dir = home;
  return dir + "/.cache/probecc";
}

bool isCacheFileName(const std::string &name) {
  const llvm::StringRef n(name);
  return n.ends_with(".pch") || n.ends_with(".obj") || n.contains(".tmp.") || n == kBuilderLockName;
}

llvm::Error prepareCacheDir(const std::string &dir, Diagnostics &diagnostics) {
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    if (errno == EROFS) return makeError("cache directory " + dir + " cannot be created: a read-only file system");
    if (errno != ENOENT) return systemError("cannot create", dir);
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(dir).parent_path(), ec);
    if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return systemError("cannot create", dir);
  }
  UniqueFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return systemError("cannot open (a symlink or not a directory?)", dir);
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return systemError("cannot stat", dir);
  // Entries are neither written nor trusted there (one message: nothing is repaired or rebuilt).
  struct statvfs fs {};
  if (fstatvfs(fd.get(), &fs) == 0 && (fs.f_flag & ST_RDONLY))
    return makeError("cache directory " + dir + " is on a read-only file system");
  const uid_t owner = geteuid();
  const unsigned mode = st.st_mode & 07777;
  // Only the owner can add or replace entries (as with `mkdir`'s 0755): as safe as 0700, since
  // every entry is itself checked to be the owner's and private to it.
  if (st.st_uid == owner && (mode & 07022) == 0) {
    if (auto names = cacheFilesIn(fd.get(), dir); !names)
      return makeError("cache directory " + dir + " " + llvm::toString(names.takeError()));
    return llvm::Error::success();
  }
  // Only root takes a directory back; another user leaves one that is not theirs (root's) alone.
  if (owner != 0 && st.st_uid != owner)
    return makeError("cache directory " + dir + " belongs to uid " + std::to_string(st.st_uid) + ", not to uid " +
                     std::to_string(owner) + ": not using it (probecc --no-cache, or PROBECC_CACHE_DIR for a directory of your own)");

  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", mode);
  const std::string problem = "has owner uid " + std::to_string(st.st_uid) + " and mode " + octal +
                              " (expected uid " + std::to_string(owner) + " and 0700)";
  if (auto names = cacheFilesIn(fd.get(), dir); !names)
    return makeError("cache directory " + dir + " " + problem + " and " + llvm::toString(names.takeError()));
  diagnostics.warning("cache directory " + dir + " " + problem + ": discarding its entries and rebuilding it");
  // Take the directory back before emptying it, so nobody else can add files meanwhile.
  if (fchown(fd.get(), owner, getegid()) != 0) return systemError("cannot change owner", dir);
  if (fchmod(fd.get(), 0700) != 0) return systemError("cannot change mode", dir);
  return emptyDir(fd.get(), dir);
}

llvm::Error clearCacheDir(const std::string &dir) {
  UniqueFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return llvm::Error::success();
    return systemError("cannot open", dir);
  }
  // A builder still running would store its precompiled header after the clearing.
  if (auto names = cacheFilesIn(fd.get(), dir); !names) {
    return makeError("cache directory " + dir + " " + llvm::toString(names.takeError()));
  }
  auto builder = BuilderLock::acquire(dir);
  if (!builder) return builder.takeError();
  return emptyDir(fd.get(), dir);
}

}  // namespace probecc
