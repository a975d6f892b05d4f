// Issue 19: libbpf-style programs as they are (what their user space would set, from the command
// line; newer libbpf macros; kfuncs; no BCC macros), and BCC's remaining forms.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>

#include "e2e_support.h"

using namespace e2e;

namespace {

// tests/libbpf-programs/NAME (the benchmark's programs, scripts/bench/libbpf-programs.sh)
std::string libbpfProgram(const std::string &name) { return std::string(PROBECC_SOURCE_DIR) + "/tests/libbpf-programs/" + name; }

// A program in a directory of its own with its own header beside it.
std::string writeProgram(const std::string &stem, const std::string &program, const std::string &header = "") {
  const std::string dir = uniquePath(stem);
  mkdir(dir.c_str(), 0755);
  if (!header.empty()) std::ofstream(dir + "/own.h") << header;
  std::ofstream(dir + "/" + stem + ".c") << program;
  return dir + "/" + stem + ".c";
}

}  // namespace

using LibbpfStyle = ProbeccTest;

TEST_F(LibbpfStyle, MapWithoutSizeGetsBccsDefaultAndVerboseSaysSo) {
  auto r = probecc({"--dry-run", "-v", "-e", R"(#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_HASH); __type(key, u32); __type(value, u64); } sized_at_run_time SEC(".maps");
SEC("tp/syscalls/sys_enter_getppid")
int count(void *ctx) { u32 k = 0; u64 one = 1; bpf_map_update_elem(&sized_at_run_time, &k, &one, BPF_ANY); return 0; }
char LICENSE[] SEC("license") = "GPL";
)"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("map sized_at_run_time has no max_entries: 10240 entries (BCC's default)"), std::string::npos) << r.err;
}

// The knobs come back through a map rather than bpf_printk: trace_pipe is one per machine, and
// another checkout's tests reading it at the same time took this test's line once.
constexpr const char *kKnobs = R"(#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
const volatile int targ_value = 7;
const volatile bool targ_on = false;
const volatile char targ_comm[16] = {};
const volatile int targ_ports[4] = {};
struct knobs_seen { int value; char comm[16]; int port0; int port1; };
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1); __type(key, u32); __type(value, struct knobs_seen); } seen SEC(".maps");
SEC("tp/syscalls/sys_enter_syncfs")
int knobs(void *ctx) {
  if (!targ_on) return 0;
  struct knobs_seen v = { .value = targ_value, .port0 = targ_ports[0], .port1 = targ_ports[1] };
  for (int i = 0; i < 16; i++) v.comm[i] = targ_comm[i];
  u32 k = 1;
  bpf_map_update_elem(&seen, &k, &v, BPF_ANY);
  return 0;
}
char LICENSE[] SEC("license") = "GPL";
)";

TEST_F(LibbpfStyle, ConstVolatileKnobsSetFromTheCommandLine) {
  auto r = probecc({"-e", kKnobs, "--set", "targ_value=-42", "--set", "targ_on=true", "--set", "targ_comm=bash",
                    "--set", "targ_ports=80,443", "-c", "sync -f /"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("1 → {value: -42, comm: bash, port0: 80, port1: 443}"), std::string::npos) << r.out << r.err;
  auto unset = probecc({"-e", kKnobs, "-c", "sync -f /"});
  EXPECT_EQ(unset.status, 0) << unset.err;
  EXPECT_EQ(unset.out.find("value:"), std::string::npos) << "targ_on defaults to false: " << unset.out;
}

TEST_F(LibbpfStyle, KnobsAreTypeCheckedFromBtf) {
  auto unknown = probecc({"--dry-run", "-e", kKnobs, "--set", "targ_valeu=1"});
  EXPECT_NE(unknown.status, 0);
  EXPECT_NE(unknown.err.find("the program has no global variable 'targ_valeu'; did you mean targ_value?"), std::string::npos)
      << unknown.err;
  auto notBool = probecc({"--dry-run", "-e", kKnobs, "--set", "targ_on=maybe"});
  EXPECT_NE(notBool.status, 0);
  EXPECT_NE(notBool.err.find("targ_on takes true or false"), std::string::npos) << notBool.err;
  auto tooBig = probecc({"--dry-run", "-e", kKnobs, "--set", "targ_value=4294967296"});
  EXPECT_NE(tooBig.status, 0);
  EXPECT_NE(tooBig.err.find("targ_value takes a signed integer of 32 bits"), std::string::npos) << tooBig.err;
  auto tooLong = probecc({"--dry-run", "-e", kKnobs, "--set", "targ_comm=a-name-longer-than-15"});
  EXPECT_NE(tooLong.status, 0);
  EXPECT_NE(tooLong.err.find("at most 15 characters"), std::string::npos) << tooLong.err;
  auto malformed = probecc({"--dry-run", "-e", kKnobs, "--set", "targ_value"});
  EXPECT_NE(malformed.status, 0);
  EXPECT_NE(malformed.err.find("expected NAME=VALUE"), std::string::npos) << malformed.err;
}

constexpr const char *kPlaceholderKprobe = R"(#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
SEC("kprobe/dummy_file_read")
int BPF_KPROBE(file_read_entry) { return 0; }
char LICENSE[] SEC("license") = "GPL";
)";

