#include "attach/attach.h"

#include <cstring>
#include <iterator>

#include "attach/attach_kinds.h"
#include "attach/attach_targets.h"
#include "attach/target_process.h"
#include "kernel/kernel_targets.h"
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

namespace {
// The one word on a refusal for want of privileges, whatever the kind.
std::string permissionDenied() { return "permission denied (probecc needs root or CAP_BPF+CAP_PERFMON)"; }
}  // namespace

std::string explainAttachFailure(const ProbeSpec &probe, int error, KernelContext &kernel) {
  const auto &info = kindInfo(probe.kind);
  std::string what = probe.location + "cannot attach " + probe.function + " (" + std::string(info.name) + " " +
                     probe.target.shown() + "): ";
  if (auto missing = missingTarget(probe, kernel.targets())) {
    if (!probe.fromSection) return what + *missing;
    return what + *missing + "\n  hint: a libbpf tool's loader may choose this target at run time; give it with -a " +
           std::string(info.name) + ":" + std::string(targetPlaceholder(info.targets)) + "=" + probe.function;
  }
  if (info.needsKprobes && !kernel.has(Feature::Kprobes)) {
    what += "this kernel has no kprobe support (CONFIG_KPROBES is not set), so kprobes and kretprobes cannot attach";
    const std::string function = probe.target.text();
    if (auto tracepoint = syscallTracepointFor(function, kernel, info.onReturn); !tracepoint.empty())
      what += "\n  hint: " + function + " is a syscall; its tracepoint attaches here: name the function " +
              tracepoint + " (args->field reads the syscall's arguments)";
    return what;
  }
  if (const auto &row = attachKind(probe.kind); row.explain)
    if (auto why = row.explain(probe, -error, kernel)) return what + *why;
  if (error == -EPERM || error == -EACCES) return what + permissionDenied();
  if (error == -ESRCH && limitedByPid(probe)) return what + "the -p process is gone";
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
  const AttachEnv env{kernel, pid};
  for (const auto &probe : probes) {
    if (!attached(probe)) continue;
    if (into.interrupted()) break;
    bpf_program *program = bpf_object__find_program_by_name(&object, probe.function.c_str());
    if (!program) return makeError("internal error: no program " + probe.function + " in the object");
    if (const auto *expanded = expansion.find(probe)) {
      if (auto error = attachExpanded(*program, *expanded, kernel, expansion.options, diagnostics, into)) return error;
      continue;
    }
    if (auto error = attachKind(probe.kind).attach(*program, probe, env, into)) return error;
  }
  into.attached();
  return llvm::Error::success();
}

}  // namespace probecc
