#pragma once
// uprobe_multi links (Linux 6.6+): one link for many uprobes in one binary. Attached one link per
// target, uprobes are slow to come and go: each perf event unregisters its uprobe and waits for a
// grace period of its own, under the kernel's event_mutex (40 libc uprobes took ~5 s to tear
// down). A uprobe_multi link unregisters all of its uprobes and then waits once.
//
// libbpf 1.1 (Debian 12) has no uprobe_multi API (bpf_program__attach_uprobe_multi and the
// bpf_link_create options for it came in libbpf 1.3), and its bpf_link_create() refuses an attach
// type it does not know; so the link is made with the bpf() syscall itself, with the attributes
// laid out as the kernel's uapi (6.6) has them, and owned here as a plain fd.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <bpf/libbpf.h>

#include "attach/attached_probes.h"
#include "support/unique_fd.h"

namespace probecc {

// The program's expected attach type for uprobe_multi links (BPF_TRACE_UPROBE_MULTI).
extern const bpf_attach_type kUprobeMultiAttachType;

// Whether this kernel makes uprobe_multi links: tried on a function of probecc's own binary.
bool kernelHasUprobeMulti();

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