TEST_F(LibbpfStyle, PlaceholderKprobeTargetIsAnErrorSayingHowToGiveOne) {
  auto r = probecc({"--dry-run", "-e", kPlaceholderKprobe});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("no kernel function 'dummy_file_read'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("give it with -a kprobe:FUNC=file_read_entry"), std::string::npos) << r.err;
}

TEST_F(LibbpfStyle, PlaceholderKprobeTargetGivenWithDashA) {
  auto r = probecc({"--dry-run", "-v", "-e", kPlaceholderKprobe, "-a", "kprobe:vfs_read=file_read_entry"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("file_read_entry: kprobe vfs_read"), std::string::npos) << r.err;
}

TEST_F(LibbpfStyle, SectionWithoutTargetOrBinaryIsAnError) {
  auto none = probecc({"--dry-run", "-e", R"(#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
SEC("uprobe")
int BPF_KPROBE(uprobe_add, int a, int b) { return 0; }
char LICENSE[] SEC("license") = "GPL";
)"});
  EXPECT_NE(none.status, 0);
  EXPECT_NE(none.err.find("SEC(\"uprobe\") names no target: the tool's loader chooses it at run time; give one with "
                          "-a uprobe:PATH:SYMBOL=uprobe_add"),
            std::string::npos)
      << none.err;
  const auto bashreadline = libbpfProgram("bashreadline.bpf.c");
  auto noBinary = probecc({"--dry-run", bashreadline});
  EXPECT_NE(noBinary.status, 0);
  EXPECT_NE(noBinary.err.find("names no binary for readline"), std::string::npos) << noBinary.err;
  EXPECT_NE(noBinary.err.find("-a uretprobe:PATH:readline=printret"), std::string::npos) << noBinary.err;
  auto given = probecc({"--dry-run", bashreadline, "-a", "uretprobe:/bin/bash:readline=printret"});
  EXPECT_EQ(given.status, 0) << given.err;
}

// BPF_UPROBE/BPF_URETPROBE (libbpf 1.3) on a library named as BCC names it; its calls counted.
TEST_F(LibbpfStyle, BpfUprobeMacrosOnALibraryByShortName) {
  auto r = probecc({"-e", R"(#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 16); __type(key, u32); __type(value, u64); } calls SEC(".maps");
SEC("uprobe/c:getpid")
int BPF_UPROBE(getpid_entry) { u32 k = 1; u64 one = 1, *v = bpf_map_lookup_elem(&calls, &k);
  if (v) __sync_fetch_and_add(v, 1); else bpf_map_update_elem(&calls, &k, &one, BPF_ANY); return 0; }
SEC("uretprobe/c:getpid")
int BPF_URETPROBE(getpid_exit, int ret) { u32 k = 2; u64 one = 1, *v = bpf_map_lookup_elem(&calls, &k);
  if (v) __sync_fetch_and_add(v, 1); else bpf_map_update_elem(&calls, &k, &one, BPF_ANY); return 0; }
char LICENSE[] SEC("license") = "GPL";
)", "-c", "python3 -c 'import os; [os.getpid() for _ in range(3)]' || perl -e 'getppid; getppid'"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("calls:\n"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n *2 → [1-9][0-9]*\n)"))) << r.out;
}

TEST_F(LibbpfStyle, UprobeOnLibcByShortNameAttaches) {
  auto r = probecc({"-v", "-e", R"(
BPF_HASH(mallocs, u32);
int on_malloc(struct pt_regs *ctx) { mallocs.increment(0); return 0; }
)", "-a", "uprobe:c:malloc=on_malloc", "-c", "/bin/ls / >/dev/null"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex("on_malloc: uprobe /[^ ]*/libc\\.so\\.6:malloc"))) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n *0 → [1-9][0-9]*\n)"))) << r.out;
  auto missing = probecc({"--dry-run", "-e", "int f(struct pt_regs *ctx) { return 0; }", "-a",
                          "uprobe:no-such-library-probecc:f=f"});
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("no library or program 'no-such-library-probecc'"), std::string::npos) << missing.err;
}

