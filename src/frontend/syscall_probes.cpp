#include "frontend/syscall_probes.h"

#include "kernel/tracefs.h"

namespace probecc {

std::vector<std::string> resolveSyscallProbes(std::vector<ProbeSpec> &probes, const SyscallSupport &support) {
  std::vector<std::string> notes;
  for (auto &probe : probes) {
    const std::string name = syscallOf(probe);
    if (name.empty()) continue;
    const bool onReturn = probe.info().onReturn;
    if (support.kprobes) {
      probe.kind = onReturn ? ProbeKind::Kretprobe : ProbeKind::Kprobe;
      probe.target = KernelName{support.prefix + name};
      // With syscall wrappers the function's only argument is the user's pt_regs.
      if (!onReturn)
        probe.arguments = support.prefix == "sys_" ? ArgumentSource::Registers : ArgumentSource::SyscallInnerRegs;
      continue;
    }
    const std::string tracepoint = syscallTracepoint(name, onReturn);
    if (!tracepointExists(support.tracefs, tracepoint)) continue;
    notes.push_back(probe.function + ": this kernel has no kprobes; using tracepoint " +
                    tracepoint.substr(0, tracepoint.find('/')) + ":" + tracepoint.substr(tracepoint.find('/') + 1) +
                    " instead (same arguments" + (onReturn ? ", PT_REGS_RC(ctx) is the return value)" : ")"));
    probe.kind = ProbeKind::Tracepoint;
    probe.target = TracepointName{"syscalls", tracepoint.substr(tracepoint.find('/') + 1)};
    probe.arguments = onReturn ? ArgumentSource::SyscallExitTracepoint : ArgumentSource::SyscallEnterTracepoint;
    if (!onReturn) probe.syscallArgCount = syscallArgumentCount(support.tracefs, name);
  }
  return notes;
}

}  // namespace probecc
