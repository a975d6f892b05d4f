// Issue 11: how -a spells USDT probes and perf events, and the CPU list perf events open on.
#include <gtest/gtest.h>

#include <linux/perf_event.h>

#include "program/perf_event_spec.h"
#include "frontend/probe_plan.h"
#include "program/usdt_target.h"
#include "attach/perf_events.h"

using namespace probecc;

namespace {
ProbeSpec plannedSection(std::string_view function, std::string_view section) {
  auto result = planFromSection(function, section);
  EXPECT_TRUE(static_cast<bool>(result)) << section;
  if (!result) return llvm::consumeError(result.takeError()), ProbeSpec{};
  return std::move(*result);
}

std::string errorOf(llvm::Error error) { return llvm::toString(std::move(error)); }

}  // namespace

TEST(UsdtTarget, PathProviderAndProbe) {
  auto full = parseUsdtTarget("/usr/bin/app:myapp:start");
  ASSERT_TRUE(bool(full)) << errorOf(full.takeError());
  EXPECT_EQ(full->path, "/usr/bin/app");
  EXPECT_EQ(full->provider, "myapp");
  EXPECT_EQ(full->probe, "start");

  auto noProvider = parseUsdtTarget("/usr/bin/app:start");  // a PATH contains '/'
  ASSERT_TRUE(bool(noProvider));
  EXPECT_EQ(noProvider->path, "/usr/bin/app");
  EXPECT_EQ(noProvider->provider, "");

  auto noPath = parseUsdtTarget("myapp:start");  // for -p PID
  ASSERT_TRUE(bool(noPath));
  EXPECT_EQ(noPath->path, "");
  EXPECT_EQ(noPath->provider, "myapp");
  EXPECT_EQ(noPath->probe, "start");

  for (const char *bad : {"/a:b:c:d", "/usr/bin/app::start", "/usr/bin/app:", ""}) {
    auto parsed = parseUsdtTarget(bad);
    ASSERT_FALSE(bool(parsed)) << bad;
    EXPECT_NE(errorOf(parsed.takeError()).find("write usdt:PATH:[PROVIDER:]PROBE"), std::string::npos) << bad;
  }
}

TEST(PerfEventSpec, NamedEventsWithPeriodOrFrequency) {
  auto cycles = parsePerfEvent("hw:cycles:100000");
  ASSERT_TRUE(bool(cycles)) << errorOf(cycles.takeError());
  EXPECT_EQ(cycles->type, PERF_TYPE_HARDWARE);
  EXPECT_EQ(cycles->config, PERF_COUNT_HW_CPU_CYCLES);
  EXPECT_EQ(cycles->period, 100000u);
  EXPECT_EQ(cycles->frequency, 0u);
  EXPECT_TRUE(cycles->isHardware());

  auto faults = parsePerfEvent("software:page-faults:99hz");
  ASSERT_TRUE(bool(faults));
  EXPECT_EQ(faults->type, PERF_TYPE_SOFTWARE);
  EXPECT_EQ(faults->config, PERF_COUNT_SW_PAGE_FAULTS);
  EXPECT_EQ(faults->frequency, 99u);
  EXPECT_FALSE(faults->isHardware());

  auto raw = parsePerfEvent("raw:0x1b:5000");
  ASSERT_TRUE(bool(raw));
  EXPECT_EQ(raw->type, PERF_TYPE_RAW);
  EXPECT_EQ(raw->config, 0x1bu);
}

TEST(PerfEventSpec, ProfileAndIntervalAreCpuClockTimers) {
  auto profile = parsePerfEvent("profile:hz:99");
  ASSERT_TRUE(bool(profile));
  EXPECT_EQ(profile->config, PERF_COUNT_SW_CPU_CLOCK);
  EXPECT_EQ(profile->frequency, 99u);
  EXPECT_FALSE(profile->oneCpu);

  auto interval = parsePerfEvent("interval:ms:250");
  ASSERT_TRUE(bool(interval));
  EXPECT_EQ(interval->period, 250000000u);  // the cpu-clock counts nanoseconds
  EXPECT_TRUE(interval->oneCpu);
}

