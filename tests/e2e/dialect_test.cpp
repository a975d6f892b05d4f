// Issue 4: BCC's C dialect — typed probe arguments, syscall probes (and their tracepoint fallback
// on kernels without kprobes), explicit attach, the seed documents' programs.
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <regex>

#include "e2e_support.h"

using namespace e2e;

namespace {

bool kernelHasKprobes() { return access("/sys/bus/event_source/devices/kprobe", F_OK) == 0; }

std::string seed(const std::string &name) { return sharedFile("seed-programs/" + name); }

#define REQUIRE_SEED(path)                                                                  \
  if ((path).empty()) GTEST_SKIP() << "../shared/seed-programs is absent (seed test data)"

}  // namespace

using Dialect = ProbeccTest;

TEST_F(Dialect, TypedKprobeArgumentsPassTheVerifier) {
  auto r = probecc({"--dry-run", "-e",
                    "int kprobe__do_unlinkat(struct pt_regs *ctx, int dfd, struct filename *name) {\n"
                    "  const char *s = 0;\n"
                    "  bpf_probe_read_kernel(&s, sizeof(s), &name->name);\n"
                    "  bpf_trace_printk(\"unlink %s dfd=%d\\n\", s, dfd);\n"
                    "  return 0;\n}\n"});
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(Dialect, TooManyTypedArgumentsIsAnErrorAtTheUsersLine) {
  auto r = probecc({"--dry-run", "-e",
                    "\nint kprobe__f(struct pt_regs *ctx, long a, long b, long c, long d, long e, long f, long g)\n"
                    "{ return 0; }\n"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("<-e>:2: kprobe__f takes 7 arguments after ctx; a probe can read at most 6"), std::string::npos)
      << r.err;
}

TEST_F(Dialect, TracepointProbesTakeNoTypedArguments) {
  auto r = probecc({"--dry-run", "-e", "int tracepoint__syscalls__sys_enter_openat(void *args, int x) { return 0; }"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("takes only its context argument"), std::string::npos) << r.err;
}

TEST_F(Dialect, SyncfsSeedAttachedExplicitly) {
  const auto program = seed("syncfs_hello.c");
  REQUIRE_SEED(program);
  auto r = probecc({"-a", "syscall:syncfs=hello", program, "-c", "sync -f /"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("syncfs called"), std::string::npos) << r.out << r.err;
  if (!kernelHasKprobes()) {
    EXPECT_NE(r.err.find("using tracepoint syscalls:sys_enter_syncfs"), std::string::npos) << r.err;
  }
}

TEST_F(Dialect, CloneSeedOnEntryAndAsKretprobeWithTheNewPid) {
  const auto program = seed("trace_clone.c");
  REQUIRE_SEED(program);
  // A shell that forks a background job calls clone; its return value in the parent is the child's pid.
  const std::string trigger = "sh -c 'sleep 0.1 & echo child=$!; wait'";
  auto entry = probecc({"-a", "syscall:clone=trace_clone", program, "-c", trigger});
  EXPECT_EQ(entry.status, 0) << entry.err;
  EXPECT_NE(entry.out.find("New process created"), std::string::npos) << entry.out << entry.err;

  auto exit = probecc({"-a", "kretprobe:__x64_sys_clone=trace_clone", program, "-c", trigger});
  EXPECT_EQ(exit.status, 0) << exit.err;
  const auto childAt = exit.out.find("child=");
  ASSERT_NE(childAt, std::string::npos) << exit.out;
  const std::string child = exit.out.substr(childAt + 6, exit.out.find('\n', childAt) - childAt - 6);
  EXPECT_NE(exit.out.find("New process created: PID " + child + " "), std::string::npos) << exit.out << exit.err;
}

TEST_F(Dialect, OpenHookSeedWithPidFilterPrintsTheFilename) {
  const auto program = seed("open_hook.c");
  REQUIRE_SEED(program);
  // The seed reads its typed argument `filename` as the first syscall argument: open(2)'s.
  // A child blocked on a pipe opens a file once probecc is attached; PID_FILTER is its pid.
  int go[2];
  ASSERT_EQ(pipe(go), 0);
  const std::string path = uniquePath("open-hook");
  const pid_t opener = fork();
  if (opener == 0) {
    char c;
    (void)!read(go[0], &c, 1);
    syscall(SYS_open, path.c_str(), O_RDONLY);
    _exit(0);
  }
  RunOptions options;
  options.whenAttached = [&](pid_t probeccPid) {
    (void)!write(go[1], "x", 1);
    waitpid(opener, nullptr, 0);
    kill(probeccPid, SIGINT);
  };
  auto r = probecc({"-v", "-a", "syscall:open=openHook", "-D", "PID_FILTER=" + std::to_string(opener), program},
                   options);
  close(go[0]);
  close(go[1]);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("openHook " + path), std::string::npos) << r.out << r.err;
}

TEST_F(Dialect, SyscallPrefixedProbeFallsBackToTheTracepoint) {
  if (kernelHasKprobes()) GTEST_SKIP() << "this kernel has kprobes: the fallback is not used (VM stage covers it)";
  const auto victim = uniquePath("syscall-unlinkat");
  auto r = probecc({"-e",
                    "int syscall__unlinkat(struct pt_regs *ctx, int dfd, const char __user *path) {\n"
                    "  bpf_trace_printk(\"syscall unlinkat %s\\n\", path);\n  return 0;\n}\n",
                    "-c", "touch " + victim + " && rm " + victim});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("syscall unlinkat " + victim), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.err.find("using tracepoint syscalls:sys_enter_unlinkat"), std::string::npos) << r.err;
}

TEST_F(Dialect, SeedProgramsPassTheVerifier) {
  struct Case {
    const char *file;
    std::vector<std::string> args;
  } cases[] = {
      {"unlink_kprobe.bpf.c", {}},
      {"trace_clone.c", {"-a", "kprobe:__x64_sys_clone=trace_clone"}},
      {"syncfs_hello.c", {"-a", "syscall:syncfs=hello"}},
      {"open_hook.c", {"-a", "syscall:openat=openHook", "-D", "PID_FILTER=1"}},
  };
  for (const auto &c : cases) {
    const auto program = seed(c.file);
    REQUIRE_SEED(program);
    auto args = c.args;
    args.insert(args.begin(), "--dry-run");
    args.push_back(program);
    auto r = probecc(args);
    EXPECT_EQ(r.status, 0) << c.file << ": " << r.err;
  }
}

// --dry-run checks that the kprobe's function exists: fuse_open_common is there only on kernels
// with FUSE's older open path (the VM case 10 runs it on 6.1).
TEST_F(Dialect, FuseSeedPassesTheVerifierOrNamesItsMissingFunction) {
  const auto program = seed("fuse_open.c");
  REQUIRE_SEED(program);
  std::ifstream kallsyms("/proc/kallsyms");
  bool present = false;
  for (std::string line; !present && std::getline(kallsyms, line);)
    present = line.ends_with(" fuse_open_common") || line.find(" fuse_open_common\t") != std::string::npos;
  auto r = probecc({"--dry-run", program});
  if (present) {
    EXPECT_EQ(r.status, 0) << r.err;
  } else {
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find("fuse_open.c:3: cannot attach kprobe__fuse_open_common (kprobe fuse_open_common): "
                         "no kernel function 'fuse_open_common'"),
              std::string::npos)
        << r.err;
  }
}

TEST_F(Dialect, TracepointProbeMacroReadsArgsFields) {
  const auto path = uniquePath("tp-openat");
  auto r = probecc({"-e",
                    "TRACEPOINT_PROBE(syscalls, sys_enter_openat) {\n"
                    "  bpf_trace_printk(\"openat %s dfd=%d\\n\", args->filename, args->dfd);\n  return 0;\n}\n",
                    "-c", "cat " + path + " 2>/dev/null; true"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("openat " + path + " dfd=-100"), std::string::npos) << r.out << r.err;
}

TEST_F(Dialect, DataLocFieldOfSchedProcessExec) {
  auto r = probecc({"-e",
                    "int tracepoint__sched__sched_process_exec(struct tracepoint__sched__sched_process_exec *args) {\n"
                    "  char name[64];\n"
                    "  TP_DATA_LOC_READ_CONST(name, filename, sizeof(name));\n"
                    "  bpf_trace_printk(\"exec %s\\n\", name);\n  return 0;\n}\n",
                    "-c", "/bin/true"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("exec /bin/true"), std::string::npos) << r.out << r.err;
}

TEST_F(Dialect, RawTracepointReadsKernelPointersImplicitly) {
  auto r = probecc({"-e",
                    "RAW_TRACEPOINT_PROBE(sched_process_exec) {\n"
                    "  struct task_struct *task = (struct task_struct *)ctx->args[0];\n"
                    "  struct linux_binprm *bprm = (struct linux_binprm *)ctx->args[2];\n"
                    "  bpf_trace_printk(\"raw exec %s tgid=%d\\n\", bprm->filename, task->tgid);\n  return 0;\n}\n",
                    "-c", "/bin/true"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(raw exec /bin/true tgid=[1-9][0-9]*)"))) << r.out << r.err;
}

TEST_F(Dialect, KprobeFieldChainsThroughTypedArgumentsPassTheVerifier) {
  auto r = probecc({"--dry-run", "-e",
                    "int kprobe__vfs_open(struct pt_regs *ctx, const struct path *path, struct file *file) {\n"
                    "  struct dentry *d = path->dentry;\n"
                    "  bpf_trace_printk(\"open %s ino=%lu\\n\", d->d_name.name, d->d_inode ? d->d_inode->i_ino : 0);\n"
                    "  return 0;\n}\n"});
  EXPECT_EQ(r.status, 0) << r.err;
}

TEST_F(Dialect, WritingKernelMemoryIsACompileErrorAtTheUsersLine) {
  auto r = probecc({"--dry-run", "-e",
                    "int kprobe__do_unlinkat(struct pt_regs *ctx, int dfd, struct filename *name) {\n"
                    "  name->refcnt.counter = 0;\n  return 0;\n}\n"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("<-e>:2:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("cannot write kernel memory"), std::string::npos) << r.err;
}

TEST_F(Dialect, KfuncKretfuncAndLsmMacrosBecomeBtfTypedPrograms) {
  // This kernel refuses fentry loads; compiling to the right sections is what can be checked here.
  auto r = probecc({"--emit", "llvm", "-e",
                    "KFUNC_PROBE(do_unlinkat, int dfd, struct filename *name) { return 0; }\n"
                    "KRETFUNC_PROBE(do_unlinkat, int dfd, struct filename *name, long ret) { return 0; }\n"
                    "LSM_PROBE(file_open, struct file *file) { return 0; }\n"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("section \"fentry/do_unlinkat\""), std::string::npos);
  EXPECT_NE(r.out.find("section \"fexit/do_unlinkat\""), std::string::npos);
  EXPECT_NE(r.out.find("section \"lsm/file_open\""), std::string::npos);
}

TEST_F(Dialect, TracePrintkFormatsTheKernelWouldRefuseAreCompileErrors) {
  auto r = probecc({"--dry-run", "-e",
                    "int tracepoint__syscalls__sys_enter_syncfs(void *args) {\n"
                    "  bpf_trace_printk(\"ratio %f\\n\", 1);\n  return 0;\n}\n"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("<-e>:2:3: bpf_trace_printk(\"ratio %f\\n\", ...): '%f' is not a conversion"), std::string::npos)
      << r.err;
}

TEST_F(Dialect, UprobeWithTypedArgumentOnALibraryFunction) {
  const std::string libc = "/lib/x86_64-linux-gnu/libc.so.6";
  if (access(libc.c_str(), F_OK) != 0) GTEST_SKIP() << libc << " is absent (not x86_64 Debian)";
  auto r = probecc({"-e", "int on_malloc(struct pt_regs *ctx, size_t size) {\n"
                          "  bpf_trace_printk(\"malloc %lu\\n\", size);\n  return 0;\n}\n",
                    "-a", "uprobe:" + libc + ":malloc=on_malloc", "-c", "/bin/true"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(malloc [1-9][0-9]*\n)"))) << r.out;

  auto missing = probecc({"-e", "int f(struct pt_regs *ctx) { return 0; }", "-a", "uprobe:" + libc + ":no_such_fn=f",
                          "-c", "true"});
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("no function 'no_such_fn' in " + libc), std::string::npos) << missing.err;
}

// As BCC's ext4dist/xfsdist do: copying a literal into a longer field reads past its end, which the
// verifier refuses when the literal ends .rodata; probecc pads literals to 8 bytes.
TEST_F(Dialect, CopyingAShortLiteralIntoALongerFieldPassesTheVerifier) {
  auto r = probecc({"--dry-run", "-e", R"(
struct key_t { char op[8]; u64 slot; };
BPF_HASH(ops, struct key_t);
int tracepoint__syscalls__sys_enter_getpid(void *args) {
  struct key_t key = {.slot = 1};
  __builtin_memcpy(&key.op, "fsync", sizeof(key.op));
  ops.increment(key);
  return 0;
})"});
  EXPECT_EQ(r.status, 0) << r.err;
}

// mountsnoop's shape: a kernel-private struct the program defines itself, its layout chosen by
// LINUX_VERSION_CODE, which BTF mode takes from the running kernel's release.
TEST_F(Dialect, OwnStructGatedOnLinuxVersionCodeHasThisKernelsLayout) {
  char link[64] = {};
  ASSERT_GT(readlink("/proc/self/ns/mnt", link, sizeof link - 1), 0);
  const std::string inode = std::string(link).substr(5, std::string(link).size() - 6);  // mnt:[N]
  auto r = probecc({"--btf", "-e", R"(
struct mnt_namespace {
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 11, 0)
  atomic_t count;
#endif
  struct ns_common ns;
};
int tracepoint__syscalls__sys_enter_execve(void *args) {
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  struct mnt_namespace *mnt = (struct mnt_namespace *)task->nsproxy->mnt_ns;
  bpf_trace_printk("mntns %u\n", mnt->ns.inum);
  return 0;
})", "-c", "/bin/true"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("mntns " + inode + "\n"), std::string::npos) << inode << " not in:\n" << r.out << r.err;
}

// BTF mode defines the running kernel's CONFIG_* values as its headers' autoconf.h would, and
// IS_ENABLED() over them.
TEST_F(Dialect, KernelConfigurationMacrosInBtfMode) {
  if (access("/proc/config.gz", R_OK) != 0) GTEST_SKIP() << "this kernel has no /proc/config.gz";
  std::string hz;
  if (FILE *config = popen("zcat /proc/config.gz | sed -n 's/^CONFIG_HZ=//p'", "r")) {
    char line[32] = {};
    if (fgets(line, sizeof line, config)) hz = std::string(line, strcspn(line, "\n"));
    pclose(config);
  }
  ASSERT_FALSE(hz.empty()) << "no CONFIG_HZ in /proc/config.gz";
  auto r = probecc({"--btf", "-e", R"(
int tracepoint__syscalls__sys_enter_execve(void *args) {
#ifdef CONFIG_X86_64
  bpf_trace_printk("hz=%d kprobes=%d bpf=%d\n", CONFIG_HZ, IS_ENABLED(CONFIG_KPROBES), IS_BUILTIN(CONFIG_BPF_SYSCALL));
#endif
  return 0;
})", "-c", "/bin/true"});
  EXPECT_EQ(r.status, 0) << r.err;
  const std::string expected = "hz=" + hz + " kprobes=" + (kernelHasKprobes() ? "1" : "0") + " bpf=1\n";
  EXPECT_NE(r.out.find(expected), std::string::npos) << expected << " not in:\n" << r.out << r.err;
}
