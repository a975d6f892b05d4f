// Issue 10: BCC's syscall tools as they are written (syscall__NAME and kretprobe__sys_NAME with
// perf_submit(ctx, ...) and get_stackid(ctx, ...)) run and print their events. On a kernel without
// kprobes they run from the syscalls tracepoints; their helpers still get the real ctx.
#include <unistd.h>

#include <regex>

#include "e2e_support.h"

using namespace e2e;

namespace {

constexpr const char *kExecSnoop = R"(
#include <linux/sched.h>
struct data_t { u32 pid; int retval; int stage; char comm[TASK_COMM_LEN]; char fname[64]; };
BPF_PERF_OUTPUT(events);
int syscall__execve(struct pt_regs *ctx, const char __user *filename, const char __user *const __user *argv) {
  struct data_t data = {};
  data.pid = bpf_get_current_pid_tgid() >> 32;
  bpf_get_current_comm(&data.comm, sizeof(data.comm));
  bpf_probe_read_user_str(data.fname, sizeof(data.fname), filename);
  events.perf_submit(ctx, &data, sizeof(data));
  return 0;
}
int kretprobe__sys_execve(struct pt_regs *ctx) {
  struct data_t data = {};
  data.pid = bpf_get_current_pid_tgid() >> 32;
  data.stage = 1;
  data.retval = PT_REGS_RC(ctx);
  bpf_get_current_comm(&data.comm, sizeof(data.comm));
  events.perf_submit(ctx, &data, sizeof(data));
  return 0;
}
)";

// opensnoop's shape: the entry stashes, the return probe submits the stashed map value.
constexpr const char *kOpenSnoop = R"(
struct val_t { u64 id; char comm[16]; const char *fname; };
struct data_t { u32 pid; int ret; char comm[16]; char fname[64]; };
BPF_HASH(infotmp, u64, struct val_t);
BPF_PERF_OUTPUT(events);
int syscall__openat(struct pt_regs *ctx, int dfd, const char __user *filename) {
  struct val_t val = {};
  u64 id = bpf_get_current_pid_tgid();
  val.id = id;
  val.fname = filename;
  bpf_get_current_comm(&val.comm, sizeof(val.comm));
  infotmp.update(&id, &val);
  return 0;
}
int kretprobe__sys_openat(struct pt_regs *ctx) {
  u64 id = bpf_get_current_pid_tgid();
  struct val_t *valp = infotmp.lookup(&id);
  if (valp == 0) return 0;
  struct data_t data = {};
  data.pid = id >> 32;
  data.ret = PT_REGS_RC(ctx);
  __builtin_memcpy(data.comm, valp->comm, sizeof(data.comm));
  bpf_probe_read_user_str(data.fname, sizeof(data.fname), valp->fname);
  events.perf_submit(ctx, &data, sizeof(data));
  infotmp.delete(&id);
  return 0;
}
)";

// killsnoop's shape, with the return probe's kernel stack id and a ring buffer as well.
constexpr const char *kKillSnoop = R"(
struct val_t { u32 pid; int sig; int tpid; };
struct data_t { u32 pid; int tpid; int sig; int ret; int stack_ok; };
BPF_HASH(infotmp, u32, struct val_t);
BPF_PERF_OUTPUT(events);
BPF_RINGBUF_OUTPUT(rings, 8);
BPF_STACK_TRACE(stacks, 64);
int syscall__kill(struct pt_regs *ctx, int tpid, int sig) {
  u32 pid = bpf_get_current_pid_tgid() >> 32;
  struct val_t val = {.pid = pid, .sig = sig, .tpid = tpid};
  infotmp.update(&pid, &val);
  return 0;
}
int kretprobe__sys_kill(struct pt_regs *ctx) {
  u32 pid = bpf_get_current_pid_tgid() >> 32;
  struct val_t *valp = infotmp.lookup(&pid);
  if (!valp) return 0;
  struct data_t data = {.pid = pid, .tpid = valp->tpid, .sig = valp->sig, .ret = PT_REGS_RC(ctx)};
  data.stack_ok = stacks.get_stackid(ctx, 0) >= 0;
  events.perf_submit(ctx, &data, sizeof(data));
  rings.ringbuf_output(&data, sizeof(data), 0);
  infotmp.delete(&pid);
  return 0;
}
)";

// deadlock's shape: one signature for entry and return, the return probe attached with -a as a
// kretprobe of the syscall function, typed arguments unused, the user stack from the real ctx.
constexpr const char *kReturnProbeWithTypedArguments = R"(
struct data_t { u32 pid; int ret; long sig; int stack_ok; };
BPF_PERF_OUTPUT(events);
BPF_STACK_TRACE(stacks, 64);
int on_kill_return(struct pt_regs *ctx, int tpid, long sig) {
  struct data_t data = {.pid = bpf_get_current_pid_tgid() >> 32, .ret = PT_REGS_RC(ctx), .sig = sig};
  data.stack_ok = stacks.get_stackid(ctx, BPF_F_USER_STACK) >= 0;
  events.perf_submit(ctx, &data, sizeof(data));
  return 0;
}
)";

}  // namespace

using SyscallTools = ProbeccTest;

TEST_F(SyscallTools, ExecSnoopLikeProgramPrintsEntryAndReturnEvents) {
  auto r = probecc({"-e", kExecSnoop, "-c", "/bin/true"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(pid=[0-9]+ retval=0 stage=0 comm=\S+ fname=/bin/true\n)")))
      << r.out << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(pid=[0-9]+ retval=0 stage=1 comm=true fname=\n)")))
      << r.out << r.err;
}

TEST_F(SyscallTools, OpenSnoopLikeProgramSubmitsFromItsReturnProbe) {
  const auto path = uniquePath("opensnoop");
  auto r = probecc({"-e", kOpenSnoop, "-c", "cat " + path + " 2>/dev/null; true"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("pid=[0-9]+ ret=-2 comm=cat fname=" + path + "\n")))
      << r.out << r.err;
}

TEST_F(SyscallTools, KillSnoopLikeProgramWithStackIdAndRingBuffer) {
  auto r = probecc({"-e", kKillSnoop, "-c", "sh -c 'kill -0 $$'"});
  EXPECT_EQ(r.status, 0) << r.err;
  // One record through the perf buffer and one through the ring buffer, for the same kill.
  const std::regex event(R"(pid=([0-9]+) tpid=\1 sig=0 ret=0 stack_ok=1\n)");
  EXPECT_EQ(std::distance(std::sregex_iterator(r.out.begin(), r.out.end(), event), std::sregex_iterator()), 2)
      << r.out << r.err;
}

TEST_F(SyscallTools, ReturnProbeWithTypedArgumentsAttachedAsAKretprobe) {
  auto r = probecc({"-e", kReturnProbeWithTypedArguments, "-a", "kretprobe:__x64_sys_kill=on_kill_return", "-c",
                    "sh -c 'kill -0 $$'"});
  EXPECT_EQ(r.status, 0) << r.err;
  // Without kprobes the return comes from syscalls:sys_exit_kill, whose record has no arguments:
  // the typed ones read zero there (with kprobes, whatever the registers hold at return).
  const bool kprobes = access("/sys/bus/event_source/devices/kprobe", F_OK) == 0;
  const std::string sig = kprobes ? "-?[0-9]+" : "0";
  EXPECT_TRUE(std::regex_search(r.out, std::regex("pid=[0-9]+ ret=0 sig=" + sig + " stack_ok=1\n"))) << r.out << r.err;
}
