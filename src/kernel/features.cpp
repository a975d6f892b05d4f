#include "kernel/features.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "kernel/empty_program.h"
#include "kernel/libbpf_handles.h"
#include "kernel/uprobe_multi_link.h"

namespace probecc {
namespace {

using Probe = FeatureCheck (*)(KernelFeatures &, const FeatureSources &);

FeatureCheck present() { return {true, ""}; }
FeatureCheck absent(std::string why) { return {false, std::move(why)}; }
FeatureCheck refused(const std::string &what, int error) {
  return absent("the kernel refused " + what + ": " + std::strerror(error));
}

bool exists(const std::string &path) { return access(path.c_str(), F_OK) == 0; }

FeatureCheck kprobes(KernelFeatures &, const FeatureSources &sources) {
  if (exists(sources.kprobePmu) || exists(sources.tracefs + "/kprobe_events")) return present();
  return absent("this kernel has no kprobe support (CONFIG_KPROBES is not set): neither " + sources.kprobePmu +
                " nor " + sources.tracefs + "/kprobe_events exists");
}

// A function every kernel since 2.6 has, as the target of the trial fentry program.
constexpr const char *kAlwaysTraceable = "vprintk";

// The first function ftrace can hook (what a kprobe_multi link attaches through), else vprintk.
std::string ftraceableFunction(const FeatureSources &sources) {
  std::ifstream list(sources.tracefs + "/available_filter_functions");
  std::string function;
  return list >> function ? function : kAlwaysTraceable;
}

FeatureCheck kprobeMulti(KernelFeatures &features, const FeatureSources &sources) {
  if (const auto &kprobes = features.check(Feature::Kprobes); !kprobes) return absent(kprobes.why);
  UniqueFd program = loadEmptyKprobeProgram(BPF_TRACE_KPROBE_MULTI);
  if (!program) return refused("a program for kprobe_multi links", errno);
  const std::string target = ftraceableFunction(sources);
  const char *symbols[] = {target.c_str()};
  LIBBPF_OPTS(bpf_link_create_opts, link);
  link.kprobe_multi.syms = symbols;
  link.kprobe_multi.cnt = 1;
  UniqueFd made(bpf_link_create(program.get(), 0, BPF_TRACE_KPROBE_MULTI, &link));
  return made ? present() : refused("a kprobe_multi link on " + target, errno);
}

// A kernel that makes uprobe_multi links looks the path up after checking the rest, and refuses a
// directory with EBADF; one without them refuses earlier, with another errno.
FeatureCheck uprobeMulti(KernelFeatures &, const FeatureSources &) {
  UniqueFd program = loadEmptyKprobeProgram(kUprobeMultiAttachType);
  if (!program) return refused("a program for uprobe_multi links", errno);
  UniqueFd made = createUprobeMultiLink(program.get(), "/", {0}, false, 0);
  if (!made && errno == EBADF) return present();
  return refused("a uprobe_multi link", made ? EINVAL : errno);
}

FeatureCheck kernelBtfCheck(KernelFeatures &features, const FeatureSources &) {
  const std::string &path = features.btfPath();
  if (!exists(path))
    return absent("this kernel has no BTF (CONFIG_DEBUG_INFO_BTF is not set): " + path + " does not exist");
  if (!features.kernelBtf()) return absent(path + " is not readable BTF: " + std::strerror(errno));
  return present();
}

// The id of kernel function `name` in the kernel's BTF, or why there is none.
int kernelFunctionId(KernelFeatures &features, const char *name, std::string &why) {
  const int id = btf__find_by_name_kind(features.kernelBtf(), name, BTF_KIND_FUNC);
  if (id <= 0) why = features.btfPath() + " has no function " + name;
  return id;
}

FeatureCheck fentry(KernelFeatures &features, const FeatureSources &) {
  if (const auto &types = features.check(Feature::Btf); !types) return absent(types.why);
  std::string why;
  const int target = kernelFunctionId(features, kAlwaysTraceable, why);
  if (target <= 0) return absent(why);
  const bpf_insn returnZero[] = {
      {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
      {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, load, .expected_attach_type = BPF_TRACE_FENTRY,
              .attach_btf_id = static_cast<__u32>(target));
  UniqueFd program(bpf_prog_load(BPF_PROG_TYPE_TRACING, "probecc_probe", "GPL", returnZero, 2, &load));
  return program ? present() : refused(std::string("an fentry program on ") + kAlwaysTraceable, errno);
}

FeatureCheck ringBuffer(KernelFeatures &, const FeatureSources &) {
  const int answer = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nullptr);
  if (answer == 1) return present();
  return answer == 0 ? absent("this kernel has no BPF ring buffers (Linux 5.8+)") : refused("a ring buffer", -answer);
}

// Streams have no map or program type of their own: the kernel has them when its BTF has their kfunc.
FeatureCheck bpfStreams(KernelFeatures &features, const FeatureSources &) {
  if (const auto &types = features.check(Feature::Btf); !types) return absent(types.why);
  std::string why;
  for (const char *kfunc : {"bpf_stream_vprintk", "bpf_stream_vprintk_impl"})
    if (kernelFunctionId(features, kfunc, why) > 0) return present();
  return absent("this kernel has no BPF streams (Linux 6.17+): " + why);
}

struct FeatureRow {
  Feature feature;
  std::string_view name;
  Probe probe;
};

constexpr FeatureRow kFeatures[] = {
    {Feature::Kprobes, "kprobes", kprobes},
    {Feature::KprobeMulti, "kprobe_multi", kprobeMulti},
    {Feature::UprobeMulti, "uprobe_multi", uprobeMulti},
    {Feature::Fentry, "fentry", fentry},
    {Feature::RingBuffer, "ring buffer", ringBuffer},
    {Feature::BpfStreams, "BPF streams", bpfStreams},
    {Feature::Btf, "BTF", kernelBtfCheck},
};
static_assert(std::size(kFeatures) == kFeatureCount);

const FeatureRow &rowOf(Feature feature) { return kFeatures[static_cast<size_t>(feature)]; }

}  // namespace

const FeatureCheck &KernelFeatures::check(Feature feature) {
  auto &slot = checked_[static_cast<size_t>(feature)];
  if (!slot) slot = rowOf(feature).probe(*this, sources_);
  return *slot;
}

std::string_view KernelFeatures::name(Feature feature) { return rowOf(feature).name; }

}  // namespace probecc
