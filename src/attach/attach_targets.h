#pragma once
// Probes on many targets at once: wildcards (kprobe:vfs_*, tracepoint:sched:*, raw_tracepoint:
// sched_*, uprobe:PATH:str*) are expanded to what exists and attached through kprobe_multi where
// the kernel has it (uprobe_multi for uprobes), one link per target where not. Targets that do not attach are skipped,
// counted and named in one line; only a probe none of whose targets attached is an error.
#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"
#include "attach/attach.h"
#include "attach/attach_kinds.h"
#include "attach/attached_probes.h"
#include "support/diagnostics.h"

namespace probecc {

struct AttachTarget {
  std::string name;    // for messages: kprobe: function; tracepoint: "cat/event"; raw tracepoint: name; uprobe: symbol
  ProbeTarget target;  // where it attaches (a uprobe: its binary's file offset)
};
// A probe's own target as one AttachTarget.
AttachTarget attachTargetOf(const ProbeSpec &probe);
// The `names` matching `pattern` (with `separator`: tracepoint "cat/event"), as targets of `kind`.
void addMatches(ProbeKind kind, const std::vector<std::string> &names, const std::string &pattern, bool separator,
                std::vector<AttachTarget> &into);

struct ExpandedProbe {
  ProbeSpec probe;
  std::vector<AttachTarget> targets{};
  std::vector<std::string> untraceable{};  // matched, but known not to attach (and why, below)
  std::string untraceableWhy{};
  bool kprobeMulti = false;  // attached through kprobe_multi links
  bool uprobeMulti = false;  // attached through uprobe_multi links (uprobe_multi.h)
  bool rawTracepoints = false;  // tracepoints attached as raw tracepoints (raw_tracepoint_stand_ins.h)
  // plain uprobes of one program and binary in one uprobe_multi link (uprobe_lists.h): the first
  // probe's targets are the list's, its `list` the probes; the others are marked inList
  std::vector<ProbeSpec> list{};
  bool inList = false;
  // syscalls tracepoint targets served by a raw_syscalls stand-in program instead (syscall_stand_ins.h)
  std::vector<AttachTarget> standInTargets{};
  bpf_program *standIn = nullptr;
  std::string standInName{}, standInTarget{};  // its function, and "sys_enter" or "sys_exit"
  bool attachesStandIn = false;  // this probe attaches it; other probes it serves share that link
};

struct TargetOptions {
  size_t maxProbes = 1000;  // all targets of a run together (BCC refuses more than 1000 too)
  bool dryRun = false;      // also check that every plain target exists
  pid_t pid = -1;           // -p: uprobes fire in this process only
  bool rawSyscalls = true;  // syscalls tracepoints may be served by raw_syscalls stand-ins
  bool rawTracepoints = true;  // tracepoint programs that read no record may run as raw tracepoints
};

struct TargetExpansion {
  std::vector<ExpandedProbe> probes;  // wildcard probes, and every kprobe of a kprobe_multi program
  TargetOptions options;
  const ExpandedProbe *find(const ProbeSpec &probe) const;
  ExpandedProbe *find(const ProbeSpec &probe);
};

// Before loading: expands every wildcard (an error when one matches nothing, or when the run's
// targets would pass options.maxProbes), with dryRun checks that every other target exists, and
// gives programs to be attached through kprobe_multi the expected attach type that needs.
llvm::Expected<TargetExpansion> prepareTargets(bpf_object &object, const std::vector<ProbeSpec> &probes,
                                               KernelContext &kernel, const TargetOptions &options);

// What a dry run would attach: "fn: tracepoint sched:sched_* matches 25 of 25 targets", one per wildcard.
std::vector<std::string> describeExpansion(const TargetExpansion &expansion);

// Attaches every target of `expanded`; says "attached N of M ...; K not traceable: ..." when some
// did not attach (always with -v). An error when none did.
llvm::Error attachExpanded(bpf_program &program, const ExpandedProbe &expanded, KernelContext &kernel,
                           const TargetOptions &options, Diagnostics &diagnostics, AttachedProbes &into);

}  // namespace probecc
