// Issue 18: many probes, fast in and fast out. A session on every syscalls:sys_enter_* tracepoint
// (~360) ends within seconds of Ctrl-C and leaves nothing of its own behind; so does an attach
// that fails half way; and a program's output is the same whichever mechanism served its
// tracepoints (one raw_syscalls attach, raw tracepoints, or one perf event per tracepoint).
#include <bpf/bpf.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <set>
#include <sstream>

#include "e2e_support.h"

using namespace e2e;

namespace {

// What the kernel holds of the programs whose names start with `prefix` (BPF keeps 15 characters).
struct KernelObjects {
  std::set<unsigned> programs, links;
};

KernelObjects objectsOf(const std::string &prefix) {
  KernelObjects found;
  for (__u32 id = 0; bpf_prog_get_next_id(id, &id) == 0;) {
    const int fd = bpf_prog_get_fd_by_id(id);
    if (fd < 0) continue;
    bpf_prog_info info{};
    __u32 length = sizeof info;
    if (bpf_obj_get_info_by_fd(fd, &info, &length) == 0 && std::string(info.name).starts_with(prefix))
      found.programs.insert(id);
    close(fd);
  }
  for (__u32 id = 0; bpf_link_get_next_id(id, &id) == 0;) {
    const int fd = bpf_link_get_fd_by_id(id);
    if (fd < 0) continue;
    bpf_link_info info{};
    __u32 length = sizeof info;
    if (bpf_obj_get_info_by_fd(fd, &info, &length) == 0 && found.programs.contains(info.prog_id)) found.links.insert(id);
    close(fd);
  }
  return found;
}

// Whether any of `ids` still exists (programs unload, links go, a moment after their last fd).
bool anyLeft(const KernelObjects &ids) {
  for (int attempt = 0; attempt < 40; ++attempt) {
    bool left = false;
    for (unsigned id : ids.programs) {
      const int fd = bpf_prog_get_fd_by_id(id);
      if (fd >= 0) left = true, close(fd);
    }
    for (unsigned id : ids.links) {
      const int fd = bpf_link_get_fd_by_id(id);
      if (fd >= 0) left = true, close(fd);
    }
    if (!left) return false;
    usleep(50 * 1000);
  }
  return true;
}

std::string uniqueFunction(const char *stem) { return stem + std::to_string(getpid() % 100000); }

class AttachManyTest : public ProbeccTest {};

TEST_F(AttachManyTest, SigintEndsA360TracepointSessionWithinSecondsAndLeavesNothing) {
  const std::string function = uniqueFunction("am");
  KernelObjects seen;
  std::chrono::steady_clock::time_point interrupted;
  RunOptions options;
  options.signalWhenAttached = SIGINT;
  options.whenAttached = [&](pid_t) {
    usleep(200 * 1000);  // past attaching: the session is running
    seen = objectsOf(function);
    interrupted = std::chrono::steady_clock::now();
  };
  auto result = probecc({"-v", "-e", "int " + function + "(struct trace_event_raw_sys_enter *args) { return 0; }", "-a",
                         "tracepoint:syscalls:sys_enter_*=" + function},
                        options);
  const auto took = std::chrono::steady_clock::now() - interrupted;
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_LT(took, std::chrono::seconds(5)) << "leaving the session took "
                                           << std::chrono::duration<double>(took).count() << " s";
  EXPECT_NE(result.err.find("through one raw_syscalls:sys_enter attach"), std::string::npos) << result.err;
  ASSERT_FALSE(seen.programs.empty()) << "no program named " << function << "* was loaded while attached";
  ASSERT_FALSE(seen.links.empty());
  EXPECT_FALSE(anyLeft(seen)) << "programs or links of the session are still there after it exited";
}

// A session on `function`'s tracepoints (the probes' -a options first in `args`), interrupted once
// attached: what it held while attached, and its result.
std::pair<KernelObjects, RunResult> interruptedSession(const std::string &function, std::vector<std::string> args) {
  KernelObjects seen;
  RunOptions options;
  options.signalWhenAttached = SIGINT;
  options.whenAttached = [&](pid_t) {
    usleep(200 * 1000);
    seen = objectsOf(function);
  };
  args.insert(args.end(), {"-v", "-e", "int " + function + "(void *args) { return 0; }"});
  auto result = probecc(args, options);
  return {seen, result};
}

TEST_F(AttachManyTest, SigintEndsAPerfEventTracepointSessionAndLeavesNothing) {
  // one perf event per tracepoint, released after every program is detached (a program that reads
  // nothing of its record runs from raw tracepoints unless told not to)
  const std::string function = uniqueFunction("ap");
  auto [seen, result] = interruptedSession(function, {"-a", "tracepoint:sched:sched_*=" + function, "--no-raw-tracepoints"});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_EQ(result.err.find("raw tracepoints"), std::string::npos) << result.err;
  ASSERT_FALSE(seen.links.empty()) << result.err;
  EXPECT_GT(seen.links.size(), 10u);
  EXPECT_FALSE(anyLeft(seen));
}

TEST_F(AttachManyTest, SigintEndsARawTracepointSessionAndLeavesNothing) {
  const std::string function = uniqueFunction("ar");
  auto [seen, result] = interruptedSession(
      function, {"-a", "tracepoint:sched:sched_*=" + function, "-a", "tracepoint:irq:*=" + function});
  EXPECT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.err.find("tracepoint:irq:* (raw tracepoints: " + function + " reads nothing of the record)"),
            std::string::npos) << result.err;
  ASSERT_FALSE(seen.links.empty()) << result.err;
  EXPECT_GT(seen.links.size(), 10u);  // one raw tracepoint link per target
  EXPECT_FALSE(anyLeft(seen));
}

