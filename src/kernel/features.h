#pragma once
// What this kernel can do, each feature probed at most once per run and only when first asked
// (as cilium/ebpf's `features`): a check that fails says why, for the message that needs it.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "kernel/kernel_targets.h"

namespace probecc {

enum class Feature {
  Kprobes,      // kprobes attach at all (CONFIG_KPROBES)
  KprobeMulti,  // kprobe_multi links (fprobe, Linux 5.18+)
  UprobeMulti,  // uprobe_multi links (Linux 6.6+)
  Fentry,       // fentry programs load (BPF trampolines, and no lockdown or LSM refusing them)
  RingBuffer,   // BPF_MAP_TYPE_RINGBUF (Linux 5.8+)
  BpfStreams,   // BPF streams: a program's own stderr (bpf_stream_vprintk, Linux 6.17+)
  Btf,          // the kernel's own BTF (CONFIG_DEBUG_INFO_BTF)
};
inline constexpr size_t kFeatureCount = 7;

struct FeatureCheck {
  bool present = false;
  std::string why;  // when absent: what the probe saw, as a reason ("... because WHY")
  explicit operator bool() const { return present; }
};

// Where the checks look; the defaults are the running kernel's (tests point them elsewhere).
struct FeatureSources {
  std::string tracefs;
  std::string kprobePmu = "/sys/bus/event_source/devices/kprobe/type";
};

class KernelFeatures {
public:
  // The kernel's BTF is `targets`' (parsed once for the run, whoever asks first).
  KernelFeatures(FeatureSources sources, KernelTargets &targets) : sources_(std::move(sources)), targets_(targets) {}
  KernelFeatures(const KernelFeatures &) = delete;
  KernelFeatures &operator=(const KernelFeatures &) = delete;

  const FeatureCheck &check(Feature feature);
  const btf *kernelBtf() { return targets_.vmlinuxBtf(); }  // nullptr without
  const std::string &btfPath() const { return targets_.btfPath(); }
  bool has(Feature feature) { return check(feature).present; }
  static std::string_view name(Feature feature);  // "kprobe_multi", as the kernel's docs spell it

private:
  FeatureSources sources_;
  KernelTargets &targets_;
  std::array<std::optional<FeatureCheck>, kFeatureCount> checked_;
};

}  // namespace probecc
