#include "load/program_loader.h"

#include <algorithm>
#include <map>
#include <optional>

namespace probecc {
namespace {

// The hook a probe runs at, for the kinds that have a BTF-typed alternative, and whether the
// probe is that alternative.
struct Hook {
  std::string key;
  bool btfTyped;
};
std::optional<Hook> hookOf(const ProbeSpec &probe) {
  if (!probe.standsInFor.empty()) return std::nullopt;  // a raw_syscalls stand-in: its own kind of alternative
  const ProbeKind twin = probe.info().btfTyped;
  if (twin == ProbeKind::Other) return std::nullopt;
  return Hook{std::string(kindInfo(twin).name) + " " + probe.target.text(), probe.kind == twin};
}

std::string describe(const std::vector<ProbeSpec> &probes, const std::string &function) {
  for (const auto &probe : probes)
    if (probe.function == function) return function + " (" + probe.section() + ")";
  return function;
}

}  // namespace

std::vector<AlternativePrograms> findAlternatives(const std::vector<ProbeSpec> &probes) {
  std::map<std::string, AlternativePrograms> byHook;
  for (const auto &probe : probes) {
    const auto hook = hookOf(probe);
    if (!hook) continue;
    auto &pair = byHook[hook->key];
    auto &slot = hook->btfTyped ? pair.preferred : pair.fallback;
    if (slot.empty()) slot = probe.function;
  }
  std::vector<AlternativePrograms> pairs;
  for (const auto &[hook, pair] : byHook)
    if (!pair.preferred.empty() && !pair.fallback.empty()) pairs.push_back(pair);
  return pairs;
}

llvm::Expected<LoadedProgram> loadProgram(llvm::ArrayRef<char> elf, const std::vector<ProbeSpec> &probes,
                                          LibbpfLog &log, bool verbose, const UserSource &source,
                                          const std::function<llvm::Error(bpf_object &)> &prepare) {
  const auto alternatives = findAlternatives(probes);
  std::set<std::string> off;
  for (const auto &pair : alternatives) off.insert(pair.fallback);
  std::vector<std::string> notes;
  for (;;) {
    auto object = openObject(elf, log);
    if (!object) return object.takeError();
    for (const auto &function : off)
      if (auto *program = bpf_object__find_program_by_name(object->get(), function.c_str()))
        bpf_program__set_autoload(program, false);
    if (auto error = prepare(**object)) return error;
    auto maps = prepareMaps(**object);
    if (!maps) return maps.takeError();
    ProgramLogs logs;
    auto failed = loadObject(**object, log, verbose, source, logs);
    if (!failed) {
      if (auto error = finishMaps(*maps)) return error;
      notes.insert(notes.end(), maps->notes.begin(), maps->notes.end());
      for (const auto &pair : alternatives)
        if (off.contains(pair.fallback))
          notes.push_back(describe(probes, pair.preferred) + " loaded; its alternative " +
                          describe(probes, pair.fallback) + " is not");
      return LoadedProgram{std::move(*object), std::move(*maps), std::move(off), std::move(notes)};
    }
    const std::string refused = refusedProgram(**object, log, logs);
    // A refused raw_syscalls stand-in (codegen/raw_syscalls.h): its tracepoint program serves alone.
    const bool standIn = std::any_of(probes.begin(), probes.end(), [&](const ProbeSpec &p) {
      return p.function == refused && !p.standsInFor.empty();
    });
    if (standIn && !off.contains(refused)) {
      llvm::consumeError(std::move(failed));
      notes.push_back("the kernel refused " + describe(probes, refused) + " (" + readVerifierLog(logs.of(refused), refused).reason +
                      "); its syscalls tracepoints attach one perf event each instead");
      off.insert(refused);
      continue;
    }
    // A refused BTF-typed program whose alternative is still off: try again with the alternative.
    const auto pair = std::find_if(alternatives.begin(), alternatives.end(), [&](const AlternativePrograms &p) {
      return p.preferred == refused && off.contains(p.fallback);
    });
    if (pair == alternatives.end()) return failed;
    llvm::consumeError(std::move(failed));
    const auto refusal = readVerifierLog(logs.of(refused), refused);
    const std::string why = refusal.complaint.empty() ? "not loadable here" : refusal.reason;
    notes.push_back("the kernel refused " + describe(probes, pair->preferred) + ": " + why + "; loading its alternative " +
                    describe(probes, pair->fallback) + " instead");
    off.erase(pair->fallback);
    off.insert(pair->preferred);
  }
}

}  // namespace probecc
