// Snippet → BPF object, checked through libbpf without loading anything into the kernel.
#include "compiler/compile_program.h"
#include "btf_kernel.h"
#include "frontend/probe_plan.h"

#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

using namespace probecc;

namespace {

bool haveBtf() { return std::filesystem::exists("/sys/kernel/btf/vmlinux"); }

ProgramRequest btfRequest(const std::string &source, EmitKind emit = EmitKind::Object) {
  ProgramRequest request;
  request.script = {"probe.c", source};
  request.kernel = btfKernelTypes();
  request.emitKind = emit;
  request.syscalls = {true, "", "__x64_sys_"};
  return request;
}

llvm::Expected<CompiledProgram> compile(const std::string &source, std::vector<std::string> attach = {}) {
  auto request = btfRequest(source);
  for (const auto &option : attach) {
    auto spec = planFromAttachOption(option);
    if (!spec) return spec.takeError();
    request.attachments.push_back(*spec);
  }
  return compileProgram(std::move(request));
}

struct Object {
  std::unique_ptr<bpf_object, decltype(&bpf_object__close)> object{nullptr, bpf_object__close};
  explicit Object(const CompiledProgram &program) {
    object.reset(bpf_object__open_mem(program.code.data(), program.code.size(), nullptr));
  }
  bpf_program *program(const char *name) { return bpf_object__find_program_by_name(object.get(), name); }
  int programCount() {
    int n = 0;
    bpf_program *p;
    bpf_object__for_each_program(p, object.get())++ n;
    return n;
  }
};

}  // namespace

TEST(Compile, BccNamedProbesBecomeProgramsOfTheRightTypeAndSection) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto program = compile(R"(
static int helper(int x) { return x + 1; }
int not_a_probe(void) { return 7; }
int kprobe__do_unlinkat(struct pt_regs *ctx) { bpf_trace_printk("k %d\n", helper(1)); return 0; }
int kretprobe__do_unlinkat(struct pt_regs *ctx) { return 0; }
int tracepoint__syscalls__sys_enter_openat(void *args) { return not_a_probe(); }
int raw_tracepoint__sys_enter(struct bpf_raw_tracepoint_args *ctx) { return 0; }
)");
  ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
  // the four, and the syscalls tracepoint program's raw_syscalls stand-in (codegen/raw_syscalls.h)
  ASSERT_EQ(program->probes.size(), 5u);
  EXPECT_EQ(program->probes.back().standsInFor, "tracepoint__syscalls__sys_enter_openat");
  EXPECT_EQ(program->probes.back().recordBytesRead, 0u);  // it reads nothing of its record
  Object object(*program);
  ASSERT_TRUE(object.object);
  EXPECT_EQ(object.programCount(), 5);  // helpers are not programs
  struct Expect {
    const char *name;
    bpf_prog_type type;
    const char *section;
  } expected[] = {
      {"kprobe__do_unlinkat", BPF_PROG_TYPE_KPROBE, "kprobe/do_unlinkat"},
      {"kretprobe__do_unlinkat", BPF_PROG_TYPE_KPROBE, "kretprobe/do_unlinkat"},
      {"tracepoint__syscalls__sys_enter_openat", BPF_PROG_TYPE_TRACEPOINT, "tracepoint/syscalls/sys_enter_openat"},
      {"raw_tracepoint__sys_enter", BPF_PROG_TYPE_RAW_TRACEPOINT, "raw_tracepoint/sys_enter"},
      {"tracepoint__syscalls__sys_enter_openat__raw_sys_enter", BPF_PROG_TYPE_RAW_TRACEPOINT, "raw_tracepoint/sys_enter"},
  };
  for (const auto &e : expected) {
    auto *p = object.program(e.name);
    ASSERT_NE(p, nullptr) << e.name;
    EXPECT_EQ(bpf_program__type(p), e.type) << e.name;
    EXPECT_STREQ(bpf_program__section_name(p), e.section) << e.name;
  }
  EXPECT_EQ(object.program("helper"), nullptr);
  EXPECT_EQ(object.program("not_a_probe"), nullptr);
}

