#include "attach/target_process.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "program/perf_event_spec.h"
#include "support/error.h"

namespace probecc {

llvm::Expected<TargetProcess> TargetProcess::open(pid_t pid) {
  if (pid <= 0) return makeError("-p takes a process id (a positive number)");
  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd) {
    if (errno == ESRCH) return makeError("-p " + llvm::Twine(pid) + ": no such process");
    return makeError("-p " + llvm::Twine(pid) + ": pidfd_open: " + strerror(errno));
  }
  return TargetProcess(pid, std::move(pidfd));
}

llvm::Expected<std::string> executableOf(pid_t pid) {
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", error);
  if (error) return makeError("cannot find process " + llvm::Twine(pid) + "'s executable: " + error.message());
  return path.string();
}

std::vector<pid_t> threadsOf(pid_t pid) {
  std::vector<pid_t> threads;
  std::error_code error;
  for (const auto &entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", error))
    threads.push_back(static_cast<pid_t>(std::stol(entry.path().filename().string())));
  return threads;
}

bool limitedByPid(const ProbeSpec &probe) {
  if (!probe.info().limitedByPid) return false;
  // interval: is a timer, not a measurement of the process
  const auto *event = probe.target.as<PerfEventSpec>();
  return !probe.target.empty() && (!event || !event->oneCpu);
}

std::string pidNotLimitingNote(const std::vector<ProbeSpec> &probes, pid_t pid) {
  std::string names;
  for (const auto &probe : probes)
    if (!limitedByPid(probe)) names += (names.empty() ? "" : ", ") + probe.function;
  if (names.empty()) return "";
  return "-p " + std::to_string(pid) + " limits uprobes, USDT probes and perf events; " + names +
         " see every process (compare bpf_get_current_pid_tgid() >> 32 to filter)";
}

}  // namespace probecc
