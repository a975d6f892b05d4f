#pragma once
// Lists of plain uprobes (-a uprobe:libc:malloc=f -a uprobe:libc:free=f ...) attach like a uprobe
// wildcard: one uprobe_multi link per program, binary and direction where the kernel has
// uprobe_multi, so that they come and go at once rather than one perf event and one grace period
// each (uprobe_multi.h). Unlike a wildcard's targets, every one of them must attach: a refused
// one is an error on its own line.
#include <sys/types.h>

#include <string>
#include <vector>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "attach/attach_targets.h"

namespace probecc {

// Before loading: for each program with two or more plain uprobes whose every probe is a uprobe
// (or a uretprobe) at a function the binary's symbols locate, and every wildcard of which will be
// attached through uprobe_multi too: the first probe of each binary and direction gets an
// ExpandedProbe with all of that group's targets (and the probes in `list`); the others one marked
// inList. Nothing changes where the kernel has no uprobe_multi.
void groupUprobeLists(bpf_object &object, const std::vector<ProbeSpec> &probes, KernelContext &kernel,
                      TargetExpansion &expansion);

// Attaches a group made above; an error naming the probe (and its line) the kernel refused.
// pid > 0 (-p): in that process only.
llvm::Error attachUprobeList(bpf_program &program, const ExpandedProbe &expanded, pid_t pid, KernelContext &kernel,
                             Diagnostics &diagnostics, AttachedProbes &into);

}  // namespace probecc
