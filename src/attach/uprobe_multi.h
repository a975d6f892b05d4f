#pragma once
// uprobe_multi links (Linux 6.6+): one link for many uprobes in one binary. Attached one link per
// target, uprobes are slow to come and go: each perf event unregisters its uprobe and waits for a
// grace period of its own, under the kernel's event_mutex (40 libc uprobes took ~5 s to tear
// down). A uprobe_multi link unregisters all of its uprobes and then waits once. The link itself
// is made by kernel/uprobe_multi_link.h.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <bpf/libbpf.h>

#include "attach/attached_probes.h"
#include "kernel/uprobe_multi_link.h"
#include "support/unique_fd.h"

namespace probecc {

// One link for the uprobes (or uretprobes) of `program` at `offsets` (file offsets) in `binary`;
// pid > 0: in that process only. An invalid fd with errno set on failure (the kernel takes all or none).
UniqueFd attachUprobeMulti(const bpf_program &program, const std::string &binary, const std::vector<uint64_t> &offsets,
                           bool retprobe, pid_t pid);

// All of `offsets` in as few links as the kernel takes (attach_groups.h), into `into` as `kind`;
// the index and errno of each offset refused go to `refused`.
void attachUprobeMultiGroups(const bpf_program &program, const std::string &binary, const std::vector<uint64_t> &offsets,
                             bool retprobe, pid_t pid, ProbeKind kind, AttachedProbes &into,
                             std::vector<std::pair<size_t, int>> &refused);

}  // namespace probecc