TEST_F(LibbpfStyle, KfuncCalledWithoutADeclaration) {
  // bpf_rdonly_cast and the bpf_iter_num kfuncs are open to every program type
  auto r = probecc({"--dry-run", "-e", R"(#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
SEC("tp/syscalls/sys_enter_getppid")
int iterate(void *ctx) {
  int sum = 0, i;
  bpf_for(i, 0, 4) sum += i;
  struct task_struct *task = bpf_core_cast((void *)bpf_get_current_task(), struct task_struct);
  bpf_printk("%d %d", sum, task->pid);
  return 0;
}
char LICENSE[] SEC("license") = "GPL";
)"});
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(LibbpfStyle, NoBccMacrosInALibbpfProgram) {
  // its own WRITE_ONCE, min, increment and EPERM, as libbpf-tools define them, without redefinition warnings
  auto r = probecc({"--dry-run", "-e", R"(#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#define EPERM (1)
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x)) = (v)
#define min(a, b) ((a) < (b) ? (a) : (b))
int last;
static int increment(int v) { return v + 1; }
SEC("tp/syscalls/sys_enter_getppid")
int f(void *ctx) { WRITE_ONCE(last, min(increment(EPERM), 2)); return 0; }
char LICENSE[] SEC("license") = "GPL";
)"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
}

TEST_F(LibbpfStyle, OwnHeaderWithReadAndWriteEnumerators) {
  const auto program = writeProgram("rw", R"(#include "own.h"
BPF_HASH(ops, u32);
int tracepoint__syscalls__sys_enter_read(void *args) { ops.increment(READ); return 0; }
int tracepoint__syscalls__sys_enter_write(void *args) { ops.increment(WRITE); return 0; }
)", "enum op { READ, WRITE };\n");
  auto r = probecc({"--dry-run", "--btf", program});
  EXPECT_EQ(r.status, 0) << r.err;
  // and the kernel's READ/WRITE where the program has none of its own
  auto kernels = probecc({"--dry-run", "--btf", "-e",
                          "int tracepoint__syscalls__sys_enter_read(void *args) { return READ + WRITE; }"});
  EXPECT_EQ(kernels.status, 0) << kernels.err;
  auto libbpf = probecc({"--dry-run", libbpfProgram("rwcount.bpf.c")});
  EXPECT_EQ(libbpf.status, 0) << libbpf.err;
}

TEST_F(LibbpfStyle, OwnStructSockWithSkDaddr) {
  auto r = probecc({"--dry-run", "--btf", "-e", R"(
struct sock { u32 *sk_daddr; };
BPF_HASH(seen, u64);
int tracepoint__syscalls__sys_enter_getppid(void *args) {
  struct sock s = {};
  seen.increment((u64)s.sk_daddr);
  return 0;
}
)"});
  EXPECT_EQ(r.status, 0) << r.err;
  // the member macro still comes with <net/sock.h>
  auto kernels = probecc({"--dry-run", "--btf", "-e", R"(#include <net/sock.h>
BPF_HASH(ports, u16);
int on_connect(struct pt_regs *ctx, struct sock *sk) { u16 port = sk->sk_dport; ports.increment(port); return 0; }
)", "-a", "kprobe:tcp_v4_connect=on_connect"});
  EXPECT_EQ(kernels.status, 0) << kernels.err;
}

TEST_F(LibbpfStyle, LookupOrInitDereferencedUnchecked) {
  auto r = probecc({"-e", R"(
BPF_HASH(counts, u32, u64);
int tracepoint__syscalls__sys_enter_syncfs(void *args) {
  u32 key = 7; u64 zero = 0;
  u64 *value = counts.lookup_or_init(&key, &zero);
  (*value) += 2;
  return 0;
}
)", "-c", "sync -f /"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n *7 → [1-9]*[02468]\n)"))) << r.out;
}

TEST_F(LibbpfStyle, AtomicIncrementAndAnInlineAnonymousStructValue) {
  auto r = probecc({"-e", R"(
BPF_HASH(counts, u32);
BPF_HASH(stats, u32, struct { u64 calls; u64 weight; });
int tracepoint__syscalls__sys_enter_syncfs(void *args) {
  u32 key = 3;
  counts.atomic_increment(key);
  counts.atomic_increment(key, 10);
  __typeof__(*stats.lookup(&key)) zero = {};
  __typeof__(zero) *s = stats.lookup_or_try_init(&key, &zero);
  if (s) { s->calls++; s->weight += 5; }
  return 0;
}
)", "-c", "sync -f /"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n *3 → 11\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(3 → \{calls: 1, weight: 5\})"))) << r.out;
}

