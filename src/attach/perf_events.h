#pragma once
// The perf event kind's row (attach_kinds.h): -a perf:..., profile:..., interval:... attach one
// perf event per online CPU (with -p PID, per thread of the process; interval: a single one on the
// first online CPU), each with the program attached.
#include <sys/types.h>

#include <vector>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "attach/attach_kinds.h"

namespace probecc {

// "0-3,6" (the format of /sys/devices/system/cpu/online) → {0,1,2,3,6}.
std::vector<int> parseCpuList(std::string_view text);

}  // namespace probecc
