#include "metrics/run_statistics.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace probecc {

RunStatistics RunStatistics::enable() {
  RunStatistics statistics;
  const int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
  if (fd >= 0) {
    statistics.fd_.reset(fd);
    return statistics;
  }
  const int error = errno;
  int enabled = 0;
  std::ifstream("/proc/sys/kernel/bpf_stats_enabled") >> enabled;
  statistics.sysctlEnabled_ = enabled == 1;
  if (!statistics.sysctlEnabled_)
    statistics.why_ = std::string("the kernel keeps no BPF run statistics for probecc (BPF_ENABLE_STATS: ") +
                      std::strerror(error) + (error == EPERM ? "; it needs CAP_SYS_ADMIN" : "") +
                      "), so --metrics leaves out program run counts and times; sysctl kernel.bpf_stats_enabled=1 turns them on";
  return statistics;
}

std::vector<ProgramRunStats> RunStatistics::read(bpf_object &object) const {
  std::vector<ProgramRunStats> all;
  bpf_program *program;
  bpf_object__for_each_program(program, &object) {
    const int fd = bpf_program__fd(program);
    if (fd < 0) continue;  // not loaded (the other of an alternative pair)
    bpf_prog_info info{};
    uint32_t length = sizeof info;
    if (bpf_obj_get_info_by_fd(fd, &info, &length) != 0) continue;
    all.push_back({bpf_program__name(program), info.run_cnt, info.run_time_ns});
  }
  return all;
}

}  // namespace probecc
