#pragma once
// Which syscalls tracepoint targets a raw_syscalls stand-in program serves (codegen/raw_syscalls.h
// says why they exist): those whose syscall number probecc knows and whose record is as long as
// the tracepoint program reads (the kernel refuses a tracepoint with a shorter one, so the
// stand-in must not serve it either). Their numbers go into the stand-in's filter before load;
// the tracepoint program keeps the rest, and is not loaded when nothing is left to it.
#include <string>
#include <vector>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "attach/attach_targets.h"

namespace probecc {

// Moves served targets into each ExpandedProbe's standInTargets (adding an ExpandedProbe for a
// plain syscalls tracepoint probe), fills the filters and sets what loads.
llvm::Error serveSyscallsThroughStandIns(bpf_object &object, const std::vector<ProbeSpec> &probes,
                                         KernelContext &kernel, TargetExpansion &expansion);

}  // namespace probecc
