#include "driver/type_cache_builder.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "cache/cache_dir.h"
#include "driver/cached_compile.h"
#include "driver/compiler_library.h"
#include "frontend/kernel_types.h"
#include "support/error.h"
#include "support/unique_fd.h"

namespace probecc {
namespace {

constexpr int kInheritedLockFd = 3;
constexpr int kBuilderNice = 19;

// The user sees the builder's one failure line only where it cannot hold up anyone reading:
// a pipe would stay open (and its reader waiting) until the build ends.
bool stderrMayOutliveUs() {
  struct stat st {};
  return fstat(STDERR_FILENO, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISREG(st.st_mode));
}

// In the builder, between fork and exec: descriptors 0-2 (stderr kept if `keepStderr`), the lock
// as kInheritedLockFd, nothing else.
void becomeBuilder(int lockFd, bool keepStderr, char *const argv[]) {
  if (lockFd != kInheritedLockFd && dup2(lockFd, kInheritedLockFd) < 0) _exit(127);
  fcntl(kInheritedLockFd, F_SETFD, 0);
  const int null = open("/dev/null", O_RDWR);
  if (null < 0) _exit(127);
  dup2(null, STDIN_FILENO);
  dup2(null, STDOUT_FILENO);
  if (!keepStderr) dup2(null, STDERR_FILENO);
  close_range(kInheritedLockFd + 1, ~0U, 0);
  setpriority(PRIO_PROCESS, 0, kBuilderNice);
  execv("/proc/self/exe", argv);
  _exit(127);
}

llvm::Error build(const KernelTypesRequest &request, const std::string &cacheDir) {
  Diagnostics silent(false, llvm::nulls());  // the builder's stderr is /dev/null; its failure is reported
  if (auto error = prepareCacheDir(cacheDir, silent)) return error;
  auto kernel = discoverKernelTypes(request);
  if (!kernel) return kernel.takeError();
  auto key = kernelTypesKey(*kernel);
  if (!key) return key.takeError();
  ProgramRequest program;
  program.kernel = std::move(*kernel);
  program.cacheDir = cacheDir;
  program.kernelKey = std::move(*key);
  return buildKernelTypesWithLibrary(program);
}

}  // namespace

llvm::Error startTypeCacheBuilder(BuilderLock lock, const KernelTypes &kernel) {
  std::vector<std::string> args = {"probecc", std::string("--") + kBuildTypeCacheOption};
  if (kernel.source == KernelTypes::Source::Btf) args.push_back("--btf");
  else args.insert(args.end(), {"--kernel-headers", kernel.buildDir});
  std::vector<char *> argv;
  for (auto &arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const bool keepStderr = stderrMayOutliveUs();

  // Twice forked, so the builder is nobody's child here (never a zombie of ours, never waited for)
  // and in a session of its own (the terminal's Ctrl-C is not for it).
  const pid_t child = fork();
  if (child < 0) return makeError(llvm::Twine("cannot start the kernel type cache builder: ") + std::strerror(errno));
  if (child == 0) {
    setsid();
    const pid_t builder = fork();
    if (builder == 0) becomeBuilder(lock.fd(), keepStderr, argv.data());
    _exit(builder < 0 ? 1 : 0);
  }
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return makeError("cannot start the kernel type cache builder");
  return llvm::Error::success();
}

int runTypeCacheBuilder(const KernelTypesRequest &kernel, const std::string &cacheDir) {
  // Clang's diagnostics and any warning go nowhere; a failure is one line where stderr was.
  UniqueFd report(fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, kInheritedLockFd + 1));
  if (const int null = open("/dev/null", O_WRONLY | O_CLOEXEC); null >= 0) {
    dup2(null, STDERR_FILENO);
    close(null);
  }
  setpriority(PRIO_PROCESS, 0, kBuilderNice);
  constexpr int kIdleIoClass = 3 << 13;  // IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0)
  syscall(SYS_ioprio_set, /*IOPRIO_WHO_PROCESS*/ 1, 0, kIdleIoClass);

  llvm::Error error = llvm::Error::success();
  if (BuilderLock::isLockFile(kInheritedLockFd, cacheDir)) {
    error = build(kernel, cacheDir);
  } else {  // started by hand: take the lock here
    auto lock = BuilderLock::tryAcquire(cacheDir);
    if (!lock) error = lock.takeError();
    else if (*lock) error = build(kernel, cacheDir);
  }
  if (!error) return 0;
  std::string message = llvm::toString(std::move(error));
  std::replace(message.begin(), message.end(), '\n', ' ');
  message = "probecc: warning: building the kernel type cache in the background failed: " + message + "\n";
  if (report) (void)!write(report.get(), message.data(), message.size());
  return 1;
}

}  // namespace probecc
