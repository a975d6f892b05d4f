#include "cache/kernel_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <llvm/Support/xxhash.h>

#include "support/error.h"
#include "support/file_identity.h"
#include "support/unique_fd.h"

namespace probecc {
namespace {

// Read with read(2): sysfs reports BTF's size, but a regular file may be anything.
llvm::Expected<std::string> readFile(const std::string &path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return makeError("cannot read " + path + ": " + std::strerror(errno));
  std::string bytes;
  struct stat st {};
  if (fstat(fd.get(), &st) == 0 && st.st_size > 0) bytes.reserve(st.st_size);
  char chunk[1 << 16];
  for (;;) {
    const ssize_t n = read(fd.get(), chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return makeError("cannot read " + path + ": " + std::strerror(errno));
    if (n == 0) return bytes;
    bytes.append(chunk, n);
  }
}

}  // namespace

llvm::Expected<std::string> kernelKey(const KernelTypes &kernel) {
  std::string key = "release " + kernel.release + "\n";
  if (kernel.source == KernelTypes::Source::Btf) {
    auto btf = readFile(kernel.btfPath);
    if (!btf) return btf.takeError();
    key += "btf " + kernel.btfPath + " " + std::to_string(btf->size()) + " " +
           std::to_string(llvm::xxh3_64bits(*btf)) + "\n";
    return key;
  }
  key += "headers\n";
  for (const auto &root : {kernel.buildDir, kernel.sourceDir})
    for (const char *file : {"/include/generated/autoconf.h", "/include/generated/utsrelease.h",
                             "/include/config/auto.conf", "/Makefile", "/include/linux/sched.h"})
      key += fileIdentity(root + file);
  return key;
}

}  // namespace probecc
