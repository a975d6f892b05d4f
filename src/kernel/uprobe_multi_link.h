#pragma once
// uprobe_multi links made with the bpf() syscall itself: libbpf 1.1 (Debian 12) has no uprobe_multi
// API (bpf_program__attach_uprobe_multi and the bpf_link_create options for it came in libbpf 1.3),
// and its bpf_link_create() refuses an attach type it does not know; so the attributes are laid
// out as the kernel's uapi (6.6) has them, and the link is owned as a plain fd.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include <bpf/libbpf.h>

#include "support/unique_fd.h"

namespace probecc {

// The program's expected attach type for uprobe_multi links (BPF_TRACE_UPROBE_MULTI).
extern const bpf_attach_type kUprobeMultiAttachType;

// One link for program `programFd` at `offsets` (file offsets) in `binary`; pid > 0: in that
// process only. An invalid fd with errno set on failure (the kernel takes all or none).
UniqueFd createUprobeMultiLink(int programFd, const std::string &binary, const std::vector<uint64_t> &offsets,
                               bool retprobe, pid_t pid);

}  // namespace probecc