TEST(Compile, ObjectCarriesBtfAndADefaultGplLicense) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto program = compile("int kprobe__vfs_read(struct pt_regs *ctx) { return 0; }");
  ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
  Object object(*program);
  ASSERT_TRUE(object.object);
  EXPECT_NE(bpf_object__btf(object.object.get()), nullptr);
  // libbpf keeps the license in the object; bpf_object__kversion is the other header field.
  auto ir = compileProgram(btfRequest("int kprobe__vfs_read(struct pt_regs *ctx) { return 0; }", EmitKind::LlvmIr));
  ASSERT_TRUE(static_cast<bool>(ir)) << llvm::toString(ir.takeError());
  const std::string text(ir->code.begin(), ir->code.end());
  EXPECT_NE(text.find("c\"GPL\\00\", section \"license\""), std::string::npos) << text.substr(0, 2000);
}

TEST(Compile, DeclaredLicenseIsKept) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto ir = compileProgram(
      btfRequest("BPF_LICENSE(Dual BSD/GPL);\nint kprobe__vfs_read(void *ctx) { return 0; }", EmitKind::LlvmIr));
  ASSERT_TRUE(static_cast<bool>(ir)) << llvm::toString(ir.takeError());
  const std::string text(ir->code.begin(), ir->code.end());
  EXPECT_NE(text.find("Dual BSD/GPL"), std::string::npos);
  EXPECT_EQ(text.find("c\"GPL\\00\""), std::string::npos);
}

TEST(Compile, ExplicitAttachmentTurnsAPlainFunctionIntoAProbe) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto program = compile("int hello(void *ctx) { bpf_trace_printk(\"hi\\n\"); return 0; }",
                         {"kprobe:__x64_sys_syncfs=hello"});
  ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
  Object object(*program);
  ASSERT_NE(object.program("hello"), nullptr);
  EXPECT_STREQ(bpf_program__section_name(object.program("hello")), "kprobe/__x64_sys_syncfs");
}

TEST(Compile, AttachingAMissingFunctionIsAnError) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto program = compile("int hello(void *ctx) { return 0; }", {"kprobe:vfs_read=nosuch"});
  ASSERT_FALSE(static_cast<bool>(program));
  EXPECT_NE(llvm::toString(program.takeError()).find("no function 'nosuch'"), std::string::npos);
}

TEST(Compile, ProgramWithoutProbesIsAnError) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto program = compile("int helper(void) { return 0; }");
  ASSERT_FALSE(static_cast<bool>(program));
  EXPECT_NE(llvm::toString(program.takeError()).find("no probe"), std::string::npos);
}

TEST(Compile, MalformedProbeNamePointsAtTheUsersLine) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto program = compile("\n\nint tracepoint__sched(void *ctx) { return 0; }");
  ASSERT_FALSE(static_cast<bool>(program));
  const auto message = llvm::toString(program.takeError());
  EXPECT_NE(message.find("probe.c:3: "), std::string::npos) << message;
}

TEST(Compile, SyntaxErrorsNameTheUsersFileLineAndColumn) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  testing::internal::CaptureStderr();
  auto program = compile("int kprobe__vfs_read(void *ctx) {\n  return 0\n}\n");
  const std::string diagnostics = testing::internal::GetCapturedStderr();
  ASSERT_FALSE(static_cast<bool>(program));
  llvm::consumeError(program.takeError());
  EXPECT_NE(diagnostics.find("probe.c:2:11: error: expected ';'"), std::string::npos) << diagnostics;
  EXPECT_EQ(diagnostics.find("preamble"), std::string::npos) << diagnostics;
}

TEST(Compile, TooManyTracePrintkArgumentsIsACompileError) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  testing::internal::CaptureStderr();
  auto program = compile("int kprobe__vfs_read(void *ctx) {\n  bpf_trace_printk(\"%d %d %d %d\", 1, 2, 3, 4);\n  return 0;\n}\n");
  const std::string diagnostics = testing::internal::GetCapturedStderr();
  ASSERT_FALSE(static_cast<bool>(program));
  llvm::consumeError(program.takeError());
  EXPECT_NE(diagnostics.find("probe.c:2:3: error"), std::string::npos) << diagnostics;
  EXPECT_NE(diagnostics.find("at most 3 arguments"), std::string::npos) << diagnostics;
}

