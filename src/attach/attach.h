#pragma once
// Attaching every planned probe through libbpf, and explaining failures in the user's terms.
#include <sys/types.h>

#include <memory>
#include <vector>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "attach/attached_probes.h"
#include "kernel/kernel_context.h"
#include "kernel/libbpf_handles.h"
#include "program/probe_kinds.h"
#include "support/diagnostics.h"

namespace probecc {

struct TargetExpansion;

// Attaches all probes into `into`, or fails: the caller then drops `into`, which releases what was
// attached so far. Probes with many targets (attach_targets.h) attach what they can. pid > 0 (-p)
// limits uprobes, USDT probes and perf events to that process.
llvm::Error attachAll(bpf_object &object, const std::vector<ProbeSpec> &probes, KernelContext &kernel,
                      const TargetExpansion &expansion, Diagnostics &diagnostics, AttachedProbes &into,
                      pid_t pid = -1);

// Why attaching `probe` failed with `error` (a negative errno), in words a user can act on.
std::string explainAttachFailure(const ProbeSpec &probe, int error, KernelContext &kernel);

// For a syscall's kernel function (do_unlinkat, __x64_sys_openat, ...): its syscall tracepoint's
// BCC name if it exists (tracepoint__syscalls__sys_enter_unlinkat), else empty.
std::string syscallTracepointFor(const std::string &function, const KernelContext &kernel, bool onReturn);

}  // namespace probecc
