#pragma once
// Does a probe's target exist on this kernel? If not: what is missing, and the nearest names that
// do exist (each kind's row says, attach_kinds.h). The same answer serves --dry-run (checked
// before loading) and a failed attach.
#include <optional>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"
#include "kernel/kernel_context.h"

namespace probecc {

// "no tracepoint sched:sched_swich; did you mean sched:sched_switch?", or nullopt when the target
// exists (or cannot be checked: wildcards are expanded elsewhere, Other sections are libbpf's).
std::optional<std::string> missingTarget(const ProbeSpec &probe, KernelTargets &targets);

// --dry-run: every probe's target must exist, as attaching would require.
llvm::Error checkTargetsExist(const std::vector<ProbeSpec> &probes, KernelContext &kernel);

}  // namespace probecc
