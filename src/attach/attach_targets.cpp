#include "attach/attach_targets.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <utility>


#include "elf/elf_functions.h"
#include "kernel/kernel_targets.h"
#include "attach/kprobe_multi.h"
#include "attach/raw_tracepoint_stand_ins.h"
#include "attach/syscall_stand_ins.h"
#include "attach/uprobe_lists.h"
#include "attach/uprobe_multi.h"
#include "attach/attach_groups.h"
#include "attach/target_check.h"
#include "kernel/tracefs.h"
#include "support/error.h"
#include "support/name_pattern.h"

namespace probecc {
namespace {

bool throughKprobeMulti(ProbeKind kind) { return attachKind(kind).multi == MultiLink::Kprobe; }

std::string describe(const ProbeSpec &probe) {
  return std::string(kindInfo(probe.kind).name) + ":" + probe.target.shown();
}

llvm::Error expansionError(const ProbeSpec &probe, const llvm::Twine &why) {
  return makeError(probe.location + "cannot attach " + probe.function + " (" + describe(probe) + "): " + why);
}

// "a, b, c" with at most a dozen names.
std::string nameList(const std::vector<std::string> &names) {
  std::string text;
  for (size_t i = 0; i < names.size() && i < 12; ++i) text += (i ? ", " : "") + names[i];
  if (names.size() > 12) text += ", and " + std::to_string(names.size() - 12) + " more";
  return text;
}

llvm::Error expand(ExpandedProbe &expanded, KernelTargets &kernel) {
  const ProbeSpec &probe = expanded.probe;
  const auto &row = attachKind(probe.kind);
  if (!row.expand)
    return expansionError(probe, "wildcards work for kprobe, kretprobe, uprobe, uretprobe, tracepoint and "
                                 "raw_tracepoint targets (" + llvm::Twine(kindInfo(probe.kind).name) +
                                 " programs are loaded for one target each)");
  if (auto error = row.expand(expanded, kernel)) return error;
  if (expanded.targets.empty() && expanded.untraceable.empty())
    return expansionError(probe, "the pattern matches nothing (probecc -l '" + describe(probe) + "' lists what exists)");
  if (expanded.targets.empty())
    return expansionError(probe, "all " + llvm::Twine(expanded.untraceable.size()) + " matches are " +
                                     expanded.untraceableWhy + ": " + nameList(expanded.untraceable));
  return llvm::Error::success();
}

std::string multiNote(const ExpandedProbe &expanded) {
  if (expanded.rawTracepoints) return " (raw tracepoints: " + expanded.probe.function + " reads nothing of the record)";
  return expanded.kprobeMulti ? " (kprobe_multi)" : expanded.uprobeMulti ? " (uprobe_multi)" : "";
}

// " (331 through one raw_syscalls:sys_enter attach, FN__raw_sys_enter)"
std::string standInNote(const ExpandedProbe &expanded) {
  if (expanded.standInTargets.empty()) return "";
  return " (" + std::to_string(expanded.standInTargets.size()) + " through one raw_syscalls:" + expanded.standInTarget +
         " attach, " + expanded.standInName + ")";
}

std::string why(const ProbeSpec &probe, int error) {
  if (const auto &row = attachKind(probe.kind); row.refusal)
    if (auto reason = row.refusal(error)) return *reason;
  return std::string("refused: ") + strerror(error);
}

// Wildcard uprobes attach through uprobe_multi where the kernel has it: one link to make and one
// grace period to wait for at exit, instead of one perf event and one wait per target. The program
// is then loaded for uprobe_multi alone, so every probe of it must be a wildcard one.
void useUprobeMulti(bpf_object &object, const std::vector<ProbeSpec> &probes, TargetExpansion &expansion,
                    KernelFeatures &features) {
  for (auto &expanded : expansion.probes) {
    if (attachKind(expanded.probe.kind).multi != MultiLink::Uprobe || expanded.targets.empty()) continue;
    const bool allExpanded = std::all_of(probes.begin(), probes.end(), [&](const ProbeSpec &probe) {
      return probe.function != expanded.probe.function || expansion.find(probe);
    });
    if (!allExpanded) continue;
    if (!features.has(Feature::UprobeMulti)) return;
    bpf_program *program = bpf_object__find_program_by_name(&object, expanded.probe.function.c_str());
    if (!program) continue;
    bpf_program__set_expected_attach_type(program, kUprobeMultiAttachType);
    expanded.uprobeMulti = true;
  }
}

// Every target of a uprobe_multi probe, in as few links as the kernel takes.
void attachUprobeTargets(bpf_program &program, const ExpandedProbe &expanded, pid_t pid, AttachedProbes &into,
                         std::vector<std::pair<std::string, int>> &refused) {
  const std::string &binary = expanded.probe.target.as<UserFunction>()->binary;
  std::vector<uint64_t> offsets;
  for (const auto &target : expanded.targets) offsets.push_back(target.target.as<UserFunction>()->offset);
  std::vector<std::pair<size_t, int>> refusedAt;
  attachUprobeMultiGroups(program, binary, offsets, expanded.probe.info().onReturn, pid, expanded.probe.kind, into,
                          refusedAt);
  for (const auto &[index, error] : refusedAt) refused.emplace_back(expanded.targets[index].name, error);
}

}  // namespace

AttachTarget attachTargetOf(const ProbeSpec &probe) { return {probe.target.text(), probe.target}; }

void addMatches(ProbeKind kind, const std::vector<std::string> &names, const std::string &pattern, bool separator,
                std::vector<AttachTarget> &into) {
  for (const auto &name : names) {
    if (!matchesPattern(pattern, name, separator)) continue;
    if (auto target = parseTarget(kind, name)) into.push_back({name, std::move(*target)});
    else llvm::consumeError(target.takeError());
  }
}

const ExpandedProbe *TargetExpansion::find(const ProbeSpec &probe) const {
  for (const auto &expanded : probes)
    if (expanded.probe.function == probe.function && expanded.probe.kind == probe.kind &&
        expanded.probe.target == probe.target)
      return &expanded;
  return nullptr;
}

ExpandedProbe *TargetExpansion::find(const ProbeSpec &probe) {
  return const_cast<ExpandedProbe *>(std::as_const(*this).find(probe));
}

llvm::Expected<TargetExpansion> prepareTargets(bpf_object &object, const std::vector<ProbeSpec> &probes,
                                               KernelContext &kernel, const TargetOptions &options) {
  TargetExpansion expansion{{}, options};
  size_t total = 0;
  for (const auto &probe : probes) {
    // a section probecc does not know is libbpf's to read, wildcards and all (SEC("kprobe.multi/vfs_*"))
    if (!probe.target.isPattern() || probe.target.as<SectionName>()) {
      ++total;
      continue;
    }
    ExpandedProbe expanded{probe};
    if (auto error = expand(expanded, kernel.targets())) return error;
    total += expanded.targets.size();
    expansion.probes.push_back(std::move(expanded));
  }
  if (total > options.maxProbes)
    return makeError("the probes match " + llvm::Twine(total) + " targets, more than the limit of " +
                     llvm::Twine(options.maxProbes) + " (each is a probe in the kernel): narrow the patterns, or raise "
                     "the limit with --max-probes N");
  if (options.dryRun)
    if (auto error = checkTargetsExist(probes, kernel)) return error;

  // A program with a kprobe wildcard is loaded for kprobe_multi, so its plain kprobes go that way too.
  std::set<std::string> multiPrograms;
  for (auto &expanded : expansion.probes) {
    if (!throughKprobeMulti(expanded.probe.kind) || expanded.targets.empty() || !kernel.has(Feature::Kprobes)) continue;
    if (kernel.has(Feature::KprobeMulti)) multiPrograms.insert(expanded.probe.function);
  }
  for (const auto &function : multiPrograms) {
    bpf_program *program = bpf_object__find_program_by_name(&object, function.c_str());
    if (!program) return makeError("internal error: no program " + function + " in the object");
    bpf_program__set_expected_attach_type(program, BPF_TRACE_KPROBE_MULTI);
    for (const auto &probe : probes)
      if (probe.function == function && throughKprobeMulti(probe.kind) && !expansion.find(probe))
        expansion.probes.push_back({probe, {attachTargetOf(probe)}});
    for (auto &expanded : expansion.probes)
      if (expanded.probe.function == function && throughKprobeMulti(expanded.probe.kind)) expanded.kprobeMulti = true;
  }
  groupUprobeLists(object, probes, kernel, expansion);
  useUprobeMulti(object, probes, expansion, kernel.features());
  if (auto error = serveSyscallsThroughStandIns(object, probes, kernel, expansion)) return error;
  serveTracepointsThroughRawTracepoints(object, probes, kernel, expansion);
  return expansion;
}

std::vector<std::string> describeExpansion(const TargetExpansion &expansion) {
  std::vector<std::string> lines;
  for (const auto &expanded : expansion.probes) {
    if (!expanded.probe.target.isPattern()) continue;
    std::string line = expanded.probe.function + ": " + describe(expanded.probe) + " matches " +
                       std::to_string(expanded.targets.size() + expanded.standInTargets.size()) + " target(s)";
    if (!expanded.untraceable.empty())
      line += " and " + std::to_string(expanded.untraceable.size()) + " " + expanded.untraceableWhy + ": " +
              nameList(expanded.untraceable);
    lines.push_back(line + multiNote(expanded) + standInNote(expanded));
  }
  return lines;
}

llvm::Error attachExpanded(bpf_program &program, const ExpandedProbe &expanded, KernelContext &kernel,
                           const TargetOptions &options, Diagnostics &diagnostics, AttachedProbes &into) {
  if (expanded.inList) return llvm::Error::success();  // attached with its list's first probe
  if (!expanded.list.empty()) return attachUprobeList(program, expanded, options.pid, kernel, diagnostics, into);
  const ProbeSpec &probe = expanded.probe;
  if (kindInfo(probe.kind).needsKprobes && !kernel.has(Feature::Kprobes))
    return makeError(explainAttachFailure(probe, -EOPNOTSUPP, kernel));
  const bool onReturn = probe.info().onReturn;
  size_t attachedCount = 0;
  std::vector<std::pair<std::string, int>> refused;
  if (expanded.attachesStandIn) {
    // One raw tracepoint link for every syscall the stand-in serves: its release does not wait.
    Attachment attachment{BpfLinkPtr(bpf_program__attach_raw_tracepoint(expanded.standIn, expanded.standInTarget.c_str())), {}};
    if (!attachment) {
      ProbeSpec standIn = probe;
      standIn.kind = ProbeKind::RawTracepoint;
      standIn.function = expanded.standInName;
      standIn.target = KernelName{expanded.standInTarget};
      return makeError(explainAttachFailure(standIn, -errno, kernel));
    }
    into.add(std::move(attachment), ProbeKind::RawTracepoint);
  }
  attachedCount += expanded.standInTargets.size();
  into.skipped(expanded.standInTargets.size() - (expanded.attachesStandIn ? 1 : 0));
  if (expanded.targets.empty()) {
    // all served by the stand-in
  } else if (expanded.rawTracepoints) {
    attachedCount += attachRawTracepointTargets(program, expanded, into, refused);
    if (into.interrupted()) return llvm::Error::success();  // the session ends at once
  } else if (expanded.uprobeMulti) {
    attachUprobeTargets(program, expanded, options.pid, into, refused);
    attachedCount += expanded.targets.size() - refused.size();
  } else if (expanded.kprobeMulti) {
    std::vector<std::string> functions;
    for (const auto &target : expanded.targets) functions.push_back(target.name);
    auto links = attachKprobeMulti(program, functions, onReturn, refused);
    into.skipped(expanded.targets.size() - links.size());  // progress counts targets; a link holds many
    for (auto &link : links) into.add(std::move(link), probe.kind);
    attachedCount += expanded.targets.size() - refused.size();
  } else {
    const AttachEnv env{kernel, options.pid};
    for (const auto &target : expanded.targets) {
      if (into.interrupted()) return llvm::Error::success();  // the session ends at once
      ProbeSpec one = probe;
      one.target = target.target;
      Attachment attachment = attachKind(probe.kind).attachTarget(program, one, env);
      if (attachment) {
        into.add(std::move(attachment), probe.kind);
        ++attachedCount;
      } else {
        refused.emplace_back(target.name, errno);
        into.skipped();
      }
    }
  }
  if (attachedCount == 0) {
    // Nothing attached: say why for the first target, as a plain probe on it would.
    ProbeSpec first = probe;
    first.target = expanded.targets.front().target;
    // a uprobe's target is its file offset; the explanation names its symbol
    if (auto *function = first.target.as<UserFunction>()) *function = {function->binary, expanded.targets.front().name};
    const int error = refused.empty() ? ENOENT : refused.front().second;
    std::string message = explainAttachFailure(first, -error, kernel);
    if (probe.target.isPattern())
      message += "\n  none of the " + std::to_string(expanded.targets.size()) + " targets " + describe(probe) +
                 " matches attached";
    return makeError(message);
  }
  const size_t matched = expanded.targets.size() + expanded.standInTargets.size() + expanded.untraceable.size();
  const size_t attached = attachedCount;
  if (probe.target.isPattern() && (diagnostics.isVerbose() || attached < matched)) {
    std::string line = "attached " + std::to_string(attached) + " of " + std::to_string(matched) + " " +
                       describe(probe) + multiNote(expanded);
    std::map<std::string, std::vector<std::string>> skipped;
    for (const auto &[name, error] : refused) skipped[why(probe, error)].push_back(name);
    if (!expanded.untraceable.empty())
      std::copy(expanded.untraceable.begin(), expanded.untraceable.end(),
                std::back_inserter(skipped[expanded.untraceableWhy]));
    for (const auto &[reason, names] : skipped)
      line += "; " + std::to_string(names.size()) + " " + reason + ": " + nameList(names);
    line += standInNote(expanded);
    into.clearProgress();
    diagnostics.progress(line);
  }
  return llvm::Error::success();
}

}  // namespace probecc
