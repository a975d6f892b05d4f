#include "attach/uprobe_multi.h"

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "attach/attach_groups.h"
#include "elf/elf_functions.h"
#include "kernel/empty_program.h"

namespace probecc {
namespace {

constexpr uint32_t kUprobeMultiReturn = 1;  // BPF_F_UPROBE_MULTI_RETURN

// union bpf_attr for BPF_LINK_CREATE with uprobe_multi (include/uapi/linux/bpf.h, Linux 6.6).
struct UprobeMultiLinkCreate {
  uint32_t programFd;
  uint32_t targetFd;
  uint32_t attachType;
  uint32_t flags;
  uint64_t path;
  uint64_t offsets;
  uint64_t refCounterOffsets;
  uint64_t cookies;
  uint32_t count;
  uint32_t uprobeFlags;
  uint32_t pid;
  uint8_t rest[sizeof(bpf_attr) - 60];  // the rest of union bpf_attr, zero
};
static_assert(sizeof(UprobeMultiLinkCreate) == sizeof(bpf_attr));

UniqueFd linkCreate(int programFd, const std::string &binary, const std::vector<uint64_t> &offsets, bool retprobe,
                    pid_t pid) {
  UprobeMultiLinkCreate attr{};
  attr.programFd = static_cast<uint32_t>(programFd);
  attr.attachType = kUprobeMultiAttachType;
  attr.path = reinterpret_cast<uint64_t>(binary.c_str());
  attr.offsets = reinterpret_cast<uint64_t>(offsets.data());
  attr.count = static_cast<uint32_t>(offsets.size());
  attr.uprobeFlags = retprobe ? kUprobeMultiReturn : 0;
  attr.pid = pid > 0 ? static_cast<uint32_t>(pid) : 0;
  return UniqueFd(static_cast<int>(syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof attr)));
}

}  // namespace

const bpf_attach_type kUprobeMultiAttachType = static_cast<bpf_attach_type>(48);

bool kernelHasUprobeMulti() {
  UniqueFd program = loadEmptyKprobeProgram(kUprobeMultiAttachType);
  if (!program) return false;
  char self[4096];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) return false;
  const std::string binary(self, static_cast<size_t>(length));
  auto elf = readElfFunctions(binary);
  if (!elf) {
    llvm::consumeError(elf.takeError());
    return false;
  }
  for (const auto &function : elf->functions)
    if (!function.indirect && function.fileOffset)
      return static_cast<bool>(linkCreate(program.get(), binary, {function.fileOffset}, false, getpid()));
  return false;
}

UniqueFd attachUprobeMulti(const bpf_program &program, const std::string &binary, const std::vector<uint64_t> &offsets,
                           bool retprobe, pid_t pid) {
  return linkCreate(bpf_program__fd(&program), binary, offsets, retprobe, pid);
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
