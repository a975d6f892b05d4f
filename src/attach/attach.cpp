#include "attach/attach.h"

#include <cstring>
#include <iterator>

#include "attach/attach_at_target.h"
#include "attach/attach_user.h"
#include "attach/perf_events.h"
#include "attach/attach_targets.h"
#include "attach/target_check.h"
#include "kernel/syscalls.h"
#include "kernel/tracefs.h"
#include "support/error.h"

namespace probecc {

std::string syscallTracepointFor(const std::string &function, const KernelContext &kernel, bool onReturn) {
  const std::string tracepoint = syscallTracepoint(syscallImplementedBy(function), onReturn);
  if (!tracepointExists(kernel.tracefs(), tracepoint)) return "";
  return "tracepoint__syscalls__" + tracepoint.substr(tracepoint.find('/') + 1);
}

std::string explainAttachFailure(const ProbeSpec &probe, int error, KernelContext &kernel) {
  const auto &info = kindInfo(probe.kind);
  std::string what = probe.location + "cannot attach " + probe.function + " (" + std::string(info.name) + " " +
                     displayTarget(probe) + "): ";
  if (auto missing = missingTarget(probe, kernel.targets())) {
    if (!probe.fromSection) return what + *missing;
    return what + *missing + "\n  hint: a libbpf tool's loader may choose this target at run time; give it with -a " +
           std::string(info.name) + ":" + std::string(targetPlaceholder(info.targets)) + "=" + probe.function;
  }
  if (const auto &kprobes = kernel.features().check(Feature::Kprobes); info.needsKprobes && !kprobes) {
    what += kprobes.why + ", so kprobes and kretprobes cannot attach";
    const bool onReturn = info.onReturn;
    if (auto tracepoint = syscallTracepointFor(probe.target, kernel, onReturn); !tracepoint.empty())
      what += "\n  hint: " + probe.target + " is a syscall; its tracepoint attaches here: name the function " +
              tracepoint + " (args->field reads the syscall's arguments)";
    return what;
  }
  switch (info.targets) {
    case TargetSpace::Tracepoint:
      if (error == -EACCES)
        return what + "the program reads past the end of the tracepoint's record (see " + tracepointFormatPath(kernel.tracefs(), probe.target) + ")";
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

llvm::Error attachAll(bpf_object &object, const std::vector<ProbeSpec> &probes, KernelContext &kernel,
                      const TargetExpansion &expansion, Diagnostics &diagnostics, AttachedProbes &into, pid_t pid) {
  auto attached = [](const ProbeSpec &probe) {
    // not a tail-call target (reached through its program array) nor a raw_syscalls stand-in
    // (attached for the probes it serves, by attachExpanded)
    return probe.attach && probe.standsInFor.empty();
  };
  size_t targets = 0;
  for (const auto &probe : probes) {
    const auto *expanded = attached(probe) ? expansion.find(probe) : nullptr;
    targets += !attached(probe) ? 0 : expanded ? expanded->targets.size() + expanded->standInTargets.size() : 1;
  }
  into.expect(targets);
  for (const auto &probe : probes) {
    if (!attached(probe)) continue;
    if (into.interrupted()) break;
    bpf_program *program = bpf_object__find_program_by_name(&object, probe.function.c_str());
    if (!program) return makeError("internal error: no program " + probe.function + " in the object");
    if (const auto *expanded = expansion.find(probe)) {
      if (auto error = attachExpanded(*program, *expanded, kernel, expansion.options, diagnostics, into)) return error;
      continue;
    }
    if (probe.kind == ProbeKind::PerfEvent) {
      auto perLinks = attachPerfEvent(*program, probe, pid);
      if (!perLinks) return perLinks.takeError();
      for (auto &link : *perLinks) into.add(std::move(link), probe.kind);
      continue;
    }
    const bool isUprobe = probe.info().targets == TargetSpace::UserFunction;
    if (probe.kind == ProbeKind::Usdt || isUprobe) {
      auto link = probe.kind == ProbeKind::Usdt ? attachUsdt(*program, probe, pid) : attachUprobe(*program, probe, pid, kernel);
      if (!link) return link.takeError();
      into.add(std::move(*link), probe.kind);
      continue;
    }
    // Tracepoints always through attachAtTarget: it holds their perf events apart (attached_probes.h).
    Attachment attachment = attachesElsewhere(*program, probe) || probe.kind == ProbeKind::Tracepoint
                                ? attachAtTarget(*program, probe, kernel)
                                : Attachment{BpfLinkPtr(bpf_program__attach(program)), {}};
    if (!attachment) return makeError(explainAttachFailure(probe, -errno, kernel));
    into.add(std::move(attachment), probe.kind);
  }
  into.attached();
  return llvm::Error::success();
}

}  // namespace probecc
