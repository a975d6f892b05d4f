#pragma once
// A kprobe program that does nothing, for finding out what links this kernel makes (kprobe_multi,
// uprobe_multi): the kernel's own answer is the feature probe.
#include <bpf/libbpf.h>

#include "support/unique_fd.h"

namespace probecc {

// Loaded for `attachType` (its expected attach type); an invalid fd if the kernel refuses it.
UniqueFd loadEmptyKprobeProgram(bpf_attach_type attachType);

}  // namespace probecc