TEST_F(AttachManyTest, AFailedAttachHalfWayLeavesNothing) {
  // Hundreds of tracepoints attach, then a uprobe on a function that does not exist fails.
  const std::string function = uniqueFunction("af");
  KernelObjects seen;
  RunOptions options;
  options.whenAttached = [&](pid_t) { seen = objectsOf(function); };  // the wildcards' "attached N of M" lines
  const auto started = std::chrono::steady_clock::now();
  auto result = probecc({"-v", "-e",
                         "int " + function + "(void *args) { return 0; }\n"
                         "int " + function + "u(struct pt_regs *ctx) { return 0; }",
                         "-a", "tracepoint:syscalls:sys_enter_*=" + function, "-a",
                         "tracepoint:sched:sched_*=" + function, "-a",
                         "uprobe:/bin/true:probecc_no_such_function=" + function + "u", "-c", "true"},
                        options);
  EXPECT_NE(result.status, 0);
  EXPECT_NE(result.err.find("probecc_no_such_function"), std::string::npos) << result.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  ASSERT_FALSE(seen.programs.empty()) << "the failure came before anything attached: " << result.err;
  EXPECT_FALSE(anyLeft(seen));
}

// tests/e2e/data/syscall_sequence.c built under a name (a comm) of this test run's own: the
// programs below keep to that comm, and other checkouts may run these tests at the same time.
std::string sequenceProgram() {
  const std::string built = buildTestProgram("syscall_sequence.c");
  if (built.empty()) return built;
  const std::string own = built.substr(0, built.rfind('/') + 1) + uniqueFunction("seq");
  return rename(built.c_str(), own.c_str()) == 0 ? own : built;
}

// Every syscall of one small program, its arguments and some return values (pointers and other
// values that differ from run to run are masked), through whichever mechanism serves them.
std::string syscallsSeenBy(const std::string &program, bool rawSyscalls, std::string &err) {
  const std::string comm = program.substr(program.rfind('/') + 1, 15);
  const std::string source = R"BPF(
static int ours() {
  char comm[16] = {};
  bpf_get_current_comm(&comm, sizeof comm);
  const char want[] = ")BPF" + comm + R"BPF(";
  for (int i = 0; i < sizeof want; ++i) if (comm[i] != want[i]) return 0;
  return 1;
}
static u64 mask(u64 v) { return v < 0x10000 ? v : 0xffff; }
int on_enter(struct trace_event_raw_sys_enter *args) {
  if (!ours()) return 0;
  bpf_trace_printk("enter %ld %lx %lx", args->id, mask(args->args[0]), mask(args->args[1]));
  bpf_trace_printk("  %lx", mask(args->args[2]));
  return 0;
}
TRACEPOINT_PROBE(syscalls, sys_exit_lseek) {
  if (ours()) bpf_trace_printk("lseek returned %ld (nr %d)", args->ret, args->__syscall_nr);
  return 0;
}
TRACEPOINT_PROBE(syscalls, sys_enter_openat) {
  char path[32] = {};
  if (!ours()) return 0;
  bpf_probe_read_user_str(path, sizeof path, args->filename);
  bpf_trace_printk("openat %s %x", path, args->flags);
  return 0;
}
int on_exit(struct trace_event_raw_sys_exit *args) {
  if (ours()) bpf_trace_printk("exit %ld", args->id);
  return 0;
}
)BPF";
  std::vector<std::string> args{"-v", "-e", source, "-a", "tracepoint:syscalls:sys_enter_*=on_enter",
                                "-a", "tracepoint:syscalls:sys_exit_*=on_exit", "-c", program};
  if (!rawSyscalls) args.insert(args.begin(), "--no-raw-syscalls");
  auto result = probecc(args);
  err = result.err;
  EXPECT_EQ(result.status, 0) << result.err;
  // the messages alone: the lines' pid, CPU and time differ from run to run
  std::string messages;
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);)
    if (const auto at = line.find("bpf_trace_printk: "); at != std::string::npos)
      messages += line.substr(at + 18) + "\n";
  return messages;
}

