#pragma once
// kprobe_multi links (fprobe, Linux 5.18+): one link for many kernel functions. The program must
// be loaded with the BPF_TRACE_KPROBE_MULTI expected attach type, which a plain kprobe link refuses.
#include <string>
#include <utility>
#include <vector>

#include <bpf/libbpf.h>

#include "attach/attach.h"

namespace probecc {

// Attaches `program` to `functions`: in one link when the kernel takes them all (it takes all or
// none), else the list is halved until the functions it refuses are isolated, each appended to
// `refused` with its errno.
std::vector<BpfLinkPtr> attachKprobeMulti(bpf_program &program, const std::vector<std::string> &functions,
                                          bool retprobe, std::vector<std::pair<std::string, int>> &refused);

}  // namespace probecc
