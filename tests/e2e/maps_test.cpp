// Issue 5: BCC maps and events, and probecc printing what they hold without user code.
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

#include "e2e_support.h"

using namespace e2e;

namespace {

std::vector<nlohmann::json> jsonLines(const std::string &text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << "not JSON: " << line;
    if (!parsed.is_discarded()) lines.push_back(std::move(parsed));
  }
  return lines;
}

constexpr const char *kOpenEvents = R"(
struct event { u32 pid; char comm[16]; char filename[64]; };
BPF_PERF_OUTPUT(events);
int tracepoint__syscalls__sys_enter_openat(struct tracepoint__syscalls__sys_enter_openat *args) {
  struct event e = {};
  e.pid = bpf_get_current_pid_tgid() >> 32;
  bpf_get_current_comm(&e.comm, sizeof(e.comm));
  bpf_probe_read_user_str(e.filename, sizeof(e.filename), args->filename);
  if (e.filename[0] != '/' || e.filename[1] != 't' || e.filename[2] != 'm' || e.filename[3] != 'p') return 0;
  events.perf_submit(args, &e, sizeof(e));
  return 0;
}
)";

}  // namespace

using Maps = ProbeccTest;

TEST_F(Maps, PerCommSyscallCounterIsPrintedAtExit) {
  auto r = probecc({"-e", R"(
struct key_t { char comm[16]; };
BPF_HASH(counts, struct key_t);
int tracepoint__raw_syscalls__sys_enter(void *args) {
  struct key_t key = {};
  bpf_get_current_comm(&key.comm, sizeof(key.comm));
  counts.increment(key);
  return 0;
}
)", "-c", "for i in 1 2 3; do /bin/true; done"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("counts:\n"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\{comm: true\} → [1-9][0-9]*\n)"))) << r.out;
}

TEST_F(Maps, Log2HistogramOfReadSizes) {
  auto r = probecc({"-e", R"(
BPF_HISTOGRAM(sizes);
int tracepoint__syscalls__sys_exit_read(struct tracepoint__syscalls__sys_exit_read *args) {
  if (args->ret > 0) sizes.increment(bpf_log2l(args->ret));
  return 0;
}
)", "-c", "dd if=/dev/zero of=/dev/null bs=4096 count=64 2>/dev/null"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("sizes:\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("value : count    distribution"), std::string::npos) << r.out;
  // dd's 64 reads of 4096 bytes land in the 4096 -> 8191 bucket.
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(4096 -> 8191 +: (6[4-9]|[7-9][0-9]|[1-9][0-9]{2,}) +\|\*+)"))) << r.out;
}

TEST_F(Maps, PerfEventsAreDecodedAsTextAndJson) {
  const auto path = uniquePath("event");
  auto text = probecc({"-e", kOpenEvents, "-c", "cat " + path + " 2>/dev/null; true"});
  EXPECT_EQ(text.status, 0) << text.err;
  EXPECT_TRUE(std::regex_search(text.out, std::regex("pid=[0-9]+ comm=cat filename=" + path + "\n"))) << text.out;

  auto json = probecc({"-f", "json", "-e", kOpenEvents, "-c", "cat " + path + " 2>/dev/null; true"});
  EXPECT_EQ(json.status, 0) << json.err;
  bool found = false;
  for (const auto &line : jsonLines(json.out)) {
    if (line.value("type", "") != "event") continue;
    EXPECT_EQ(line["map"], "events");
    if (line["data"]["filename"] == path) {
      found = true;
      EXPECT_EQ(line["data"]["comm"], "cat");
      EXPECT_GT(line["data"]["pid"].get<int>(), 0);
    }
  }
  EXPECT_TRUE(found) << json.out;
}

TEST_F(Maps, RingBufferEvents) {
  const auto path = uniquePath("ring");
  auto r = probecc({"-e", R"(
struct event { u32 pid; char filename[64]; };
BPF_RINGBUF_OUTPUT(opens, 8);
int tracepoint__syscalls__sys_enter_unlinkat(struct tracepoint__syscalls__sys_enter_unlinkat *args) {
  struct event *e = opens.ringbuf_reserve(sizeof(*e));
  if (!e) return 0;
  e->pid = bpf_get_current_pid_tgid() >> 32;
  bpf_probe_read_user_str(e->filename, sizeof(e->filename), args->pathname);
  opens.ringbuf_submit(e, 0);
  return 0;
}
)", "-c", "touch " + path + " && rm " + path});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("pid=[0-9]+ filename=" + path + "\n"))) << r.out;
}

TEST_F(Maps, LostEventsAreReportedWithATinyBuffer) {
  auto r = probecc({"--buffer-pages", "1", "-e", R"(
struct event { u64 n[8]; };
BPF_PERF_OUTPUT(burst);
int tracepoint__raw_syscalls__sys_enter(void *args) {
  struct event e = {};
  burst.perf_submit(args, &e, sizeof(e));
  return 0;
}
)", "-c", "dd if=/dev/zero of=/dev/null bs=1 count=50000 2>/dev/null"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(probecc: lost [0-9]+ events of burst)"))) << r.err.substr(0, 2000);
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(probecc: [0-9]+ events of burst were lost in all)"))) << r.err.substr(0, 2000);
}