TEST_F(AttachManyTest, OutputIsTheSameWhicheverMechanismServedTheSyscallsTracepoints) {
  const std::string program = sequenceProgram();
  ASSERT_FALSE(program.empty()) << "cannot build tests/e2e/data/syscall_sequence.c";
  std::string rawErr, perfErr;
  const std::string perf = syscallsSeenBy(program, false, perfErr);  // first: it compiles (and restarts)
  const std::string raw = syscallsSeenBy(program, true, rawErr);
  unlink(program.c_str());
  EXPECT_NE(rawErr.find("through one raw_syscalls:sys_enter attach"), std::string::npos) << rawErr;
  EXPECT_NE(rawErr.find("through one raw_syscalls:sys_exit attach"), std::string::npos) << rawErr;
  EXPECT_EQ(perfErr.find("raw_syscalls"), std::string::npos) << perfErr;
  // The record read (args[0..2]) is longer than that of syscalls with fewer arguments: the kernel
  // refuses those tracepoints, and the stand-in leaves them out too.
  EXPECT_NE(rawErr.find("refused: the program reads past their record"), std::string::npos) << rawErr;
  EXPECT_NE(raw.find("enter 8 64 3039\n  0\n"), std::string::npos) << raw;  // lseek(100, 12345, SEEK_SET)
  EXPECT_NE(raw.find("lseek returned 0 (nr 8)"), std::string::npos) << raw;  // /dev/null's offset stays 0
  EXPECT_NE(raw.find("openat /dev/null 2"), std::string::npos) << raw;
  EXPECT_NE(raw.find("exit 3\n"), std::string::npos) << raw;  // close
  EXPECT_EQ(raw, perf);
}

// What a child's exec and exit look like to programs that read nothing of their record (events
// through perf_submit(args, ...), printk, a map) and to one that reads its record, through
// whichever mechanism serves them.
std::string schedSeenBy(const std::string &program, bool rawTracepoints, std::string &err) {
  const std::string comm = program.substr(program.rfind('/') + 1, 15);
  const std::string source = R"BPF(
BPF_PERF_OUTPUT(events);
BPF_HASH(calls, u32);
struct event { u32 what; char comm[16]; };
static __always_inline int ours() {
  char comm[16] = {};
  bpf_get_current_comm(&comm, sizeof comm);
  const char want[] = ")BPF" + comm + R"BPF(";
  for (int i = 0; i < sizeof want; ++i) if (comm[i] != want[i]) return 0;
  return 1;
}
TRACEPOINT_PROBE(sched, sched_process_exec) {
  struct event e = {.what = 1};
  if (!ours()) return 0;
  bpf_get_current_comm(&e.comm, sizeof e.comm);
  events.perf_submit(args, &e, sizeof e);
  return 0;
}
int on_exit(void *args) {
  struct event e = {.what = 2};
  if (!ours()) return 0;
  bpf_get_current_comm(&e.comm, sizeof e.comm);
  events.perf_submit(args, &e, sizeof e);
  bpf_trace_printk("exit of ours");
  return 0;
}
int count(void *args) {
  if (ours()) calls.increment(1);
  return 0;
}
int reader(struct tracepoint__sched__sched_process_exit *args) {
  if (ours()) bpf_trace_printk("the exit's pid is ours: %d", args->pid == (u32)bpf_get_current_pid_tgid());
  return 0;
}
)BPF";
  std::vector<std::string> args{"-v", "-e", source, "-a", "tracepoint:sched:sched_process_exit=on_exit",
                                "-a", "tracepoint:sched:sched_process_e*=count", "-a",
                                "tracepoint:sched:sched_process_exi*=reader", "-c", program};
  if (!rawTracepoints) args.insert(args.begin(), "--no-raw-tracepoints");
  auto result = probecc(args);
  err = result.err;
  EXPECT_EQ(result.status, 0) << result.err;
  // the lines without the printk lines' pid, CPU and time, in order: events come through per-CPU
  // buffers and printk through its own
  std::multiset<std::string> lines;
  std::istringstream out(result.out);
  for (std::string line; std::getline(out, line);) {
    const auto at = line.find("bpf_trace_printk: ");
    lines.insert(at == std::string::npos ? line : line.substr(at + 18));
  }
  std::string text;
  for (const auto &line : lines) text += line + "\n";
  return text;
}

