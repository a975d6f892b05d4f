// Typed targets (program/probe_target.h): parsed once per kind, spelt back as sections and -a
// spell them, kept whole through the cache's serialisation; and the attach kinds table
// (attach/attach_kinds.h): a row for every kind, each explaining its own refusals.
#include <cerrno>

#include <gtest/gtest.h>

#include "attach/attach.h"
#include "attach/attach_kinds.h"
#include "frontend/probe_plan.h"
#include "program/compiled_program.h"
#include "probe_targets.h"

using namespace probecc;

namespace {

constexpr ProbeKind kEveryKind[] = {
    ProbeKind::Kprobe,     ProbeKind::Kretprobe, ProbeKind::Syscall, ProbeKind::SyscallReturn, ProbeKind::Tracepoint,
    ProbeKind::RawTracepoint, ProbeKind::TpBtf,  ProbeKind::Fentry,  ProbeKind::Fexit,         ProbeKind::Lsm,
    ProbeKind::Uprobe,     ProbeKind::Uretprobe, ProbeKind::Usdt,    ProbeKind::PerfEvent,     ProbeKind::Other,
};

}  // namespace

TEST(ProbeTargets, EachKindParsesIntoItsOwnShape) {
  const auto kprobe = targetOf(ProbeKind::Kprobe, "vfs_read");
  ASSERT_TRUE(kprobe.as<KernelName>());
  EXPECT_EQ(kprobe.as<KernelName>()->name, "vfs_read");

  const auto tracepoint = targetOf(ProbeKind::Tracepoint, "sched/sched_switch");
  ASSERT_TRUE(tracepoint.as<TracepointName>());
  EXPECT_EQ(*tracepoint.as<TracepointName>(), (TracepointName{"sched", "sched_switch"}));
  EXPECT_EQ(targetOf(ProbeKind::Tracepoint, "sched:sched_switch"), tracepoint);  // as -a spells it
  EXPECT_EQ(tracepoint.text(), "sched/sched_switch");
  EXPECT_EQ(tracepoint.shown(), "sched:sched_switch");

  const auto uprobe = targetOf(ProbeKind::Uprobe, "/lib/x86_64-linux-gnu/libc.so.6:malloc");
  ASSERT_TRUE(uprobe.as<UserFunction>());
  EXPECT_EQ(*uprobe.as<UserFunction>(), (UserFunction{"/lib/x86_64-linux-gnu/libc.so.6", "malloc", 0}));
  EXPECT_EQ(*targetOf(ProbeKind::Uretprobe, "/bin/bash:readline+0x10").as<UserFunction>(),
            (UserFunction{"/bin/bash", "readline", 16}));
  EXPECT_EQ(*targetOf(ProbeKind::Uprobe, "/bin/bash:0x1234").as<UserFunction>(), (UserFunction{"/bin/bash", "", 0x1234}));
  EXPECT_EQ(*targetOf(ProbeKind::Uretprobe, "readline").as<UserFunction>(), (UserFunction{"", "readline", 0}));

  const auto usdt = targetOf(ProbeKind::Usdt, "/usr/bin/python3:python:function__entry");
  ASSERT_TRUE(usdt.as<UsdtTarget>());
  EXPECT_EQ(*usdt.as<UsdtTarget>(), (UsdtTarget{"/usr/bin/python3", "python", "function__entry"}));

  const auto perf = targetOf(ProbeKind::PerfEvent, "profile:hz:99");
  ASSERT_TRUE(perf.as<PerfEventSpec>());
  EXPECT_EQ(perf.as<PerfEventSpec>()->frequency, 99u);
  EXPECT_EQ(perf.text(), "profile:hz:99");

  EXPECT_TRUE(targetOf(ProbeKind::Uprobe, "").empty());
  EXPECT_TRUE(targetOf(ProbeKind::Other, "xdp").as<SectionName>());
}

TEST(ProbeTargets, TextReadsBackAsTheSameTarget) {
  const std::pair<ProbeKind, const char *> cases[] = {
      {ProbeKind::Kprobe, "vfs_*"},
      {ProbeKind::Tracepoint, "syscalls/sys_enter_openat"},
      {ProbeKind::Tracepoint, "cat/ev__with__parts"},
      {ProbeKind::RawTracepoint, "sched_switch"},
      {ProbeKind::Uprobe, "/bin/bash:readline"},
      {ProbeKind::Uprobe, "/bin/bash:readline+0x10"},
      {ProbeKind::Uprobe, "/bin/bash:0x1234"},
      {ProbeKind::Usdt, "/bin/x:provider:probe"},
      {ProbeKind::Usdt, "/bin/x:probe"},
      {ProbeKind::Usdt, "provider:probe"},
      {ProbeKind::PerfEvent, "software:cpu-clock:99hz"},
      {ProbeKind::Other, "kprobe.multi/vfs_*"},
  };
  for (const auto &[kind, text] : cases) {
    const auto target = targetOf(kind, text);
    EXPECT_EQ(target.text(), text);
    EXPECT_EQ(targetOf(kind, target.text()), target) << text;
  }
}

TEST(ProbeTargets, MalformedTargetsAreErrorsWhenPlanned) {
  EXPECT_FALSE(static_cast<bool>(parseTarget(ProbeKind::PerfEvent, "hw:cycles")));
  EXPECT_FALSE(static_cast<bool>(parseTarget(ProbeKind::Usdt, "a:b:c:d")));
  EXPECT_FALSE(static_cast<bool>(parseTarget(ProbeKind::Uprobe, "/bin/sh:main+x")));
  auto section = planFromSection("f", "usdt/a:b:c:d");
  ASSERT_FALSE(static_cast<bool>(section));
  EXPECT_NE(llvm::toString(section.takeError()).find("SEC(\"usdt/a:b:c:d\")"), std::string::npos);
}

