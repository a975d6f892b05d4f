// Syscall probes moved to syscall tracepoints: helpers that need the context get the real one.
#include <gtest/gtest.h>

#include <regex>

#include "compiler/compile_program.h"
#include "btf_kernel.h"
#include "frontend/probe_plan.h"
#include "fake_tracefs.h"

using namespace probecc;

namespace {

// The program's LLVM IR, compiled as on a kernel without kprobes whose tracefs has `events`.
std::string fallbackIr(const std::string &source, std::initializer_list<const char *> events) {
  FakeTracefs tracefs(events);
  ProgramRequest request;
  request.script = {"probe.c", source};
  request.kernel = btfKernelTypes();
  request.emitKind = EmitKind::LlvmIr;
  request.syscalls = {false, tracefs.root.string(), ""};
  auto program = compileProgram(std::move(request));
  if (!program) {
    ADD_FAILURE() << llvm::toString(program.takeError());
    return "";
  }
  return std::string(program->code.begin(), program->code.end());
}

// The text of one function's definition.
std::string functionIr(const std::string &ir, const std::string &name) {
  const auto start = ir.find("@" + name + "(");
  if (start == std::string::npos) return "";
  return ir.substr(start, ir.find("\n}\n", start) - start);
}

// Calls of helper `id` whose first argument is the program's own ctx (%0), and all calls of it.
int callsWithRealCtx(const std::string &body, int id) {
  const std::regex call("inttoptr \\(i64 " + std::to_string(id) + " to ptr\\)\\(ptr noundef( nonnull)? %0,");
  return std::distance(std::sregex_iterator(body.begin(), body.end(), call), std::sregex_iterator());
}
int calls(const std::string &body, int id) {
  const std::regex call("inttoptr \\(i64 " + std::to_string(id) + " to ptr\\)\\(");
  return std::distance(std::sregex_iterator(body.begin(), body.end(), call), std::sregex_iterator());
}

constexpr int kPerfEventOutput = 25, kGetStackid = 27, kGetStack = 67;

}  // namespace

TEST(StandInContext, EntryProbeHelpersGetTheTracepointsCtxAndPtRegsStillRead) {
  const auto ir = fallbackIr(R"(
struct data_t { u32 pid; char fname[64]; int stack; };
BPF_PERF_OUTPUT(events);
BPF_STACK_TRACE(stacks, 128);
int syscall__openat(struct pt_regs *ctx, int dfd, const char __user *filename) {
  struct data_t d = {};
  bpf_probe_read_user_str(d.fname, sizeof(d.fname), (void *)PT_REGS_PARM2(ctx));
  d.stack = stacks.get_stackid(ctx, 0);
  u64 frames[4];
  bpf_get_stack(ctx, frames, sizeof(frames), 0);
  events.perf_submit(ctx, &d, sizeof(d));
  return 0;
}
)", {"sys_enter_openat"});
  const auto body = functionIr(ir, "syscall__openat");
  ASSERT_FALSE(body.empty()) << ir;
  EXPECT_NE(body.find("section \"tracepoint/syscalls/sys_enter_openat\""), std::string::npos) << body;
  for (int helper : {kPerfEventOutput, kGetStackid, kGetStack}) {
    EXPECT_EQ(calls(body, helper), 1) << helper << "\n" << body;
    EXPECT_EQ(callsWithRealCtx(body, helper), 1) << helper << "\n" << body;
  }
  // PT_REGS_PARM2 reads the record's second argument (offset 24 of syscall_trace_enter).
  EXPECT_TRUE(std::regex_search(body, std::regex("getelementptr inbounds i8, ptr %0, i64 24"))) << body;
}

TEST(StandInContext, ReturnProbeSubmitsWithTheRealCtxAndKeepsNoStandInItDoesNotRead) {
  const auto ir = fallbackIr(R"(
struct data_t { u32 pid; int ret; };
BPF_PERF_OUTPUT(events);
int kretprobe__sys_openat(struct pt_regs *ctx) {
  struct data_t d = {};
  d.ret = PT_REGS_RC(ctx);
  events.perf_submit(ctx, &d, sizeof(d));
  return 0;
}
)", {"sys_exit_openat"});
  const auto body = functionIr(ir, "kretprobe__sys_openat");
  ASSERT_FALSE(body.empty()) << ir;
  EXPECT_EQ(callsWithRealCtx(body, kPerfEventOutput), 1) << body;
  EXPECT_EQ(body.find("alloca [168 x i8]"), std::string::npos) << body;
}

TEST(StandInContext, AStandInPtRegsIsAlignedForItsU64Fields) {
  // The body hands its ctx to a function the optimiser keeps: the stand-in stays, 8-byte aligned.
  const auto ir = fallbackIr(R"(
static __attribute__((noinline)) long first(struct pt_regs *regs) { return regs ? PT_REGS_PARM1(regs) : 0; }
int syscall__openat(struct pt_regs *ctx) { bpf_trace_printk("%ld\n", first(ctx)); return 0; }
)", {"sys_enter_openat"});
  const auto body = functionIr(ir, "syscall__openat");
  EXPECT_TRUE(std::regex_search(body, std::regex("alloca \\[168 x i8\\], align 8"))) << body;
}
