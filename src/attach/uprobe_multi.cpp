#include "attach/uprobe_multi.h"

namespace probecc {

UniqueFd attachUprobeMulti(const bpf_program &program, const std::string &binary, const std::vector<uint64_t> &offsets,
                           bool retprobe, pid_t pid) {
  return createUprobeMultiLink(bpf_program__fd(&program), binary, offsets, retprobe, pid);
}

}  // namespace probecc