TEST_F(Maps, RingBufferLossesAreCountedToo) {
  auto r = probecc({"--no-maps", "-e", R"(
struct event { u64 n[8]; };
BPF_RINGBUF_OUTPUT(tiny, 1);
int tracepoint__raw_syscalls__sys_enter(void *args) {
  struct event *e = tiny.ringbuf_reserve(sizeof(*e));
  if (e) tiny.ringbuf_submit(e, 0);
  return 0;
}
)", "-c", "dd if=/dev/zero of=/dev/null bs=1 count=50000 2>/dev/null"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(probecc: lost [0-9]+ events of tiny \(the ring buffer was full)")))
      << r.err.substr(0, 2000);
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(probecc: [0-9]+ events of tiny were lost in all)"))) << r.err.substr(0, 2000);
}

TEST_F(Maps, StackIdsPrintAsSymbolisedKernelFrames) {
  auto r = probecc({"-e", R"(
BPF_STACK_TRACE(stacks, 1024);
struct key_t { int kernel_stack_id; };
BPF_HASH(seen, struct key_t);
int tracepoint__syscalls__sys_enter_unlinkat(void *args) {
  struct key_t key = { stacks.get_stackid(args, 0) };
  seen.increment(key);
  return 0;
}
)", "-c", "touch " + uniquePath("stack") + " && rm /tmp/probecc-e2e-stack-*"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("seen:\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    kernel_stack_id:\n"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n      [a-z_][a-z0-9_.]*\+0x[0-9a-f]+\n)"))) << r.out;
  EXPECT_NE(r.out.find("do_syscall_64"), std::string::npos) << r.out;
}

// The preamble's typedef markers, not the members' names, say what they hold: `where` is a stack
// id, `stacked` (a name the old heuristic took for one) is a count.
TEST_F(Maps, StackIdAndPidMarkersAreRecognisedByTypeNotName) {
  auto r = probecc({"-e", R"(
BPF_STACK_TRACE(stacks, 1024);
struct key_t { probecc_kstack_id_t where; probecc_pid_t owner; };
struct value_t { __u64 stacked; };
BPF_HASH(seen, struct key_t, struct value_t);
int tracepoint__syscalls__sys_enter_unlinkat(void *args) {
  struct key_t key = { stacks.get_stackid(args, 0), bpf_get_current_pid_tgid() >> 32 };
  struct value_t one = { 7 };
  seen.update(&key, &one);
  return 0;
}
)", "-c", "touch " + uniquePath("marker") + " && rm /tmp/probecc-e2e-marker-*"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("    where:\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("do_syscall_64"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("    stacked:\n"), std::string::npos) << r.out;
}

TEST_F(Maps, BccMapMethodsAndTableSpellings) {
  auto r = probecc({"--no-maps", "-e", R"(
BPF_TABLE("hash", u32, u64, table, 16);
BPF_ARRAY(slots, u64, 4);
BPF_PERCPU_ARRAY(percpu, u64, 1);
BPF_LRU_HASH(lru, u32, u32, 8);
int tracepoint__syscalls__sys_enter_unlinkat(void *args) {
  u32 k = 1; u64 v = 41, zero = 0; int slot = 2; u32 lk = 7, lv = 8;
  table.update(&k, &v);
  u64 *p = table.lookup(&k);
  if (p) lock_xadd(p, 1);
  table.insert(&k, &zero);            /* exists: no change */
  u64 *q = table.lookup_or_try_init(&k, &zero);
  slots.increment(slot, 5);
  percpu.atomic_increment(0);
  lru.update(&lk, &lv);
  lru.delete(&lk);
  if (q && *q == 42) bpf_trace_printk("probecc-e2e methods ok\n");
  return 0;
}
)", "-c", "touch " + uniquePath("methods") + " && rm /tmp/probecc-e2e-methods-*"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("probecc-e2e methods ok"), std::string::npos) << r.out << r.err;
  EXPECT_EQ(r.out.find("table:"), std::string::npos) << "--no-maps still printed maps: " << r.out;
}

TEST_F(Maps, MapsPrintEveryIntervalAndAsJson) {
  auto r = probecc({"-f", "json", "-i", "0.2", "-d", "0.7", "-e", R"(
BPF_ARRAY(ticks, u64, 1);
int tracepoint__raw_syscalls__sys_enter(void *args) { ticks.increment(0); return 0; }
)"});
  EXPECT_EQ(r.status, 0) << r.err;
  int mapLines = 0;
  for (const auto &line : jsonLines(r.out))
    if (line.value("type", "") == "map" && line["map"] == "ticks") {
      ++mapLines;
      EXPECT_EQ(line["key"], 0);
      EXPECT_GT(line["value"].get<long>(), 0);
    }
  EXPECT_GE(mapLines, 3) << r.out;  // ~3 intervals and the final print
}
