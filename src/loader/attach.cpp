#include "loader/attach.h"

#include <cstring>
#include <iterator>

#include "loader/attach_at_target.h"
#include "loader/attach_user.h"
#include "loader/perf_events.h"
#include "loader/attach_targets.h"
#include "loader/kernel_targets.h"
#include "loader/target_check.h"
#include "kernel/syscalls.h"
#include "kernel/tracefs.h"
#include "support/error.h"

namespace probecc {

std::string syscallTracepointFor(const std::string &function, const std::string &tracefs, bool onReturn) {
  const std::string tracepoint = syscallTracepoint(syscallImplementedBy(function), onReturn);
  if (!tracepointExists(tracefs, tracepoint)) return "";
  return "tracepoint__syscalls__" + tracepoint.substr(tracepoint.find('/') + 1);
}

std::string explainAttachFailure(const ProbeSpec &probe, int error, const std::string &tracefs) {
  const auto &info = kindInfo(probe.kind);
  std::string what = probe.location + "cannot attach " + probe.function + " (" + std::string(info.name) + " " +
                     displayTarget(probe) + "): ";
  KernelTargets targets(tracefs);
  if (auto missing = missingTarget(probe, targets)) {
    if (!probe.fromSection) return what + *missing;
    return what + *missing + "\n  hint: a libbpf tool's loader may choose this target at run time; give it with -a " +
           std::string(info.name) + ":" + std::string(targetPlaceholder(info.targets)) + "=" + probe.function;
  }
  if (info.needsKprobes && !kernelHasKprobes(tracefs)) {
    what += "this kernel has no kprobe support (CONFIG_KPROBES is not set), so kprobes and kretprobes cannot attach";
    const bool onReturn = info.onReturn;
    if (auto tracepoint = syscallTracepointFor(probe.target, tracefs, onReturn); !tracepoint.empty())
      what += "\n  hint: " + probe.target + " is a syscall; its tracepoint attaches here: name the function " +
              tracepoint + " (args->field reads the syscall's arguments)";
    return what;
  }
  switch (info.targets) {
    case TargetSpace::Tracepoint:
      if (error == -EACCES)
        return what + "the program reads past the end of the tracepoint's record (see " + tracepointFormatPath(tracefs, probe.target) + ")";
      break;
    case TargetSpace::KernelFunction:
      if (error == -ENOENT || error == -EINVAL)
        return what + "no traceable kernel function '" + probe.target +
               "' (it must be in /proc/kallsyms and not inlined or blacklisted)";
      break;
    case TargetSpace::RawTracepoint:
      if (error == -ENOENT || error == -EINVAL) return what + "no raw tracepoint '" + probe.target + "'";
      break;
    default:
      break;
  }
  if (error == -EPERM || error == -EACCES) return what + "permission denied (probecc needs root or CAP_BPF+CAP_PERFMON)";
  return what + strerror(-error);
}

llvm::Expected<std::vector<BpfLinkPtr>> attachAll(bpf_object &object, const std::vector<ProbeSpec> &probes,
                                                  const std::string &tracefs, const TargetExpansion &expansion,
                                                  Diagnostics &diagnostics, pid_t pid) {
  std::vector<BpfLinkPtr> links;
  for (const auto &probe : probes) {
    if (!probe.attach) continue;  // a tail-call target: reached through its program array
    bpf_program *program = bpf_object__find_program_by_name(&object, probe.function.c_str());
    if (!program) return makeError("internal error: no program " + probe.function + " in the object");
    if (const auto *expanded = expansion.find(probe)) {
      auto many = attachExpanded(*program, *expanded, tracefs, expansion.options, diagnostics);
      if (!many) return many.takeError();
      std::move(many->begin(), many->end(), std::back_inserter(links));
      continue;
    }
    if (probe.kind == ProbeKind::PerfEvent) {
      auto perLinks = attachPerfEvent(*program, probe, pid);
      if (!perLinks) return perLinks.takeError();
      std::move(perLinks->begin(), perLinks->end(), std::back_inserter(links));
      continue;
    }
    const bool isUprobe = probe.info().targets == TargetSpace::UserFunction;
    if (probe.kind == ProbeKind::Usdt || isUprobe) {
      auto link = probe.kind == ProbeKind::Usdt ? attachUsdt(*program, probe, pid) : attachUprobe(*program, probe, pid);
      if (!link) return link.takeError();
      links.push_back(std::move(*link));
      continue;
    }
    BpfLinkPtr link(attachesElsewhere(*program, probe) ? attachAtTarget(*program, probe) : bpf_program__attach(program));
    if (!link) return makeError(explainAttachFailure(probe, -errno, tracefs));
    links.push_back(std::move(link));
  }
  return links;
}

}  // namespace probecc
