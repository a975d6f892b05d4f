// The rows of kinds that probe a kernel function by name: kprobes and kretprobes, syscall probes
// (libbpf's ksyscall), fentry/fexit and LSM hooks (attach_kinds.h).
#include <cerrno>

#include "attach/attach_kinds.h"
#include "attach/attach_targets.h"
#include "attach/target_listing.h"
#include "kernel/syscalls.h"
#include "support/closest_names.h"
#include "support/error.h"
#include "support/name_pattern.h"

namespace probecc {
namespace {

const std::string &nameOf(const ProbeSpec &probe) {
  static const std::string none;
  const auto *name = probe.target.as<KernelName>();
  return name ? name->name : none;
}

// kprobe / kretprobe

Attachment attachKprobe(bpf_program &program, const ProbeSpec &probe, const AttachEnv &) {
  LIBBPF_OPTS(bpf_kprobe_opts, options, .retprobe = probe.info().onReturn);
  return {BpfLinkPtr(bpf_program__attach_kprobe_opts(&program, nameOf(probe).c_str(), &options)), {}};
}

llvm::Error expandKernelFunctions(ExpandedProbe &expanded, KernelTargets &kernel) {
  const std::string &pattern = nameOf(expanded.probe);
  addMatches(expanded.probe.kind, kernel.kprobeFunctions(), pattern, false, expanded.targets);
  if (kernel.hasFtraceFunctions())
    for (const auto &function : kernel.kernelFunctions())
      if (matchesPattern(pattern, function) && !KernelTargets::contains(kernel.ftraceFunctions(), function))
        expanded.untraceable.push_back(function);
  expanded.untraceableWhy = "not traceable";
  return llvm::Error::success();
}

std::optional<std::string> missingSyscall(const std::string &name, KernelTargets &targets) {
  if (KernelTargets::contains(targets.syscalls(), name)) return std::nullopt;
  return "no syscall '" + name + "'" + didYouMean(closestNames(name, targets.syscalls()));
}

std::optional<std::string> missingFunction(const std::string &name, KernelTargets &targets) {
  if (KernelTargets::contains(targets.kernelFunctions(), name) || KernelTargets::contains(targets.ftraceFunctions(), name))
    return std::nullopt;
  return "no kernel function '" + name + "'" + didYouMean(closestNames(name, targets.kprobeFunctions()));
}

std::optional<std::string> missingKernelFunction(const ProbeSpec &probe, KernelTargets &targets) {
  if (const auto syscall = syscallOf(probe); !syscall.empty() && missingFunction(nameOf(probe), targets))
    return missingSyscall(syscall, targets);
  return missingFunction(nameOf(probe), targets);
}

llvm::Error listKernelFunctions(TargetLister &lister, ProbeKind kind, const std::string &pattern) {
  for (const auto &name : lister.targets().kprobeFunctions())
    if (matchesPattern(pattern, name)) lister.emit(kind, name, lister.signatureOf(name, name));
  if (lister.emitted(kind) && !lister.targets().hasFtraceFunctions())
    lister.note("probecc: note: " + lister.targets().tracefs() +
                "/available_filter_functions is unreadable; kprobe targets are listed from /proc/kallsyms\n");
  return llvm::Error::success();
}

std::optional<std::string> explainKprobe(const ProbeSpec &probe, int error, KernelContext &) {
  if (error != ENOENT && error != EINVAL) return std::nullopt;
  return "no traceable kernel function '" + nameOf(probe) + "' (it must be in /proc/kallsyms and not inlined or blacklisted)";
}

std::optional<std::string> kprobeRefusal(int error) {
  if (error == EINVAL || error == ENOENT || error == ESRCH) return "not traceable";
  return std::nullopt;
}

// syscall / kretsyscall: planned as kprobes or tracepoints where the kernel has them
// (frontend/syscall_probes.h); left to libbpf's ksyscall otherwise.

llvm::Error expandSyscalls(ExpandedProbe &expanded, KernelTargets &) {
  return makeError(expanded.probe.location + "cannot attach " + expanded.probe.function + " (" +
                   std::string(expanded.probe.info().name) + ":" + expanded.probe.target.shown() +
                   "): syscall patterns need kprobes; here use tracepoint:syscalls:sys_enter_PATTERN");
}

std::optional<std::string> missingSyscallOf(const ProbeSpec &probe, KernelTargets &targets) {
  return missingSyscall(nameOf(probe), targets);
}

llvm::Error listSyscalls(TargetLister &lister, ProbeKind kind, const std::string &pattern) {
  for (const auto &name : lister.targets().syscalls())
    if (matchesPattern(pattern, name)) lister.emit(kind, name, "", lister.fieldsOf(syscallTracepoint(name, false)));
  return llvm::Error::success();
}

// fentry / fexit and LSM hooks: functions in the kernel's BTF

std::optional<std::string> missingBtfFunction(const ProbeSpec &probe, KernelTargets &targets) {
  const std::string &name = nameOf(probe);
  if (!targets.vmlinuxBtf() || KernelTargets::contains(targets.btfFunctions(), name)) return std::nullopt;
  return "no kernel function '" + name + "' in the kernel's BTF" + didYouMean(closestNames(name, targets.btfFunctions()));
}

llvm::Error listBtfFunctions(TargetLister &lister, ProbeKind kind, const std::string &pattern) {
  for (const auto &name : lister.targets().btfFunctions())
    if (matchesPattern(pattern, name)) lister.emit(kind, name, lister.signatureOf(name, name));
  return llvm::Error::success();
}

constexpr std::string_view kLsmPrefix = "bpf_lsm_";

std::optional<std::string> missingLsmHook(const ProbeSpec &probe, KernelTargets &targets) {
  const std::string &hook = nameOf(probe);
  if (!targets.vmlinuxBtf() || KernelTargets::contains(targets.btfFunctions(), std::string(kLsmPrefix) + hook))
    return std::nullopt;
  std::vector<std::string> hooks;
  for (const auto &function : targets.btfFunctions())
    if (function.starts_with(kLsmPrefix)) hooks.push_back(function.substr(kLsmPrefix.size()));
  return "no LSM hook '" + hook + "'" + didYouMean(closestNames(hook, hooks));
}

llvm::Error listLsmHooks(TargetLister &lister, ProbeKind kind, const std::string &pattern) {
  for (const auto &name : lister.targets().btfFunctions())
    if (name.starts_with(kLsmPrefix) && matchesPattern(pattern, name.substr(kLsmPrefix.size())))
      lister.emit(kind, name.substr(kLsmPrefix.size()), lister.signatureOf(name, name.substr(kLsmPrefix.size())));
  return llvm::Error::success();
}

}  // namespace

//                                 attach           at one target  wildcards              exists?                list                explain        refusal
const AttachKind kKernelFunctionRow{attachBySection, attachKprobe, expandKernelFunctions, missingKernelFunction, listKernelFunctions, explainKprobe, kprobeRefusal, MultiLink::Kprobe};
const AttachKind kSyscallRow{attachBySection, nullptr, expandSyscalls, missingSyscallOf, listSyscalls, nullptr, nullptr};
const AttachKind kBtfFunctionRow{attachBySection, nullptr, nullptr, missingBtfFunction, listBtfFunctions, nullptr, nullptr};
const AttachKind kLsmRow{attachBySection, nullptr, nullptr, missingLsmHook, listLsmHooks, nullptr, nullptr};

}  // namespace probecc
