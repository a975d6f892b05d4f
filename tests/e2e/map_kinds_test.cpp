// Issue 10: the rest of BCC's map kinds, printed at exit; a program of maps alone under --dry-run;
// libbpf-tools objects carrying two programs for one hook.
#include <regex>

#include "e2e_support.h"

using namespace e2e;

using MapKinds = ProbeccTest;

namespace {

// Fills each map once, on the first getpid() the -c command makes.
constexpr const char *kKinds = R"(
struct lpm_key { u32 prefixlen; u32 addr; };
BPF_LPM_TRIE(routes, struct lpm_key, u64, 16);
BPF_QUEUE(fifo, u32, 8);
BPF_STACK(lifo, u32, 8);
struct dist_key { u32 disk; u64 slot; };
BPF_HISTOGRAM(dist, struct dist_key);
BPF_ARRAY(once, int, 1);
int tracepoint__syscalls__sys_enter_getpid(void *args) {
  int zero = 0;
  int *done = once.lookup(&zero);
  if (!done || *done) return 0;
  *done = 1;
  struct lpm_key k = {8, 0x0a};
  u64 v = 7;
  routes.update(&k, &v);
  for (u32 i = 1; i <= 3; i++) { fifo.push(&i, 0); lifo.push(&i, 0); }
  struct dist_key d = {.disk = 3, .slot = bpf_log2l(100)};
  dist.increment(d);
  d.disk = 4;
  d.slot = bpf_log2l(5000);
  dist.increment(d);
  return 0;
}
)";

constexpr const char *kGetpid = "python3 -c 'import os; os.getpid()'";

}  // namespace

TEST_F(MapKinds, LpmTrieQueueStackAndStructKeyHistogramArePrintedAtExit) {
  auto r = probecc({"-e", kKinds, "-c", kGetpid});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("routes:\n  10.0.0.0/8 → 7\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fifo (3, oldest first):\n  1\n  2\n  3\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("lifo (3, top first):\n  3\n  2\n  1\n"), std::string::npos) << r.out;
  // One histogram per disk, as BCC's print_log2_hist(section_header="disk") prints them.
  const auto disk3 = r.out.find("disk = 3"), disk4 = r.out.find("disk = 4");
  ASSERT_NE(disk3, std::string::npos) << r.out;
  ASSERT_NE(disk4, std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out.substr(disk3, disk4 - disk3), std::regex(R"(64 -> 127 +: 1 )"))) << r.out;
  EXPECT_FALSE(std::regex_search(r.out.substr(disk3, disk4 - disk3), std::regex(R"(4096 -> 8191 +: 1 )"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out.substr(disk4), std::regex(R"(4096 -> 8191 +: 1 )"))) << r.out;
}

TEST_F(MapKinds, ProgramArraySlotsTailCallTheirProgram) {
  auto r = probecc({"-v", "-e", R"(
BPF_PROG_ARRAY(jump, 4);
BPF_ARRAY(hits, u64, 2);
int second(void *ctx) { int k = 1; hits.increment(k); return 0; }
BPF_PROG_ARRAY_SLOTS(jump, [2] = second);
int tracepoint__syscalls__sys_enter_getppid(void *ctx) { int k = 0; hits.increment(k); jump.call(ctx, 2); return 0; }
)", "-c", "python3 -c 'import os; os.getppid()'"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("second: tracepoint syscalls/sys_enter_getppid (SEC \"tracepoint/syscalls/sys_enter_getppid\"), "
                       "a tail-call target: not attached"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("jump:\n  2 → second\n"), std::string::npos) << r.out;
  // Every call into the probe reached the tail-called program too.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(hits:\n  0 → (\d+)\n  1 → (\d+)\n)"))) << r.out;
  EXPECT_EQ(m[1], m[2]);
  EXPECT_GT(std::stoul(m[1]), 0u);
}

TEST_F(MapKinds, MapsWithoutProbesPassDryRunAndEmit) {
  const char *source = "BPF_HASH(counts, u32, u64);\nBPF_QUEUE(q, u32, 4);\n";
  auto dry = probecc({"--dry-run", "-e", source});
  EXPECT_EQ(dry.status, 0) << dry.err;
  EXPECT_NE(dry.err.find("0 program(s) passed the verifier, 2 map(s) created"), std::string::npos) << dry.err;
  auto emit = probecc({"--emit", "obj", "-e", source});
  EXPECT_EQ(emit.status, 0) << emit.err;
  EXPECT_EQ(emit.out.substr(0, 4), "\x7f" "ELF");
  auto run = probecc({"-e", source});
  EXPECT_NE(run.status, 0);
  EXPECT_NE(run.err.find("--dry-run"), std::string::npos) << run.err;
}

TEST_F(MapKinds, OfTwoProgramsForOneHookTheOneThisKernelAcceptsIsLoaded) {
  // As libbpf-tools write them: a BTF-typed program and its raw twin on the same tracepoint.
  auto r = probecc({"-v", "-e", R"(
BPF_ARRAY(calls, u64, 2);
SEC("tp_btf/sched_process_exec") int exec_btf(u64 *ctx) { int k = 0; calls.increment(k); return 0; }
SEC("raw_tp/sched_process_exec") int exec_raw(struct bpf_raw_tracepoint_args *ctx) { int k = 1; calls.increment(k); return 0; }
)", "-c", "true"});
  ASSERT_EQ(r.status, 0) << r.err;
  // tp_btf loads here, so its raw twin is the one left out, and only the BTF-typed one counts.
  EXPECT_NE(r.err.find("exec_btf (tp_btf/sched_process_exec) loaded; its alternative exec_raw "
                       "(raw_tracepoint/sched_process_exec) is not"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("exec_raw: "), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("calls:\n  0 → 1\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("  1 → "), std::string::npos) << r.out;
}