TEST_F(AttachManyTest, OutputIsTheSameWhicheverMechanismServedOtherTracepoints) {
  const std::string program = sequenceProgram();
  ASSERT_FALSE(program.empty()) << "cannot build tests/e2e/data/syscall_sequence.c";
  const std::string comm = program.substr(program.rfind('/') + 1, 15);
  std::string rawErr, perfErr;
  const std::string perf = schedSeenBy(program, false, perfErr);  // first: it compiles
  const std::string raw = schedSeenBy(program, true, rawErr);
  unlink(program.c_str());
  EXPECT_NE(rawErr.find("tracepoint:sched:sched_process_e* (raw tracepoints: count reads nothing of the record)"),
            std::string::npos) << rawErr;
  EXPECT_NE(rawErr.find("attached 1 of 1 tracepoint:sched:sched_process_exi*\n"), std::string::npos)
      << "reader reads its record: it stays a tracepoint program\n" << rawErr;
  EXPECT_EQ(perfErr.find("raw tracepoints"), std::string::npos) << perfErr;
  EXPECT_NE(raw.find("what=1 comm=" + comm), std::string::npos) << raw;
  EXPECT_NE(raw.find("what=2 comm=" + comm), std::string::npos) << raw;
  EXPECT_NE(raw.find("exit of ours"), std::string::npos) << raw;
  EXPECT_NE(raw.find("the exit's pid is ours: 1"), std::string::npos) << raw;
  EXPECT_NE(raw.find("  1 → 2\n"), std::string::npos) << raw;  // calls: exec and exit
  EXPECT_EQ(raw, perf);
}

// Plain uprobes of one program in one binary come and go through one uprobe_multi link.
TEST_F(AttachManyTest, APlainUprobeListAttachesThroughOneUprobeMultiLink) {
  const std::string binary = buildTestProgram("wildcard_target.c");
  ASSERT_FALSE(binary.empty()) << "cannot build tests/e2e/data/wildcard_target.c";
  const std::string function = uniqueFunction("ul");
  KernelObjects seen;
  RunOptions options;
  options.whenAttached = [&](pid_t) { seen = objectsOf(function); };
  auto result = probecc({"-v", "-e",
                         "BPF_HASH(calls, u32);\n"
                         "int " + function + "(struct pt_regs *ctx) { calls.increment(0); return 0; }\n",
                         "-a", "uprobe:" + binary + ":probecc_target_add=" + function, "-a",
                         "uprobe:" + binary + ":probecc_target_mul=" + function, "-a",
                         "uretprobe:" + binary + ":probecc_target_mul=" + function, "-c", binary + " 7"},
                        options);
  unlink(binary.c_str());
  ASSERT_EQ(result.status, 0) << result.err;
  EXPECT_NE(result.err.find(function + ": 2 uprobes in " + binary + " through one uprobe_multi link"),
            std::string::npos) << result.err;
  // the uretprobe is a program of its own: one link
  EXPECT_NE(result.out.find("calls:\n  0 → 21\n"), std::string::npos) << result.out;  // 7 calls of each
  EXPECT_EQ(seen.links.size(), 2u) << result.err;
  EXPECT_FALSE(anyLeft(seen));
}

}  // namespace
