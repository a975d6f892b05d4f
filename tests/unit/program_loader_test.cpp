#include "load/program_loader.h"

#include <gtest/gtest.h>

#include "probe_targets.h"

using namespace probecc;

namespace {

ProbeSpec probe(const std::string &function, ProbeKind kind, const std::string &target) {
  ProbeSpec spec;
  spec.function = function;
  spec.kind = kind;
  spec.target = targetOf(kind, target);
  return spec;
}

std::vector<std::pair<std::string, std::string>> pairsOf(const std::vector<ProbeSpec> &probes) {
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const auto &pair : findAlternatives(probes)) pairs.emplace_back(pair.preferred, pair.fallback);
  return pairs;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST(ProgramLoader, BtfTypedProgramsPairWithTheirClassicAlternativeOnTheSameHook) {
  // libbpf-tools' order varies: the BTF-typed one is preferred whichever comes first.
  const Pairs expected{{"fentry_open", "kprobe_open"}, {"fexit_open", "kretprobe_open"}, {"btf_switch", "raw_switch"}};
  EXPECT_EQ(pairsOf({probe("kprobe_open", ProbeKind::Kprobe, "do_sys_openat2"),
                     probe("fentry_open", ProbeKind::Fentry, "do_sys_openat2"),
                     probe("fexit_open", ProbeKind::Fexit, "do_sys_openat2"),
                     probe("kretprobe_open", ProbeKind::Kretprobe, "do_sys_openat2"),
                     probe("raw_switch", ProbeKind::RawTracepoint, "sched_switch"),
                     probe("btf_switch", ProbeKind::TpBtf, "sched_switch")}),
            expected);
}

TEST(ProgramLoader, ProgramsOnDifferentHooksAreNotAlternatives) {
  EXPECT_EQ(pairsOf({probe("fentry_read", ProbeKind::Fentry, "vfs_read"),
                     probe("kprobe_write", ProbeKind::Kprobe, "vfs_write")}),
            Pairs{});
  // Entry and return of one function are two hooks.
  EXPECT_EQ(pairsOf({probe("fentry_read", ProbeKind::Fentry, "vfs_read"),
                     probe("kretprobe_read", ProbeKind::Kretprobe, "vfs_read")}),
            Pairs{});
  // A classic tracepoint is no alternative to tp_btf, whose hook is the raw tracepoint.
  EXPECT_EQ(pairsOf({probe("btf_exec", ProbeKind::TpBtf, "sched_process_exec"),
                     probe("tp_exec", ProbeKind::Tracepoint, "sched/sched_process_exec")}),
            Pairs{});
}

TEST(ProgramLoader, AHookWithOnlyOneKindHasNoAlternative) {
  EXPECT_EQ(pairsOf({probe("a", ProbeKind::Kprobe, "vfs_read"), probe("b", ProbeKind::Kprobe, "vfs_read")}), Pairs{});
  EXPECT_EQ(pairsOf({probe("a", ProbeKind::Fentry, "vfs_read")}), Pairs{});
  EXPECT_EQ(pairsOf({}), Pairs{});
}

TEST(ProgramLoader, TheFirstProgramOfEachKindOnAHookIsTheOnePaired) {
  EXPECT_EQ(pairsOf({probe("kprobe_1", ProbeKind::Kprobe, "vfs_read"), probe("fentry_1", ProbeKind::Fentry, "vfs_read"),
                     probe("kprobe_2", ProbeKind::Kprobe, "vfs_read")}),
            (Pairs{{"fentry_1", "kprobe_1"}}));
}