TEST(PerfEventSpec, BadSpellingsSayWhatIsExpected) {
  const std::pair<const char *, const char *> cases[] = {
      {"hw:cycles", "write TYPE:CONFIG:PERIOD"},
      {"gpu:cycles:10", "unknown type 'gpu'"},
      {"sw:cycles:10", "unknown event 'cycles'"},
      {"sw:cpu-clock:0", "the last part is the period"},
      {"profile:hz:0", "positive N"},
      {"interval:days:1", "unknown unit 'days'"},
  };
  for (const auto &[spelling, expected] : cases) {
    auto parsed = parsePerfEvent(spelling);
    ASSERT_FALSE(bool(parsed)) << spelling;
    EXPECT_NE(errorOf(parsed.takeError()).find(expected), std::string::npos) << spelling;
  }
}

TEST(PerfEventSpec, AttachOptionsPlanPerfEventPrograms) {
  auto profile = planFromAttachOption("profile:hz:99=on_sample");
  ASSERT_TRUE(bool(profile)) << errorOf(profile.takeError());
  EXPECT_EQ(profile->kind, ProbeKind::PerfEvent);
  EXPECT_EQ(profile->target.text(), "profile:hz:99");
  EXPECT_EQ(profile->section(), "perf_event");

  auto perf = planFromAttachOption("perf:sw:cs:1=on_switch");
  ASSERT_TRUE(bool(perf));
  EXPECT_EQ(perf->target.text(), "sw:cs:1");

  EXPECT_EQ(plannedSection("f", "perf_event").kind, ProbeKind::PerfEvent);
  auto bad = planFromAttachOption("profile:hz:x=f");
  ASSERT_FALSE(bool(bad));
  EXPECT_NE(errorOf(bad.takeError()).find("positive N"), std::string::npos);
}

TEST(CpuList, RangesAndSingles) {
  EXPECT_EQ(parseCpuList("0-3,6\n"), (std::vector<int>{0, 1, 2, 3, 6}));
  EXPECT_EQ(parseCpuList("0"), (std::vector<int>{0}));
  EXPECT_TRUE(parseCpuList("").empty());
}

TEST(PerfEventSpec, PeriodsThatOverflowAreErrors) {
  auto longest = parsePerfEvent("interval:s:18446744073");  // the last whole second of 2^64 ns
  ASSERT_TRUE(bool(longest)) << errorOf(longest.takeError());
  EXPECT_EQ(longest->period, 18446744073000000000u);
  for (const char *spelling : {"interval:s:18446744074", "profile:ms:18446744073710", "interval:us:18446744073709552"}) {
    auto parsed = parsePerfEvent(spelling);
    ASSERT_FALSE(bool(parsed)) << spelling;
    EXPECT_NE(errorOf(parsed.takeError()).find("too long a period"), std::string::npos) << spelling;
  }
}

TEST(AttachOption, EveryErrorQuotesTheUsersOwnText) {
  const std::pair<const char *, const char *> cases[] = {
      {"interval:s:18446744074=fn", "too long a period"},
      {"profile:hz:0=fn", "positive N"},
      {"perf:hw:cycles=fn", "write TYPE:CONFIG:PERIOD"},
      {"uprobe:/bin/ls:=fn", "the SYMBOL is missing"},
      {"uretprobe::main=fn", "the PATH is missing"},
      {"uprobe:main=fn", "PATH:SYMBOL is missing"},
      {"usdt:a:b:c:d=fn", "write usdt:PATH"},
      {"nonsense:x=fn", "unknown probe type"},
  };
  for (const auto &[option, expected] : cases) {
    auto spec = planFromAttachOption(option);
    ASSERT_FALSE(bool(spec)) << option;
    const std::string error = errorOf(spec.takeError());
    EXPECT_EQ(error.find(std::string("-a ") + option + ": "), 0u) << error;
    EXPECT_NE(error.find(expected), std::string::npos) << error;
  }
}