TEST_F(LibbpfStyle, ExternTableCompiles) {
  auto r = probecc({"--dry-run", "-e", R"(
BPF_TABLE("extern", u32, u64, shared, 1024);
int tracepoint__syscalls__sys_enter_getppid(void *args) { u32 k = 0; u64 v = 1; shared.update(&k, &v); return 0; }
)"});
  EXPECT_EQ(r.status, 0) << r.err;
}

constexpr const char *kGplOnlyHelper =
    "int tracepoint__syscalls__sys_enter_getppid(void *args) {\n"
    "  struct task_struct *t = (struct task_struct *)bpf_get_current_task();\n"
    "  return t != 0;\n}\n";

TEST_F(LibbpfStyle, NonGplLicenseWithAGplOnlyHelperIsRefused) {
  auto defined = probecc({"--dry-run", "-DBPF_LICENSE=Proprietary", "-e", kGplOnlyHelper});
  EXPECT_NE(defined.status, 0);
  EXPECT_NE(defined.err.find("it calls a GPL-only helper, and its license is not GPL-compatible"), std::string::npos)
      << defined.err;
  auto inText = probecc({"--dry-run", "-e", std::string("BPF_LICENSE(Proprietary);\n") + kGplOnlyHelper});
  EXPECT_NE(inText.status, 0);
  EXPECT_NE(inText.err.find("GPL-only helper"), std::string::npos) << inText.err;
  auto gpl = probecc({"--dry-run", "-DBPF_LICENSE=GPL", "-e", kGplOnlyHelper});
  EXPECT_EQ(gpl.status, 0) << gpl.err;
  auto noGplHelper = probecc({"--dry-run", "-DBPF_LICENSE=Proprietary", "-e",
                              "int tracepoint__syscalls__sys_enter_getppid(void *args) { return bpf_ktime_get_ns() > 0; }"});
  EXPECT_EQ(noGplHelper.status, 0) << noGplHelper.err;
}

// The benchmark's sigsnoop as its loader would run it: a knob set, a map sized at run time.
TEST_F(LibbpfStyle, SigsnoopWithAKnobAndARuntimeSizedMap) {
  auto r = probecc({"-v", libbpfProgram("sigsnoop.bpf.c"), "--set", "target_signal=10", "-c",
                    "sh -c 'trap : USR1; kill -USR1 $$; kill -USR2 $$ 2>/dev/null; trap - USR2' ; true"});
  EXPECT_NE(r.err.find("map counts has no max_entries: 10240 entries"), std::string::npos) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(sig=10 ret=0 comm=sh)"))) << r.out;
  EXPECT_EQ(r.out.find("sig=12"), std::string::npos) << "target_signal did not filter: " << r.out;
}

// The benchmark's funclatency: its placeholder kprobes given with -a, its units knob set.
TEST_F(LibbpfStyle, FunclatencyWithPlaceholdersGivenAndAKnob) {
  const auto program = libbpfProgram("funclatency.bpf.c");
  auto r = probecc({"--dry-run", "-v", program, "-a", "kprobe:vfs_read=dummy_kprobe", "-a",
                    "kretprobe:vfs_read=dummy_kretprobe", "--set", "units=1"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("dummy_kretprobe: kretprobe vfs_read"), std::string::npos) << r.err;
  auto asIs = probecc({"--dry-run", program});
  EXPECT_NE(asIs.status, 0);
  EXPECT_NE(asIs.err.find("give it with -a kprobe:FUNC=dummy_kprobe"), std::string::npos) << asIs.err;
}
