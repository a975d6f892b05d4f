#include "attach/uprobe_multi.h"

#include "attach/attach_groups.h"

namespace probecc {

UniqueFd attachUprobeMulti(const bpf_program &program, const std::string &binary, const std::vector<uint64_t> &offsets,
                           bool retprobe, pid_t pid) {
  return createUprobeMultiLink(bpf_program__fd(&program), binary, offsets, retprobe, pid);
}

void attachUprobeMultiGroups(const bpf_program &program, const std::string &binary, const std::vector<uint64_t> &offsets,
                             bool retprobe, pid_t pid, ProbeKind kind, AttachedProbes &into,
                             std::vector<std::pair<size_t, int>> &refused) {
  size_t links = 0;
  attachInGroups(0, offsets.size(), [&](size_t first, size_t count) {
    const std::vector<uint64_t> group(offsets.begin() + first, offsets.begin() + first + count);
    UniqueFd link = attachUprobeMulti(program, binary, group, retprobe, pid);
    if (!link) return false;
    into.add(Attachment{BpfLinkPtr(), {}, std::move(link)}, kind);
    ++links;
    return true;
  }, refused);
  into.skipped(offsets.size() - links);  // progress counts targets; a link holds many
}

}  // namespace probecc
