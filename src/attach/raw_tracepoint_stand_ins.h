#pragma once
// Tracepoint programs that read nothing of their record run from raw tracepoints.
//
// A tracepoint program attaches through a perf event, and releasing that event waits for the
// kernel to unregister the tracepoint, one event at a time under its global event_mutex (360 of
// them: ~1.4 s at best, seconds on a loaded machine). A raw tracepoint link of the same name
// fires at the same point in the kernel and its release does not wait. A raw tracepoint program
// gets the tracepoint's arguments instead of the trace event's record, so only a program that
// reads nothing of its record (context_reads.h decides it from the compiled instructions) can be
// loaded as one and keep its output; the others attach as before.
#include <string>
#include <utility>
#include <vector>

#include <bpf/libbpf.h>

#include "attach/attach_targets.h"

namespace probecc {

// Before loading: loads every qualifying tracepoint program as a raw tracepoint program and marks
// its probes' ExpandedProbe (adding one for a plain probe) rawTracepoints. A program qualifies when
// options.rawTracepoints, every probe of it is an attached tracepoint, every target left to it (not
// served by a raw_syscalls stand-in) is a tracepoint of vmlinux (its btf_trace_NAME typedef:
// syscalls:* events and dynamic events are not tracepoints) and it reads nothing of its record.
void serveTracepointsThroughRawTracepoints(bpf_object &object, const std::vector<ProbeSpec> &probes,
                                           KernelContext &kernel, TargetExpansion &expansion);

// One raw tracepoint link for each of `expanded`'s targets; the refused ones (name, errno) go to
// `refused`. Returns how many attached.
size_t attachRawTracepointTargets(bpf_program &program, const ExpandedProbe &expanded, AttachedProbes &into,
                                  std::vector<std::pair<std::string, int>> &refused);

}  // namespace probecc
