#include "support/capabilities.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "support/error.h"

namespace probecc {
namespace {

struct CapabilitySets {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  std::array<__user_cap_data_struct, _LINUX_CAPABILITY_U32S_3> data{};
};

bool readCapabilities(CapabilitySets &sets) { return syscall(SYS_capget, &sets.header, sets.data.data()) == 0; }

bool inSet(uint32_t __user_cap_data_struct::*set, const CapabilitySets &sets, int capability) {
  return capability >= 0 && capability / 32 < static_cast<int>(sets.data.size()) &&
         (sets.data[capability / 32].*set & (1u << (capability % 32)));
}

constexpr std::array<const char *, CAP_LAST_CAP + 1> kNames = [] {
  std::array<const char *, CAP_LAST_CAP + 1> names{};
  names[CAP_CHOWN] = "CAP_CHOWN";
  names[CAP_DAC_OVERRIDE] = "CAP_DAC_OVERRIDE";
  names[CAP_DAC_READ_SEARCH] = "CAP_DAC_READ_SEARCH";
  names[CAP_FOWNER] = "CAP_FOWNER";
  names[CAP_KILL] = "CAP_KILL";
  names[CAP_SETUID] = "CAP_SETUID";
  names[CAP_SETGID] = "CAP_SETGID";
  names[CAP_NET_BIND_SERVICE] = "CAP_NET_BIND_SERVICE";
  names[CAP_NET_ADMIN] = "CAP_NET_ADMIN";
  names[CAP_IPC_LOCK] = "CAP_IPC_LOCK";
  names[CAP_SYS_PTRACE] = "CAP_SYS_PTRACE";
  names[CAP_SYS_ADMIN] = "CAP_SYS_ADMIN";
  names[CAP_SYS_RESOURCE] = "CAP_SYS_RESOURCE";
  names[CAP_MAC_ADMIN] = "CAP_MAC_ADMIN";
  names[CAP_SYSLOG] = "CAP_SYSLOG";
  names[CAP_PERFMON] = "CAP_PERFMON";
  names[CAP_BPF] = "CAP_BPF";
  return names;
}();

}  // namespace

bool hasCapability(int capability) {
  CapabilitySets sets;
  return readCapabilities(sets) && inSet(&__user_cap_data_struct::effective, sets, capability);
}

std::string capabilityName(int capability) {
  if (capability >= 0 && capability <= CAP_LAST_CAP && kNames[capability]) return kNames[capability];
  return "capability " + std::to_string(capability);
}

std::string heldCapabilities() {
  CapabilitySets sets;
  if (!readCapabilities(sets)) return "unknown";
  std::string held;
  for (int capability = 0; capability <= CAP_LAST_CAP; ++capability)
    if (inSet(&__user_cap_data_struct::effective, sets, capability))
      held += (held.empty() ? "" : ", ") + capabilityName(capability);
  return held.empty() ? "none" : held;
}

llvm::Error keepOnlyCapabilities(std::initializer_list<int> keep) {
  CapabilitySets sets;
  if (!readCapabilities(sets)) return makeError("capget: " + llvm::Twine(std::strerror(errno)));
  CapabilitySets kept;
  for (int capability : keep) {
    if (!inSet(&__user_cap_data_struct::permitted, sets, capability)) continue;
    const uint32_t bit = 1u << (capability % 32);
    auto &word = kept.data[capability / 32];
    word.permitted |= bit;
    if (inSet(&__user_cap_data_struct::effective, sets, capability)) word.effective |= bit;
  }
  if (syscall(SYS_capset, &kept.header, kept.data.data()) != 0)
    return makeError("capset: " + llvm::Twine(std::strerror(errno)));
  return llvm::Error::success();
}

}  // namespace probecc
