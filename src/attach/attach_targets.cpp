#include "attach/attach_targets.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <utility>


#include "attach/attach_at_target.h"
#include "elf/elf_functions.h"
#include "kernel/kernel_targets.h"
#include "attach/kprobe_multi.h"
#include "attach/syscall_stand_ins.h"
#include "attach/uprobe_multi.h"
#include "attach/attach_groups.h"
#include "attach/target_check.h"
#include "kernel/tracefs.h"
#include "support/error.h"
#include "support/name_pattern.h"

namespace probecc {
namespace {

bool isKprobe(ProbeKind kind) { return kindInfo(kind).targets == TargetSpace::KernelFunction; }
bool isUprobe(ProbeKind kind) { return kindInfo(kind).targets == TargetSpace::UserFunction; }

std::string describe(const ProbeSpec &probe) {
  return std::string(kindInfo(probe.kind).name) + ":" + displayTarget(probe);
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

void addMatches(const std::vector<std::string> &names, const std::string &pattern, bool separator,
                std::vector<AttachTarget> &into) {
  for (const auto &name : names)
    if (matchesPattern(pattern, name, separator)) into.push_back({name});
}

llvm::Error expandUprobe(ExpandedProbe &expanded) {
  const std::string &target = expanded.probe.target;
  const auto colon = target.rfind(':');
  if (colon == std::string::npos) return expansionError(expanded.probe, "write uprobe:PATH:PATTERN");
  const std::string binary = target.substr(0, colon), pattern = target.substr(colon + 1);
  auto elf = readElfFunctions(binary);
  if (!elf) return expansionError(expanded.probe, llvm::toString(elf.takeError()));
  std::set<uint64_t> offsets;  // aliases (strchr and index) share their code: probe it once
  for (const auto &function : elf->functions) {
    if (!matchesPattern(pattern, function.name)) continue;
    if (function.indirect)
      expanded.untraceable.push_back(function.name);
    else if (offsets.insert(function.fileOffset).second)
      expanded.targets.push_back({function.name, function.fileOffset});
  }
  expanded.untraceableWhy = "IFUNC symbols, whose code only picks the implementation";
  return llvm::Error::success();
}

llvm::Error expand(ExpandedProbe &expanded, KernelTargets &kernel) {
  const ProbeSpec &probe = expanded.probe;
  // tp_btf programs are loaded for one target each (their BTF type is the target's)
  const auto space = probe.kind == ProbeKind::TpBtf ? TargetSpace::None : probe.info().targets;
  switch (space) {
    case TargetSpace::KernelFunction:
      addMatches(kernel.kprobeFunctions(), probe.target, false, expanded.targets);
      if (kernel.hasFtraceFunctions())
        for (const auto &function : kernel.kernelFunctions())
          if (matchesPattern(probe.target, function) && !KernelTargets::contains(kernel.ftraceFunctions(), function))
            expanded.untraceable.push_back(function);
      expanded.untraceableWhy = "not traceable";
      break;
    case TargetSpace::Tracepoint:
      addMatches(kernel.tracepoints(), probe.target, true, expanded.targets);
      break;
    case TargetSpace::RawTracepoint:
      addMatches(kernel.rawTracepoints(), probe.target, false, expanded.targets);
      break;
    case TargetSpace::UserFunction:
      if (auto error = expandUprobe(expanded)) return error;
      break;
    case TargetSpace::Syscall:
      return expansionError(probe, "syscall patterns need kprobes; here use tracepoint:syscalls:sys_enter_PATTERN");
    default:
      return expansionError(probe, "wildcards work for kprobe, kretprobe, uprobe, uretprobe, tracepoint and "
                                   "raw_tracepoint targets (" + llvm::Twine(kindInfo(probe.kind).name) +
                                   " programs are loaded for one target each)");
  }
  if (expanded.targets.empty() && expanded.untraceable.empty())
    return expansionError(probe, "the pattern matches nothing (probecc -l '" + describe(probe) + "' lists what exists)");
  if (expanded.targets.empty())
    return expansionError(probe, "all " + llvm::Twine(expanded.untraceable.size()) + " matches are " +
                                     expanded.untraceableWhy + ": " + nameList(expanded.untraceable));
  return llvm::Error::success();
}

std::string multiNote(const ExpandedProbe &expanded) {
  return expanded.kprobeMulti ? " (kprobe_multi)" : expanded.uprobeMulti ? " (uprobe_multi)" : "";
}

// " (331 through one raw_syscalls:sys_enter attach, FN__raw_sys_enter)"
std::string standInNote(const ExpandedProbe &expanded) {
  if (expanded.standInTargets.empty()) return "";
  return " (" + std::to_string(expanded.standInTargets.size()) + " through one raw_syscalls:" + expanded.standInTarget +
         " attach, " + expanded.standInName + ")";
}

std::string why(const ProbeSpec &probe, int error) {
  if (error == EACCES && probe.kind == ProbeKind::Tracepoint) return "refused: the program reads past their record";
  if (error == EINVAL && probe.kind == ProbeKind::RawTracepoint) return "refused: the program reads past their arguments";
  if (error == 524 /* ENOTSUPP */ && isUprobe(probe.kind)) return "refused: their first instruction cannot be probed";
  if ((error == EINVAL || error == ENOENT || error == ESRCH) && isKprobe(probe.kind)) return "not traceable";
  return std::string("refused: ") + strerror(error);
}

// Wildcard uprobes attach through uprobe_multi where the kernel has it: one link to make and one
// grace period to wait for at exit, instead of one perf event and one wait per target. The program
// is then loaded for uprobe_multi alone, so every probe of it must be a wildcard one.
void useUprobeMulti(bpf_object &object, const std::vector<ProbeSpec> &probes, TargetExpansion &expansion,
                    KernelFeatures &features) {
  for (auto &expanded : expansion.probes) {
    if (!isUprobe(expanded.probe.kind) || expanded.targets.empty()) continue;
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
  const std::string binary = expanded.probe.target.substr(0, expanded.probe.target.rfind(':'));
  std::vector<uint64_t> offsets;
  for (const auto &target : expanded.targets) offsets.push_back(target.offset);
  std::vector<std::pair<size_t, int>> refusedAt;
  size_t links = 0;
  attachInGroups(0, offsets.size(), [&](size_t first, size_t count) {
    const std::vector<uint64_t> group(offsets.begin() + first, offsets.begin() + first + count);
    UniqueFd link = attachUprobeMulti(program, binary, group, expanded.probe.info().onReturn, pid);
    if (!link) return false;
    into.add(Attachment{BpfLinkPtr(), {}, std::move(link)}, expanded.probe.kind);
    ++links;
    return true;
  }, refusedAt);
  into.skipped(offsets.size() - links);  // progress counts targets; a link holds many
  for (const auto &[index, error] : refusedAt) refused.emplace_back(expanded.targets[index].name, error);
}

}  // namespace

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
    if (!hasWildcard(probe.target) || probe.kind == ProbeKind::Other) {
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
    if (!isKprobe(expanded.probe.kind) || expanded.targets.empty()) continue;
    if (kernel.has(Feature::KprobeMulti)) multiPrograms.insert(expanded.probe.function);
  }
  for (const auto &function : multiPrograms) {
    bpf_program *program = bpf_object__find_program_by_name(&object, function.c_str());
    if (!program) return makeError("internal error: no program " + function + " in the object");
    bpf_program__set_expected_attach_type(program, BPF_TRACE_KPROBE_MULTI);
    for (const auto &probe : probes)
      if (probe.function == function && isKprobe(probe.kind) && !expansion.find(probe))
        expansion.probes.push_back({probe, {{probe.target}}});
    for (auto &expanded : expansion.probes)
      if (expanded.probe.function == function && isKprobe(expanded.probe.kind)) expanded.kprobeMulti = true;
  }
  useUprobeMulti(object, probes, expansion, kernel.features());
  if (auto error = serveSyscallsThroughStandIns(object, probes, kernel, expansion)) return error;
  return expansion;
}

std::vector<std::string> describeExpansion(const TargetExpansion &expansion) {
  std::vector<std::string> lines;
  for (const auto &expanded : expansion.probes) {
    if (!hasWildcard(expanded.probe.target)) continue;
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
      standIn.target = expanded.standInTarget;
      return makeError(explainAttachFailure(standIn, -errno, kernel));
    }
    into.add(std::move(attachment), ProbeKind::RawTracepoint);
  }
  attachedCount += expanded.standInTargets.size();
  into.skipped(expanded.standInTargets.size() - (expanded.attachesStandIn ? 1 : 0));
  if (expanded.targets.empty()) {
    // all served by the stand-in
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
    std::string binary;
    if (isUprobe(probe.kind)) binary = probe.target.substr(0, probe.target.rfind(':'));
    for (const auto &target : expanded.targets) {
      if (into.interrupted()) return llvm::Error::success();  // the session ends at once
      Attachment attachment;
      if (isUprobe(probe.kind)) {
        LIBBPF_OPTS(bpf_uprobe_opts, uprobe, .retprobe = onReturn);
        attachment.link.reset(bpf_program__attach_uprobe_opts(&program, options.pid, binary.c_str(), target.offset, &uprobe));
      } else {
        ProbeSpec one = probe;
        one.target = target.name;
        attachment = attachAtTarget(program, one, kernel);
      }
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
    const std::string &name = expanded.targets.front().name;
    first.target = isUprobe(probe.kind) ? probe.target.substr(0, probe.target.rfind(':') + 1) + name : name;
    const int error = refused.empty() ? ENOENT : refused.front().second;
    std::string message = explainAttachFailure(first, -error, kernel);
    if (hasWildcard(probe.target))
      message += "\n  none of the " + std::to_string(expanded.targets.size()) + " targets " + describe(probe) +
                 " matches attached";
    return makeError(message);
  }
  const size_t matched = expanded.targets.size() + expanded.standInTargets.size() + expanded.untraceable.size();
  const size_t attached = attachedCount;
  if (hasWildcard(probe.target) && (diagnostics.isVerbose() || attached < matched)) {
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
