#pragma once
// -p PID: the one process uprobes, USDT probes and perf events are limited to. It holds a pidfd,
// so the session ends when the process exits.
#include <sys/types.h>

#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"
#include "support/unique_fd.h"

namespace probecc {

class TargetProcess {
public:
  static llvm::Expected<TargetProcess> open(pid_t pid);
  pid_t pid() const { return pid_; }
  int exitFd() const { return pidfd_.get(); }  // readable once the process has exited

private:
  TargetProcess(pid_t pid, UniqueFd pidfd) : pid_(pid), pidfd_(std::move(pidfd)) {}
  pid_t pid_;
  UniqueFd pidfd_;
};

// The file /proc/PID/exe points at.
llvm::Expected<std::string> executableOf(pid_t pid);
// The process's threads now (/proc/PID/task).
std::vector<pid_t> threadsOf(pid_t pid);

// Whether -p limits this probe to the process (kernel probes see every process).
bool limitedByPid(const ProbeSpec &probe);
// A note naming the probes -p does not limit, or "" when there are none.
std::string pidNotLimitingNote(const std::vector<ProbeSpec> &probes, pid_t pid);

}  // namespace probecc
