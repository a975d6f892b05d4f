// Issue 11: many targets at once (wildcards), listing what exists (-l), and the closest names for a
// target that does not.
#include <cstdlib>
#include <iterator>
#include <regex>

#include "e2e_support.h"

using namespace e2e;

using Targets = ProbeccTest;

namespace {

const std::string &wildcardTarget() {
  static const std::string binary = buildTestProgram("wildcard_target.c");
  return binary;
}

size_t countLines(const std::string &text, const std::regex &line) {
  return std::distance(std::sregex_iterator(text.begin(), text.end(), line), std::sregex_iterator());
}

}  // namespace

TEST_F(Targets, WildcardTracepointCountsAndReportsTheTargetsThatRefused) {
  // args[5] lies past the record of syscalls with fewer than six arguments: the kernel refuses
  // those, and the run goes on with the rest, saying which.
  auto r = probecc({"-e",
                    "BPF_ARRAY(calls, u64, 1);\n"
                    "int six(struct trace_event_raw_sys_enter *args) {\n"
                    "  int k = 0;\n  if (args->args[5] != 12345) calls.increment(k);\n  return 0;\n}\n",
                    "-a", "tracepoint:syscalls:sys_enter_m*=six", "-c", "true"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.err, m, std::regex(R"(attached (\d+) of (\d+) tracepoint:syscalls:sys_enter_m\*; (\d+) refused: the program reads past their record: .*syscalls/sys_enter_mkdir)")))
      << r.err;
  EXPECT_GT(std::stoi(m[1]), 0);
  EXPECT_EQ(std::stoi(m[1]) + std::stoi(m[3]), std::stoi(m[2]));
  EXPECT_TRUE(std::regex_search(r.out, std::regex("calls:\n  0 → [1-9]"))) << r.out;  // mmap runs for `true`
}

TEST_F(Targets, WildcardUprobeCountsEveryMatchingFunctionByAddress) {
  if (wildcardTarget().empty()) GTEST_SKIP() << "cannot build the wildcard test program with cc";
  auto r = probecc({"-v", "-e",
                    "BPF_HASH(calls, u64);\n"
                    "int count(struct pt_regs *ctx) { calls.increment(PT_REGS_IP(ctx)); return 0; }\n",
                    "-a", "uprobe:" + wildcardTarget() + ":probecc_target_*=count", "-c", wildcardTarget() + " 7"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("attached 3 of 3 uprobe:" + wildcardTarget() + ":probecc_target_*"), std::string::npos) << r.err;
  // add and mul ran 7 times each; trap never ran
  EXPECT_EQ(countLines(r.out, std::regex(R"(  \d+ → 7\n)")), 2u) << r.out;
}

TEST_F(Targets, ListingNeedsNoProgram) {
  auto tracepoints = probecc({"-l", "sched:sched_*"});
  EXPECT_EQ(tracepoints.status, 0) << tracepoints.err;
  EXPECT_NE(tracepoints.out.find("tracepoint:sched:sched_switch\n"), std::string::npos) << tracepoints.out;
  EXPECT_EQ(tracepoints.out.find("tracepoint:syscalls:"), std::string::npos) << tracepoints.out;
  auto functions = probecc({"-l", "vfs_*"});
  EXPECT_EQ(functions.status, 0) << functions.err;
  EXPECT_NE(functions.out.find("kprobe:vfs_read\n"), std::string::npos) << functions.out.substr(0, 2000);
  if (!wildcardTarget().empty()) {
    auto symbols = probecc({"-l", "uprobe:" + wildcardTarget() + ":probecc_target_*"});
    EXPECT_EQ(symbols.out, "uprobe:" + wildcardTarget() + ":probecc_target_add\nuprobe:" + wildcardTarget() +
                               ":probecc_target_mul\nuprobe:" + wildcardTarget() + ":probecc_target_trap\n");
  }
  auto fields = probecc({"-lv", "sched:sched_switch"});
  EXPECT_NE(fields.out.find("prev_comm"), std::string::npos) << fields.out;
}

TEST_F(Targets, TypoedTargetsGetTheClosestNamesAtDryRun) {
  auto kprobe = probecc({"--dry-run", "-e", "int kprobe__vfs_reed(struct pt_regs *ctx) { return 0; }"});
  EXPECT_EQ(kprobe.status, 1);
  EXPECT_NE(kprobe.err.find("<-e>:1: cannot attach kprobe__vfs_reed (kprobe vfs_reed): no kernel function 'vfs_reed'; "
                            "did you mean vfs_read"),
            std::string::npos)
      << kprobe.err;
  auto tracepoint = probecc({"--dry-run", "-e", "int tracepoint__sched__sched_swich(void *args) { return 0; }"});
  EXPECT_EQ(tracepoint.status, 1);
  EXPECT_NE(tracepoint.err.find("no tracepoint sched:sched_swich; did you mean sched:sched_switch?"), std::string::npos)
      << tracepoint.err;
}