TEST(ProbeTargets, SplitPathSymbolAtTheLastColon) {
  EXPECT_EQ(splitPathSymbol("/a:b/c:sym"), (std::pair<std::string, std::string>{"/a:b/c", "sym"}));
  EXPECT_FALSE(splitPathSymbol("/bin/bash").has_value());
}

TEST(ProbeTargets, EveryShapeSurvivesTheCache) {
  CompiledProgram program;
  for (const auto &[kind, text] : std::initializer_list<std::pair<ProbeKind, const char *>>{
           {ProbeKind::Kprobe, "vfs_read"}, {ProbeKind::Tracepoint, "sched/sched_switch"},
           {ProbeKind::Uprobe, "/bin/bash:readline+0x10"}, {ProbeKind::Usdt, "/bin/x:p:q"},
           {ProbeKind::PerfEvent, "interval:s:1"}, {ProbeKind::Other, "xdp"}, {ProbeKind::Uprobe, ""}})
    program.probes.push_back(probeOf("f", kind, text));
  auto back = deserializeProgram(serializeProgram(program));
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  ASSERT_EQ(back->probes.size(), program.probes.size());
  for (size_t i = 0; i < program.probes.size(); ++i) EXPECT_EQ(back->probes[i].target, program.probes[i].target) << i;
  EXPECT_TRUE(back->probes[4].target.as<PerfEventSpec>()->oneCpu);
}

TEST(ProbeTargets, ATargetOfAnotherKindsShapeIsCorrupt) {
  CompiledProgram program;
  program.probes.push_back(ProbeSpec{"f", ProbeKind::Kprobe, UserFunction{"/bin/sh", "main"}});
  auto back = deserializeProgram(serializeProgram(program));
  ASSERT_FALSE(static_cast<bool>(back));
  EXPECT_NE(llvm::toString(back.takeError()).find("corrupt"), std::string::npos);
}

TEST(ProbeTargets, AnEntryOfAnotherFormatIsNotRead) {
  std::string bytes = serializeProgram(CompiledProgram{});
  const auto at = bytes.find("probecc-program-");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 16] = '6';  // the format before typed targets
  auto back = deserializeProgram(bytes);
  ASSERT_FALSE(static_cast<bool>(back));
  EXPECT_NE(llvm::toString(back.takeError()).find("unknown format"), std::string::npos);
}

TEST(AttachKinds, EveryKindHasARow) {
  for (const auto kind : kEveryKind) {
    EXPECT_TRUE(hasAttachRow(kind)) << kindInfo(kind).name;
    EXPECT_NE(attachKind(kind).attach, nullptr) << kindInfo(kind).name;
  }
}

TEST(AttachKinds, KindsThatTakeWildcardsAttachTargetByTarget) {
  for (const auto kind : kEveryKind)
    if (attachKind(kind).expand && kind != ProbeKind::Syscall && kind != ProbeKind::SyscallReturn) {
      EXPECT_NE(attachKind(kind).attachTarget, nullptr) << kindInfo(kind).name;
    }
  EXPECT_EQ(attachKind(ProbeKind::TpBtf).expand, nullptr);  // loaded for one target each
  EXPECT_NE(attachKind(ProbeKind::Uprobe).expand, nullptr);
}

TEST(AttachKinds, RowsExplainTheirOwnRefusals) {
  const auto tracepoint = probeOf("f", ProbeKind::Tracepoint, "sched/sched_switch");
  KernelContext kernel("/sys/kernel/tracing"), noTracefs("");
  const auto why = attachKind(ProbeKind::Tracepoint).explain(tracepoint, EACCES, kernel);
  ASSERT_TRUE(why.has_value());
  EXPECT_NE(why->find("reads past the end of the tracepoint's record"), std::string::npos) << *why;
  EXPECT_NE(why->find("/sys/kernel/tracing/events/sched/sched_switch/format"), std::string::npos) << *why;
  EXPECT_FALSE(attachKind(ProbeKind::Tracepoint).explain(tracepoint, EBUSY, kernel).has_value());

  EXPECT_EQ(attachKind(ProbeKind::Kprobe).refusal(ENOENT), "not traceable");
  EXPECT_EQ(attachKind(ProbeKind::Uprobe).refusal(524), "refused: their first instruction cannot be probed");
  EXPECT_EQ(attachKind(ProbeKind::RawTracepoint).refusal(EINVAL), "refused: the program reads past their arguments");

  const auto hardware = probeOf("f", ProbeKind::PerfEvent, "hw:cycles:1000");
  EXPECT_NE(attachKind(ProbeKind::PerfEvent).explain(hardware, ENOENT, noTracefs).value_or("").find("no such hardware event"),
            std::string::npos);
}

TEST(AttachKinds, PermissionDeniedIsSaidOneWayForEveryKind) {
  auto perf = planFromAttachOption("perf:sw:cpu-clock:1=f");
  ASSERT_TRUE(static_cast<bool>(perf));
  KernelContext nonexistent("/nonexistent");
  const std::string denied = explainAttachFailure(*perf, -EPERM, nonexistent);
  EXPECT_NE(denied.find("permission denied (probecc needs root or CAP_BPF+CAP_PERFMON)"), std::string::npos) << denied;
  auto usdt = planFromAttachOption("usdt:/bin/x:p:q=f");
  ASSERT_TRUE(static_cast<bool>(usdt));
  const std::string usdtDenied = explainAttachFailure(*usdt, -EACCES, nonexistent);
  EXPECT_EQ(usdtDenied.substr(usdtDenied.find("permission")), denied.substr(denied.find("permission"))) << usdtDenied;
}
