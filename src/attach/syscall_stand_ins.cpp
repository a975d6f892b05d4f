#include "attach/syscall_stand_ins.h"

#include <array>
#include <cstring>
#include <map>

#include "kernel/syscall_numbers.h"
#include "kernel/syscalls.h"
#include "program/raw_syscalls_filter.h"
#include "support/error.h"

namespace probecc {
namespace {

constexpr std::string_view kEnterPrefix = "syscalls/sys_enter_", kExitPrefix = "syscalls/sys_exit_";

// The record the kernel gives a syscalls tracepoint program: trace_entry and the number (16 bytes),
// then the syscall's arguments (sys_enter) or its return value (sys_exit).
unsigned recordSize(const std::string &tracefs, std::string_view syscall, bool exit) {
  return exit ? 24 : 16 + 8 * syscallArgumentCount(tracefs, syscall);
}

}  // namespace

llvm::Error serveSyscallsThroughStandIns(bpf_object &object, const std::vector<ProbeSpec> &probes,
                                         KernelContext &kernel, TargetExpansion &expansion) {
  std::map<std::string, bool> tracepointProgramNeeded;  // by function: some target is left to it
  for (const auto &standIn : probes) {
    if (standIn.standsInFor.empty()) continue;
    bpf_program *program = bpf_object__find_program_by_name(&object, standIn.function.c_str());
    if (!program || !bpf_program__autoload(program)) continue;  // refused by the verifier before
    bpf_map *filter = bpf_object__find_map_by_name(&object, rawSyscallsFilterSection(standIn.function).c_str());
    const bool exit = standIn.arguments == ArgumentSource::RawSyscallExitRecord;
    const std::string_view prefix = exit ? kExitPrefix : kEnterPrefix;
    std::array<uint8_t, kRawSyscallsFilterBytes> bits{};
    size_t served = 0;
    for (const auto &probe : probes) {
      if (probe.function != standIn.standsInFor || probe.kind != ProbeKind::Tracepoint || !probe.attach ||
          !probe.target.text().starts_with(prefix))
        continue;
      if (!expansion.find(probe)) expansion.probes.push_back({probe, {attachTargetOf(probe)}});
      ExpandedProbe &expanded = *expansion.find(probe);
      std::vector<AttachTarget> left;
      for (auto &target : expanded.targets) {
        const std::string_view syscall = std::string_view(target.name).substr(prefix.size());
        const auto number = syscallNumber(syscall);
        const bool serves = expansion.options.rawSyscalls && filter && standIn.recordBytesRead && number &&
                            *number < kRawSyscallsFilterBits &&
                            *standIn.recordBytesRead <= recordSize(kernel.tracefs(), syscall, exit);
        if (!serves) {
          left.push_back(std::move(target));
          continue;
        }
        bits[*number / 8] |= static_cast<uint8_t>(1u << (*number % 8));
        expanded.standInTargets.push_back(std::move(target));
        ++served;
      }
      expanded.targets = std::move(left);
      if (!expanded.standInTargets.empty()) {
        expanded.standIn = program;
        expanded.standInName = standIn.function;
        expanded.standInTarget = standIn.target.text();
      }
      tracepointProgramNeeded[probe.function] |= !expanded.targets.empty();
    }
    if (served == 0) {
      bpf_program__set_autoload(program, false);
      continue;
    }
    if (int error = bpf_map__set_initial_value(filter, bits.data(), bits.size()))
      return makeError("internal error: cannot fill " + rawSyscallsFilterSection(standIn.function) + ": " +
                       llvm::Twine(strerror(-error)));
    // The first probe the stand-in serves attaches it; the others share that attachment.
    for (auto &expanded : expansion.probes)
      if (expanded.standIn == program) {
        expanded.attachesStandIn = true;
        break;
      }
  }
  // A tracepoint program every target of which a stand-in serves is not loaded at all (unless it
  // has targets elsewhere: a probe of it that is not on a syscalls tracepoint).
  for (const auto &[function, needed] : tracepointProgramNeeded) {
    bool elsewhere = needed;
    for (const auto &probe : probes)
      if (probe.function == function && !expansion.find(probe)) elsewhere = true;
    for (const auto &expanded : expansion.probes)
      if (expanded.probe.function == function && !expanded.targets.empty()) elsewhere = true;
    if (!elsewhere)
      if (bpf_program *program = bpf_object__find_program_by_name(&object, function.c_str()))
        bpf_program__set_autoload(program, false);
  }
  return llvm::Error::success();
}

}  // namespace probecc
