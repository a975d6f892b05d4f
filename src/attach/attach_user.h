#pragma once
// User-space probes libbpf's section attach cannot make: USDT probes (their path and provider
// resolved here, attached by libbpf's bpf_program__attach_usdt, which also handles semaphores)
// and uprobes (limited to one process with -p PID, attached at the function's own file offset
// where libbpf 1.1 would find the name ambiguous).
#include <sys/types.h>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"
#include "attach/attach.h"

namespace probecc {

// pid -1: every process.
llvm::Expected<BpfLinkPtr> attachUsdt(bpf_program &program, const ProbeSpec &probe, pid_t pid);
llvm::Expected<BpfLinkPtr> attachUprobe(bpf_program &program, const ProbeSpec &probe, pid_t pid, KernelContext &kernel);

}  // namespace probecc
