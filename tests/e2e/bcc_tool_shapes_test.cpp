// Issue 10: the shapes of BCC's tools that only show when they run for real (bcc-tools.sh --run):
// one function attached at several places (opensnoop's trace_return on three syscalls' returns),
// struct layouts chosen by LINUX_VERSION_CODE (mountsnoop's own struct mnt_namespace), and
// events whose struct holds an anonymous union (mountsnoop's data_t).
#include <unistd.h>

#include <regex>

#include "e2e_support.h"

using namespace e2e;

namespace {

int count(const std::string &text, const std::regex &pattern) {
  return std::distance(std::sregex_iterator(text.begin(), text.end(), pattern), std::sregex_iterator());
}

// One return probe for three syscalls, as opensnoop's trace_return.
constexpr const char *kSharedReturn = R"(
struct ret_t { u32 pid; int ret; char comm[16]; };
BPF_PERF_OUTPUT(events);
int on_return(struct pt_regs *ctx) {
  struct ret_t r = {};
  r.pid = bpf_get_current_pid_tgid() >> 32;
  r.ret = PT_REGS_RC(ctx);
  bpf_get_current_comm(&r.comm, sizeof(r.comm));
  events.perf_submit(ctx, &r, sizeof(r));
  return 0;
}
)";

// One function at a syscall's entry and at its return: two programs of different forms.
constexpr const char *kEntryAndReturn = R"(
BPF_HASH(hits, u32, u64);
int on_openat(struct pt_regs *ctx) {
  u32 key = PT_REGS_RC(ctx) == -2 ? 2 : 1;  /* entry: rax is 0; the return of a missing file: -ENOENT */
  hits.increment(key);
  return 0;
}
)";

// mountsnoop's way to read a kernel-private struct: its own definition, its layout by version.
constexpr const char *kOwnVersionedStruct = R"(
#include <linux/nsproxy.h>
#include <linux/ns_common.h>
struct mnt_namespace {
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
  atomic_t count;
#endif
  struct ns_common ns;
};
struct data_t { u32 pid; unsigned int mnt_ns; };
BPF_PERF_OUTPUT(events);
int syscall__getppid(struct pt_regs *ctx) {
  struct data_t data = {};
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  struct mnt_namespace *mnt_ns = (struct mnt_namespace *)task->nsproxy->mnt_ns;
  data.pid = bpf_get_current_pid_tgid() >> 32;
  data.mnt_ns = mnt_ns->ns.inum;
  events.perf_submit(ctx, &data, sizeof(data));
  return 0;
}
)";

// mountsnoop's event: a type, then an anonymous union read according to it.
constexpr const char *kUnionEvent = R"(
enum kind { KIND_NAME, KIND_RET };
struct data_t {
  enum kind type;
  union {
    struct { u32 pid; char comm[16]; } enter;
    char str[32];
    int retval;
  };
};
BPF_PERF_OUTPUT(events);
int syscall__getppid(struct pt_regs *ctx) {
  struct data_t event = {};
  event.type = KIND_NAME;
  event.enter.pid = 0xfffefdfc;  /* bytes that are no text: the str view shows them escaped */
  bpf_get_current_comm(event.enter.comm, sizeof(event.enter.comm));
  events.perf_submit(ctx, &event, sizeof(event));
  return 0;
}
)";

// filetop's map: a struct key with a plain char (the file's type, 'R') beside u8/s8 numbers.
constexpr const char *kCharKey = R"(
struct info_t { char type; u8 small; s8 neg; char name[8]; };
BPF_HASH(counts, struct info_t, u64);
int syscall__getppid(struct pt_regs *ctx) {
  struct info_t key = {.type = 'R', .small = 82, .neg = -3};
  __builtin_memcpy(key.name, "ab\tc", 5);
  counts.increment(key);
  return 0;
}
)";

std::string ownMountNamespace() {
  char link[64] = {};
  if (readlink("/proc/self/ns/mnt", link, sizeof link - 1) < 0) return "";
  const std::string text = link;  // mnt:[4026531840]
  return text.substr(text.find('[') + 1, text.find(']') - text.find('[') - 1);
}

}  // namespace

using BccToolShapes = ProbeccTest;

