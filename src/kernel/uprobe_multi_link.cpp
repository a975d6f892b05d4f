#include "kernel/uprobe_multi_link.h"

#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

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

}  // namespace

const bpf_attach_type kUprobeMultiAttachType = static_cast<bpf_attach_type>(48);

UniqueFd createUprobeMultiLink(int programFd, const std::string &binary, const std::vector<uint64_t> &offsets,
                               bool retprobe, pid_t pid) {
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

}  // namespace probecc