TEST(Compile, KernelHeaderIncludesResolveOnBtfOnlyKernels) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto program = compile(R"(
#include <uapi/linux/ptrace.h>
#include <linux/sched.h>
#include <linux/fs.h>
#include <net/sock.h>
int kprobe__vfs_read(struct pt_regs *ctx) {
  char comm[TASK_COMM_LEN];
  bpf_get_current_comm(&comm, sizeof(comm));
  return sizeof(struct task_struct) > 0 && sizeof(struct sock) > 0;
}
)");
  EXPECT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
}

TEST(Compile, EventTypesComeFromTheSubmittedDataDebugInfo) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto program = compile(R"(
struct event { u32 pid; char comm[16]; };
typedef struct { u64 ts; } tick_t;
BPF_PERF_OUTPUT(events);
BPF_RINGBUF_OUTPUT(ticks, 4);
int kprobe__vfs_read(struct pt_regs *ctx) {
  struct event e = {};
  e.pid = bpf_get_current_pid_tgid() >> 32;
  bpf_get_current_comm(&e.comm, sizeof(e.comm));
  events.perf_submit(ctx, &e, sizeof(e));
  tick_t *t = ticks.ringbuf_reserve(sizeof(*t));
  if (!t) return 0;
  t->ts = bpf_ktime_get_ns();
  ticks.ringbuf_submit(t, 0);
  return 0;
}
)");
  ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
  ASSERT_EQ(program->eventTypes.size(), 2u);
  EXPECT_EQ(program->eventTypes[0].map, "events__map");
  EXPECT_EQ(program->eventTypes[0].typeName, "event");
  EXPECT_FALSE(program->eventTypes[0].isTypedef);
  EXPECT_EQ(program->eventTypes[1].map, "ticks__map");
  EXPECT_EQ(program->eventTypes[1].typeName, "tick_t");
  EXPECT_TRUE(program->eventTypes[1].isTypedef);
}

TEST(Compile, EventTypeOfARecordSubmittedStraightFromAMapValue) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto program = compile(R"(
struct stash { u32 pid; int ret; };
BPF_HASH(stashed, u64, struct stash);
BPF_PERF_OUTPUT(events);
int kretprobe__vfs_read(struct pt_regs *ctx) {
  u64 id = bpf_get_current_pid_tgid();
  struct stash *s = stashed.lookup(&id);
  if (!s) return 0;
  events.perf_submit(ctx, s, sizeof(*s));
  return 0;
}
)");
  ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
  ASSERT_EQ(program->eventTypes.size(), 1u);
  EXPECT_EQ(program->eventTypes[0].typeName, "stash");
}

TEST(Compile, KernelTypesFromThisKernelNeedNoCoreRelocations) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto ir = compileProgram(btfRequest(
      "int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args) {\n"
      "  bpf_trace_printk(\"%s\\n\", (char *)args->args[1]);\n  return 0;\n}\n",
      EmitKind::LlvmIr));
  ASSERT_TRUE(static_cast<bool>(ir)) << llvm::toString(ir.takeError());
  const std::string text(ir->code.begin(), ir->code.end());
  // The BPF back end turns a CO-RE field access into a relocation global named after the type.
  EXPECT_EQ(text.find("@\"llvm.trace_event_raw_sys_enter:"), std::string::npos) << text.substr(0, 3000);

  auto explicitCore = compileProgram(btfRequest(
      "int kprobe__do_unlinkat(struct pt_regs *ctx, int dfd, struct filename *name) {\n"
      "  const char *s = BPF_CORE_READ(name, name);\n  bpf_trace_printk(\"%s\\n\", s);\n  return 0;\n}\n",
      EmitKind::LlvmIr));
  ASSERT_TRUE(static_cast<bool>(explicitCore)) << llvm::toString(explicitCore.takeError());
  const std::string coreText(explicitCore->code.begin(), explicitCore->code.end());
  EXPECT_NE(coreText.find("@\"llvm.filename:"), std::string::npos) << "BPF_CORE_READ still relocates";
}