TEST_F(BccToolShapes, OneReturnProbeOnThreeSyscallsSeesEachReturnValue) {
  const auto path = uniquePath("shared-return");
  auto r = probecc({"-e", kSharedReturn, "-a", "kretprobe:__x64_sys_openat=on_return", "-a",
                    "kretprobe:__x64_sys_mkdir=on_return", "-a", "kretprobe:__x64_sys_mkdirat=on_return", "-c",
                    "cat " + path + " 2>/dev/null; mkdir / 2>/dev/null; true"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_GE(count(r.out, std::regex(R"(ret=-2 comm=cat\n)")), 1) << r.out << r.err;     // openat: ENOENT
  EXPECT_EQ(count(r.out, std::regex(R"(ret=-17 comm=mkdir\n)")), 1) << r.out << r.err;  // mkdir(at): EEXIST
}

TEST_F(BccToolShapes, OneFunctionAtASyscallsEntryAndReturnRunsAsTwoPrograms) {
  const auto path = uniquePath("entry-return");
  auto r = probecc({"-e", kEntryAndReturn, "-a", "syscall:openat=on_openat", "-a", "kretsyscall:openat=on_openat",
                    "-c", "cat " + path + " 2>/dev/null; true"});
  EXPECT_EQ(r.status, 0) << r.err;
  // Both keys: the entry's and the failed return's (each program reads its own context).
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n  1 → [1-9])"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n  2 → [1-9])"))) << r.out;
}

TEST_F(BccToolShapes, LinuxVersionCodeChoosesTheProgramsOwnStructLayout) {
  const auto inum = ownMountNamespace();
  ASSERT_FALSE(inum.empty());
  auto r = probecc({"--btf", "-e", kOwnVersionedStruct, "-c", "python3 -c 'import os; os.getppid()'"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("pid=[0-9]+ mnt_ns=" + inum + "\n"))) << r.out << r.err;
}

TEST_F(BccToolShapes, AnonymousUnionMembersPrintAsTheStructsOwnWithUnprintableBytesEscaped) {
  auto r = probecc({"-e", kUnionEvent, "-c", "python3 -c 'import os; os.getppid()'"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(
      r.out, std::regex(R"(type=KIND_NAME enter=\{pid: 4294901244, comm: python3\} str=\\xfc\\xfd\\xfe\\xffpython3 retval=-66052\n)")))
      << r.out << r.err;
  auto json = probecc({"-f", "json", "-e", kUnionEvent, "-c", "python3 -c 'import os; os.getppid()'"});
  EXPECT_EQ(json.status, 0) << json.err;
  EXPECT_TRUE(std::regex_search(json.out, std::regex(R"("type":"KIND_NAME","enter":\{"pid":4294901244,"comm":"python3"\},"str":"(\xef\xbf\xbd)+python3","retval":-66052)")))
      << json.out;
}

TEST_F(BccToolShapes, PlainCharMembersPrintAsCharactersAndSmallIntegersAsNumbers) {
  auto r = probecc({"-e", kCharKey, "-c", "python3 -c 'import os; os.getppid()'"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\{type: R, small: 82, neg: -3, name: ab\\tc\} → [1-9])")))
      << r.out << r.err;
  auto json = probecc({"-f", "json", "-e", kCharKey, "-c", "python3 -c 'import os; os.getppid()'"});
  EXPECT_NE(json.out.find(R"("key":{"type":"R","small":82,"neg":-3,"name":"ab\tc"})"), std::string::npos)
      << json.out;
}

TEST_F(BccToolShapes, ReadAndWriteAreTheKernelsIoDirectionsUnlessTheProgramNamesThemItself) {
  // ttysnoop's test on 5.14+: from->data_source != WRITE
  auto bcc = probecc({"--btf", "-e", "BPF_HASH(dirs, u32, u32);\n"
                      "int tracepoint__syscalls__sys_enter_write(void *args) {\n"
                      "  u32 key = READ, value = WRITE; dirs.update(&key, &value); return 0;\n}\n",
                      "-c", "echo x >/dev/null"});
  EXPECT_EQ(bcc.status, 0) << bcc.err;
  EXPECT_NE(bcc.out.find("0 → 1"), std::string::npos) << bcc.out;
  // one the program only mentions, in a comment or a string, is still the kernel's
  auto mentioned = probecc({"--btf", "-e", "/* enum op { READ, WRITE }; */ // #define READ 7\n"
                            "const char note[] = \"enum op { READ, WRITE };\";\nBPF_HASH(dirs, u32, u32);\n"
                            "int tracepoint__syscalls__sys_enter_write(void *args) {\n"
                            "  u32 key = READ, value = WRITE; dirs.update(&key, &value); return 0;\n}\n",
                            "-c", "echo x >/dev/null"});
  EXPECT_EQ(mentioned.status, 0) << mentioned.err;
  EXPECT_NE(mentioned.out.find("0 → 1"), std::string::npos) << mentioned.out;
  // libbpf-tools' filetop.h: enum op { READ, WRITE }
  auto own = probecc({"--btf", "--dry-run", "-e", "enum op { READ, WRITE };\nBPF_HASH(ops, u32, u32);\n"
                      "int tracepoint__syscalls__sys_enter_write(void *args) {\n"
                      "  u32 key = WRITE; ops.increment(key); return 0;\n}\n"});
  EXPECT_EQ(own.status, 0) << own.err;
}
