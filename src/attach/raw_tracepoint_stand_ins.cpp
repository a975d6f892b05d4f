#include "attach/raw_tracepoint_stand_ins.h"

#include <cerrno>
#include <map>
#include <optional>
#include <set>
#include <span>

#include "attach/context_reads.h"
#include "kernel/kernel_targets.h"

namespace probecc {
namespace {

// "sched/sched_switch" -> "sched_switch": a trace event is named after its tracepoint (nullptr:
// the target is no tracepoint).
const std::string *eventOf(const AttachTarget &target) {
  const auto *tracepoint = target.target.as<TracepointName>();
  return tracepoint ? &tracepoint->event : nullptr;
}

// The targets left to a tracepoint probe (a raw_syscalls stand-in may serve some of them).
std::vector<AttachTarget> targetsOf(const ProbeSpec &probe, const TargetExpansion &expansion) {
  const ExpandedProbe *expanded = expansion.find(probe);
  return expanded ? expanded->targets : std::vector<AttachTarget>{attachTargetOf(probe)};
}

bool readsNothingOfItsRecord(const bpf_program &program) {
  const bpf_insn *instructions = bpf_program__insns(&program);
  return instructions && readsNothingOfItsContext(std::span(instructions, bpf_program__insn_cnt(&program)));
}

}  // namespace

void serveTracepointsThroughRawTracepoints(bpf_object &object, const std::vector<ProbeSpec> &probes,
                                           KernelContext &kernel, TargetExpansion &expansion) {
  if (!expansion.options.rawTracepoints) return;
  // the candidates, by function: every probe of it an attached tracepoint, the program loaded and
  // reading nothing of its record
  std::map<std::string, bpf_program *> candidates;
  std::set<std::string> ruledOut;
  for (const auto &probe : probes) {
    if (ruledOut.contains(probe.function) || candidates.contains(probe.function)) continue;
    bool allTracepoints = true;
    for (const auto &other : probes)
      if (other.function == probe.function)
        allTracepoints &= other.kind == ProbeKind::Tracepoint && other.attach && other.standsInFor.empty();
    bpf_program *program = bpf_object__find_program_by_name(&object, probe.function.c_str());
    if (allTracepoints && program && bpf_program__autoload(program) && readsNothingOfItsRecord(*program))
      candidates.emplace(probe.function, program);
    else
      ruledOut.insert(probe.function);
  }
  if (candidates.empty()) return;
  // Trace events without a btf_trace_NAME (syscalls:*, kprobe and other dynamic events) have no
  // raw tracepoint.
  const auto &tracepoints = kernel.targets().vmlinuxTracepoints();
  for (const auto &[function, program] : candidates) {
    bool everyTargetIsATracepoint = true;
    for (const auto &probe : probes)
      if (probe.function == function)
        for (const auto &target : targetsOf(probe, expansion)) {
          const std::string *event = eventOf(target);
          everyTargetIsATracepoint &= event && KernelTargets::contains(tracepoints, *event);
        }
    if (!everyTargetIsATracepoint) continue;
    bpf_program__set_type(program, BPF_PROG_TYPE_RAW_TRACEPOINT);
    for (const auto &probe : probes) {
      if (probe.function != function) continue;
      if (!expansion.find(probe)) expansion.probes.push_back({probe, {attachTargetOf(probe)}});
      expansion.find(probe)->rawTracepoints = true;
    }
  }
}

size_t attachRawTracepointTargets(bpf_program &program, const ExpandedProbe &expanded, AttachedProbes &into,
                                  std::vector<std::pair<std::string, int>> &refused) {
  size_t attached = 0;
  for (const auto &target : expanded.targets) {
    if (into.interrupted()) break;  // the session ends at once
    BpfLinkPtr link(bpf_program__attach_raw_tracepoint(&program, eventOf(target)->c_str()));
    if (!link) {
      refused.emplace_back(target.name, errno);
      into.skipped();
      continue;
    }
    into.add(std::move(link), ProbeKind::RawTracepoint);  // released concurrently, and without a wait
    ++attached;
  }
  return attached;
}

}  // namespace probecc
