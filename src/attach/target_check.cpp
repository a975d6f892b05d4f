#include "attach/target_check.h"

#include <unistd.h>

#include <algorithm>

#include "kernel/syscalls.h"
#include "attach/attach.h"
#include "elf/elf_functions.h"
#include "kernel/tracefs.h"
#include "support/closest_names.h"
#include "support/error.h"
#include "support/name_pattern.h"

namespace probecc {
namespace {

std::string withColons(std::string tracepoint) {
  std::replace(tracepoint.begin(), tracepoint.end(), '/', ':');
  return tracepoint;
}

std::optional<std::string> missingSyscall(const std::string &name, KernelTargets &targets) {
  if (KernelTargets::contains(targets.syscalls(), name)) return std::nullopt;
  return "no syscall '" + name + "'" + didYouMean(closestNames(name, targets.syscalls()));
}

std::optional<std::string> missingKernelFunction(const std::string &name, KernelTargets &targets) {
  if (KernelTargets::contains(targets.kernelFunctions(), name) || KernelTargets::contains(targets.ftraceFunctions(), name))
    return std::nullopt;
  return "no kernel function '" + name + "'" + didYouMean(closestNames(name, targets.kprobeFunctions()));
}

std::optional<std::string> missingTracepoint(const std::string &categorySlashEvent, KernelTargets &targets) {
  if (tracepointExists(targets.tracefs(), categorySlashEvent)) return std::nullopt;
  auto near = closestNames(categorySlashEvent, targets.tracepoints());
  for (auto &name : near) name = withColons(name);
  return "no tracepoint " + withColons(categorySlashEvent) + didYouMean(near);
}

std::optional<std::string> missingBtfFunction(const std::string &name, KernelTargets &targets, const char *what) {
  if (!targets.vmlinuxBtf() || KernelTargets::contains(targets.btfFunctions(), name)) return std::nullopt;
  return "no " + std::string(what) + " '" + name + "' in the kernel's BTF" +
         didYouMean(closestNames(name, targets.btfFunctions()));
}

std::optional<std::string> missingLsmHook(const std::string &hook, KernelTargets &targets) {
  if (!targets.vmlinuxBtf() || KernelTargets::contains(targets.btfFunctions(), "bpf_lsm_" + hook)) return std::nullopt;
  std::vector<std::string> hooks;
  for (const auto &function : targets.btfFunctions())
    if (function.starts_with("bpf_lsm_")) hooks.push_back(function.substr(8));
  return "no LSM hook '" + hook + "'" + didYouMean(closestNames(hook, hooks));
}

// "PATH:SYMBOL" (libbpf also takes SYMBOL+OFFSET and raw addresses, which are not checked here).
std::optional<std::string> missingUserFunction(const std::string &target) {
  const auto colon = target.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  const std::string binary = target.substr(0, colon), symbol = target.substr(colon + 1, target.find('+', colon) - colon - 1);
  if (access(binary.c_str(), F_OK) != 0) return "no file " + binary;
  if (symbol.empty() || isdigit(static_cast<unsigned char>(symbol[0]))) return std::nullopt;
  auto elf = readElfFunctions(binary);
  if (!elf) return llvm::toString(elf.takeError());
  std::vector<std::string> names;
  for (const auto &function : elf->functions) names.push_back(function.name);
  if (std::find(names.begin(), names.end(), symbol) != names.end()) return std::nullopt;
  return "no function '" + symbol + "' in " + binary + "'s symbol tables" + didYouMean(closestNames(symbol, names));
}

}  // namespace

std::string displayTarget(const ProbeSpec &probe) {
  return probe.info().targets == TargetSpace::Tracepoint ? withColons(probe.target) : probe.target;
}

std::optional<std::string> missingTarget(const ProbeSpec &probe, KernelTargets &targets) {
  if (hasWildcard(probe.target)) return std::nullopt;
  switch (probe.info().targets) {
    case TargetSpace::KernelFunction:
      if (const auto syscall = syscallOf(probe); !syscall.empty() && missingKernelFunction(probe.target, targets))
        return missingSyscall(syscall, targets);
      return missingKernelFunction(probe.target, targets);
    case TargetSpace::Syscall:
      return missingSyscall(probe.target, targets);
    case TargetSpace::Tracepoint:
      return missingTracepoint(probe.target, targets);
    case TargetSpace::RawTracepoint:
      if (KernelTargets::contains(targets.rawTracepoints(), probe.target)) return std::nullopt;
      return "no raw tracepoint '" + probe.target + "'" + didYouMean(closestNames(probe.target, targets.rawTracepoints()));
    case TargetSpace::BtfFunction:
      return missingBtfFunction(probe.target, targets, "kernel function");
    case TargetSpace::LsmHook:
      return missingLsmHook(probe.target, targets);
    case TargetSpace::UserFunction:
      return missingUserFunction(probe.target);
    default:
      return std::nullopt;
  }
}

llvm::Error checkTargetsExist(const std::vector<ProbeSpec> &probes, KernelContext &kernel) {
  for (const auto &probe : probes)
    if (missingTarget(probe, kernel.targets())) return makeError(explainAttachFailure(probe, -ENOENT, kernel));
  return llvm::Error::success();
}

}  // namespace probecc
