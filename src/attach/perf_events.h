#pragma once
// Perf event probes (-a perf:..., profile:..., interval:...): one perf event per online CPU (with
// -p PID, per thread of the process; interval: a single one on the first online CPU), each with
// the program attached.
#include <sys/types.h>

#include <vector>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"
#include "attach/attach.h"

namespace probecc {

// pid -1: every process.
llvm::Expected<std::vector<BpfLinkPtr>> attachPerfEvent(bpf_program &program, const ProbeSpec &probe, pid_t pid);

// "0-3,6" (the format of /sys/devices/system/cpu/online) → {0,1,2,3,6}.
std::vector<int> parseCpuList(std::string_view text);

}  // namespace probecc
