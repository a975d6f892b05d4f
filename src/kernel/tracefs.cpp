#include "kernel/tracefs.h"

#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "support/error.h"

namespace probecc {
namespace {
bool exists(const std::string &path) { return access(path.c_str(), F_OK) == 0; }
}  // namespace

llvm::Expected<std::string> ensureTracefs() {
  // libbpf prefers the debugfs path when it exists; use the same one it will use.
  for (const char *dir : {"/sys/kernel/debug/tracing", "/sys/kernel/tracing"})
    if (exists(std::string(dir) + "/trace_pipe")) return std::string(dir);
  // Mounted but not readable by this user (tracefs is mode 0700): mounted all the same. What needs
  // to read it says so (kernel/privileges.h); a kprobe-only program does not.
  const std::string dir = "/sys/kernel/tracing";
  struct statfs fs {};
  if (statfs(dir.c_str(), &fs) == 0 && fs.f_type == TRACEFS_MAGIC) return dir;
  if (mount("tracefs", dir.c_str(), "tracefs", 0, nullptr) != 0)
    return makeError("tracefs is not mounted and mounting it at " + dir + " failed: " + strerror(errno) +
                     (errno == EPERM ? " (mounting needs CAP_SYS_ADMIN; mount it once as root)" : ""));
  return dir;
}

std::string tracepointFormatPath(const std::string &tracefs, const std::string &categorySlashEvent) {
  return tracefs + "/events/" + categorySlashEvent + "/format";
}

bool tracepointExists(const std::string &tracefs, const std::string &categorySlashEvent) {
  return exists(tracefs + "/events/" + categorySlashEvent + "/id");
}

}  // namespace probecc
