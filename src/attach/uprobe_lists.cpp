#include "attach/uprobe_lists.h"

#include <cerrno>
#include <map>
#include <set>
#include <tuple>

#include "attach/attach_user.h"
#include "attach/uprobe_multi.h"
#include "support/error.h"
#include "support/name_pattern.h"

namespace probecc {
namespace {

bool isUprobe(const ProbeSpec &probe) { return probe.info().targets == TargetSpace::UserFunction; }
std::string binaryOf(const ProbeSpec &probe) { return probe.target.as<UserFunction>()->binary; }
std::string symbolOf(const ProbeSpec &probe) { return probe.target.as<UserFunction>()->symbol; }

// The functions that qualify (see the header), each with its plain probes.
std::map<std::string, std::vector<const ProbeSpec *>> candidates(const std::vector<ProbeSpec> &probes) {
  std::map<std::string, std::vector<const ProbeSpec *>> plain;
  std::set<std::string> ruledOut;
  for (const auto &probe : probes) {
    if (!isUprobe(probe) || !probe.attach) {
      ruledOut.insert(probe.function);
      continue;
    }
    if (!hasWildcard(probe.target.text())) plain[probe.function].push_back(&probe);
  }
  std::erase_if(plain, [&](const auto &entry) { return entry.second.size() < 2 || ruledOut.contains(entry.first); });
  return plain;
}

}  // namespace

void groupUprobeLists(bpf_object &object, const std::vector<ProbeSpec> &probes, KernelContext &kernel,
                      TargetExpansion &expansion) {
  auto lists = candidates(probes);
  if (lists.empty() || !kernel.has(Feature::UprobeMulti)) return;
  std::map<std::string, std::optional<ElfFunctions>> binaries;  // each read once
  for (const auto &[function, plain] : lists) {
    bpf_program *program = bpf_object__find_program_by_name(&object, function.c_str());
    if (!program) continue;
    // group by binary and direction; every target located, none twice
    std::map<std::tuple<std::string, bool>, ExpandedProbe> groups;
    std::set<std::tuple<std::string, bool, uint64_t>> seen;
    bool located = true;
    for (const ProbeSpec *probe : plain) {
      const std::string binary = binaryOf(*probe);
      auto &elf = binaries[binary];
      if (!elf) {
        auto read = readElfFunctions(binary);
        if (!read) {
          llvm::consumeError(read.takeError());
          located = false;
          break;
        }
        elf = std::move(*read);
      }
      const auto offset = sharedFileOffset(*elf, symbolOf(*probe));
      const bool onReturn = probe->info().onReturn;
      if (!offset || !seen.emplace(binary, onReturn, *offset).second) {
        located = false;
        break;
      }
      auto [group, first] = groups.try_emplace({binary, onReturn}, ExpandedProbe{*probe});
      group->second.targets.push_back({symbolOf(*probe), UserFunction{binary, "", *offset}});
      group->second.list.push_back(*probe);
    }
    if (!located) continue;
    bpf_program__set_expected_attach_type(program, kUprobeMultiAttachType);
    for (auto &[key, group] : groups) {
      group.uprobeMulti = true;
      for (size_t i = 1; i < group.list.size(); ++i) {
        ExpandedProbe member{group.list[i]};
        member.inList = true;
        expansion.probes.push_back(std::move(member));
      }
      expansion.probes.push_back(std::move(group));
    }
  }
}

llvm::Error attachUprobeList(bpf_program &program, const ExpandedProbe &expanded, pid_t pid, KernelContext &kernel,
                             Diagnostics &diagnostics, AttachedProbes &into) {
  const std::string binary = binaryOf(expanded.probe);
  std::vector<uint64_t> offsets;
  for (const auto &target : expanded.targets) offsets.push_back(target.target.as<UserFunction>()->offset);
  std::vector<std::pair<size_t, int>> refused;  // all at once; halved only to find a refused one
  attachUprobeMultiGroups(program, binary, offsets, expanded.probe.info().onReturn, pid, expanded.probe.kind, into,
                          refused);
  if (!refused.empty())
    return makeError(explainAttachFailure(expanded.list[refused.front().first], -refused.front().second, kernel));
  diagnostics.verbose(expanded.probe.function + ": " + std::to_string(offsets.size()) + " " +
                      std::string(kindInfo(expanded.probe.kind).name) + "s in " + binary + " through one uprobe_multi link");
  return llvm::Error::success();
}

}  // namespace probecc
