#pragma once
// The kernel's per-program run statistics (run count, run time), which it keeps only while
// someone asks for them: BPF_ENABLE_STATS (an fd; CAP_SYS_ADMIN), or the sysctl
// kernel.bpf_stats_enabled. They cost a clock read per program run, so only --metrics asks.
#include <string>
#include <vector>

#include <bpf/libbpf.h>

#include "metrics/exposition.h"
#include "support/unique_fd.h"

namespace probecc {

class RunStatistics {
public:
  // Turns the statistics on for this object's lifetime where the kernel lets probecc; `why`
  // says why not otherwise.
  static RunStatistics enable();
  bool active() const { return fd_ || sysctlEnabled_; }
  const std::string &whyInactive() const { return why_; }
  // Each loaded program's counts (read through its fd).
  std::vector<ProgramRunStats> read(bpf_object &object) const;

private:
  UniqueFd fd_;
  bool sysctlEnabled_ = false;
  std::string why_;
};

}  // namespace probecc