TEST(Compile, KernelPrivateStructsAProgramDefinesWinOverBtfs) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  // BCC programs define kernel-private structs themselves; BTF has them too. The program's own
  // layout is used, and BTF's types that embed the kernel's struct sock keep theirs.
  auto program = compile(R"(
struct nameidata { struct path path; int last_type; };
struct sock { int mine; };
_Static_assert(sizeof(struct nameidata) == sizeof(struct path) + 8, "the program's own layout");
_Static_assert(sizeof(struct sock) == 4, "the program's own struct sock");
_Static_assert(sizeof(struct inet_sock) > 100, "BTF's inet_sock still embeds the kernel's struct sock");
_Static_assert(__builtin_types_compatible_p(__typeof__(((struct sk_buff *)0)->sk), struct sock *),
               "a pointer in BTF's types is to the program's own struct, as with BCC");
int tracepoint__syscalls__sys_enter_openat(void *args) {
  struct nameidata nd = {};
  struct sock s = {};
  bpf_trace_printk("%d %d\n", nd.last_type, s.mine);
  return 0;
}
)");
  ASSERT_TRUE(bool(program)) << llvm::toString(program.takeError());
}

TEST(Compile, SyscallArgumentsThroughTheWrapperLeaveTheStackToTheProgram) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  // mountsnoop's shape: five syscall arguments (read from the user's pt_regs, as BCC reads each
  // where it is used) and a 432-byte event on the stack, submitted several times.
  auto program = compile(R"(
struct data_t {
  int type; u32 pid, tgid;
  union { struct { unsigned int ns; char comm[16]; char pcomm[16]; u32 ppid; unsigned long flags; } enter;
          char str[412]; int retval; };
};
BPF_PERF_OUTPUT(events);
static void submit_string(struct pt_regs *ctx, struct data_t *event, int type, const char __user *text) {
  event->type = type;
  __builtin_memset(event->str, 0, sizeof(event->str));
  bpf_probe_read_user(event->str, sizeof(event->str), text);
  events.perf_submit(ctx, event, sizeof(*event));
}
int syscall__mount(struct pt_regs *ctx, char __user *source, char __user *target, char __user *type,
                   unsigned long flags, char __user *data) {
  struct data_t event = {};
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  event.pid = bpf_get_current_pid_tgid();
  event.tgid = bpf_get_current_pid_tgid() >> 32;
  bpf_get_current_comm(event.enter.comm, sizeof(event.enter.comm));
  event.enter.flags = flags;
  event.enter.ppid = task->real_parent->tgid;
  bpf_probe_read_kernel_str(&event.enter.pcomm, 16, task->real_parent->comm);
  event.enter.ns = task->nsproxy->mnt_ns->ns.inum;
  events.perf_submit(ctx, &event, sizeof(event));
  submit_string(ctx, &event, 1, source);
  submit_string(ctx, &event, 2, target);
  submit_string(ctx, &event, 3, type);
  submit_string(ctx, &event, 4, data);
  return 0;
}
)");
  ASSERT_TRUE(bool(program)) << llvm::toString(program.takeError());
}

TEST(Compile, ReturnProbeWithTypedArgumentsReadsTheRegistersAsBccDoes) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  // One signature for entry and return, as BCC's deadlock writes it: BCC reads the typed
  // arguments from the registers whichever way the function is attached.
  const std::string source = R"(
int on_clone(struct pt_regs *ctx, unsigned long flags, void *stack) {
  bpf_trace_printk("ret=%ld flags=%lu\n", PT_REGS_RC(ctx), flags);
  return 0;
}
)";
  auto program = compile(source, {"kretprobe:__x64_sys_clone=on_clone"});
  ASSERT_TRUE(static_cast<bool>(program)) << llvm::toString(program.takeError());
  Object object(*program);
  ASSERT_NE(object.program("on_clone"), nullptr);
  EXPECT_STREQ(bpf_program__section_name(object.program("on_clone")), "kretprobe/__x64_sys_clone");

  auto request = btfRequest(source, EmitKind::LlvmIr);
  request.attachments.push_back(*planFromAttachOption("kretprobe:__x64_sys_clone=on_clone"));
  auto ir = compileProgram(std::move(request));
  ASSERT_TRUE(static_cast<bool>(ir)) << llvm::toString(ir.takeError());
  const std::string text(ir->code.begin(), ir->code.end());
  // flags is pt_regs' di (offset 112), the return value its ax (offset 80).
  EXPECT_NE(text.find("getelementptr inbounds i8, ptr %0, i64 112"), std::string::npos) << text;
  EXPECT_NE(text.find("getelementptr inbounds i8, ptr %0, i64 80"), std::string::npos) << text;
}
