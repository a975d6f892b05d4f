#include "frontend/probe_plan.h"

#include <gtest/gtest.h>

using namespace probecc;

namespace {
ProbeSpec plannedSection(std::string_view function, std::string_view section) {
  auto result = planFromSection(function, section);
  EXPECT_TRUE(static_cast<bool>(result)) << section;
  if (!result) return llvm::consumeError(result.takeError()), ProbeSpec{};
  return std::move(*result);
}
ProbeSpec planned(std::string_view name) {
  auto result = planFromName(name);
  EXPECT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_TRUE(result->has_value()) << name << " should be a probe";
  return **result;
}

std::string planError(std::string_view name) {
  auto result = planFromName(name);
  if (result) return "";
  return llvm::toString(result.takeError());
}
}  // namespace

TEST(ProbePlan, EveryBccPrefixMapsToItsKindAndSection) {
  struct Case {
    const char *name;
    ProbeKind kind;
    const char *section;
  } cases[] = {
      {"kprobe__do_unlinkat", ProbeKind::Kprobe, "kprobe/do_unlinkat"},
      {"kretprobe__do_unlinkat", ProbeKind::Kretprobe, "kretprobe/do_unlinkat"},
      {"syscall__openat", ProbeKind::Syscall, "ksyscall/openat"},
      {"tracepoint__sched__sched_switch", ProbeKind::Tracepoint, "tracepoint/sched/sched_switch"},
      {"raw_tracepoint__sys_enter", ProbeKind::RawTracepoint, "raw_tracepoint/sys_enter"},
      {"kfunc__vfs_read", ProbeKind::Fentry, "fentry/vfs_read"},
      {"kfunc__vmlinux__vfs_read", ProbeKind::Fentry, "fentry/vfs_read"},
      {"kretfunc__vfs_read", ProbeKind::Fexit, "fexit/vfs_read"},
      {"lsm__file_open", ProbeKind::Lsm, "lsm/file_open"},
  };
  for (const auto &c : cases) {
    const auto spec = planned(c.name);
    EXPECT_EQ(spec.kind, c.kind) << c.name;
    EXPECT_EQ(spec.section(), c.section) << c.name;
    EXPECT_EQ(spec.function, c.name);
  }
}

TEST(ProbePlan, OrdinaryFunctionsAreNotProbes) {
  for (const char *name : {"helper", "count_bytes", "kprobe", "my_kprobe__x", "tracepoint_sched"}) {
    auto result = planFromName(name);
    ASSERT_TRUE(static_cast<bool>(result)) << name;
    EXPECT_FALSE(result->has_value()) << name;
  }
}

TEST(ProbePlan, TracepointCategoryEndsAtFirstDoubleUnderscore) {
  EXPECT_EQ(planned("tracepoint__syscalls__sys_enter_openat").target.text(), "syscalls/sys_enter_openat");
  // Event names may themselves contain "__".
  EXPECT_EQ(planned("tracepoint__cat__ev__with__parts").target.text(), "cat/ev__with__parts");
}

TEST(ProbePlan, MalformedProbeNamesAreErrors) {
  for (const char *name : {"tracepoint__", "tracepoint__sched", "tracepoint__sched__", "tracepoint____x"})
    EXPECT_NE(planError(name).find("tracepoint__CATEGORY__EVENT"), std::string::npos) << name;
  for (const char *name : {"kprobe__", "kretprobe__", "raw_tracepoint__", "kfunc__"})
    EXPECT_NE(planError(name).find("names no"), std::string::npos) << name;
}

TEST(ProbePlan, SectionsFollowLibbpfPrefixes) {
  EXPECT_EQ(plannedSection("f", "kprobe/do_unlinkat").kind, ProbeKind::Kprobe);
  EXPECT_EQ(plannedSection("f", "kretprobe/do_unlinkat").target.text(), "do_unlinkat");
  EXPECT_EQ(plannedSection("f", "tp/syscalls/sys_enter_openat").kind, ProbeKind::Tracepoint);
  EXPECT_EQ(plannedSection("f", "tp/syscalls/sys_enter_openat").target.text(), "syscalls/sys_enter_openat");
  EXPECT_EQ(plannedSection("f", "raw_tp/sys_enter").kind, ProbeKind::RawTracepoint);
  EXPECT_EQ(plannedSection("f", "tp_btf/sched_switch").kind, ProbeKind::TpBtf);
  EXPECT_EQ(plannedSection("f", "uprobe//bin/bash:readline").kind, ProbeKind::Uprobe);
  EXPECT_EQ(plannedSection("f", "xdp").kind, ProbeKind::Other);
}

TEST(ProbePlan, AttachOptions) {
  auto kprobe = planFromAttachOption("kprobe:__x64_sys_clone=trace_clone");
  ASSERT_TRUE(static_cast<bool>(kprobe));
  EXPECT_EQ(kprobe->kind, ProbeKind::Kprobe);
  EXPECT_EQ(kprobe->target.text(), "__x64_sys_clone");
  EXPECT_EQ(kprobe->function, "trace_clone");

  auto tracepoint = planFromAttachOption("tracepoint:sched:sched_process_exec=on_exec");
  ASSERT_TRUE(static_cast<bool>(tracepoint));
  EXPECT_EQ(tracepoint->section(), "tracepoint/sched/sched_process_exec");

  auto uprobe = planFromAttachOption("uprobe:/bin/bash:readline=on_readline");
  ASSERT_TRUE(static_cast<bool>(uprobe));
  EXPECT_EQ(uprobe->target.text(), "/bin/bash:readline");

  for (const char *bad : {"kprobe", "kprobe:f", "nosuch:f=g", "kprobe:=g", "tracepoint:sched=g", "uprobe:/bin/sh=g"}) {
    auto result = planFromAttachOption(bad);
    EXPECT_FALSE(static_cast<bool>(result)) << bad;
    if (!result) {
      EXPECT_NE(llvm::toString(result.takeError()).find(bad), std::string::npos) << bad;
    }
  }
}

TEST(ProbePlan, SectionWithoutTargetIsAPlaceholderToGiveWithDashA) {
  const auto none = plannedSection("uprobe_add", "uprobe");
  EXPECT_EQ(none.kind, ProbeKind::Uprobe);
  EXPECT_TRUE(none.fromSection);
  auto error = placeholderTarget(none, "uprobe");
  ASSERT_TRUE(static_cast<bool>(error));
  EXPECT_NE(llvm::toString(std::move(error)).find("give one with -a uprobe:PATH:SYMBOL=uprobe_add"), std::string::npos);
  auto noBinary = placeholderTarget(plannedSection("printret", "uretprobe/readline"), "uretprobe/readline");
  ASSERT_TRUE(static_cast<bool>(noBinary));
  EXPECT_NE(llvm::toString(std::move(noBinary)).find("-a uretprobe:PATH:readline=printret"), std::string::npos);
  EXPECT_FALSE(placeholderTarget(plannedSection("f", "kprobe/vfs_read"), "kprobe/vfs_read"));
  EXPECT_FALSE(placeholderTarget(plannedSection("f", "uprobe/c:malloc"), "uprobe/c:malloc"));
  EXPECT_FALSE(placeholderTarget(plannedSection("f", "perf_event"), "perf_event"));
}
