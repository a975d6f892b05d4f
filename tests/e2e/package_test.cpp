// Issue 21: packages (--emit package) from the real binary: run by a copy of probecc with no
// compiler library anywhere it looks, with the output of a source run; refused, with the reason
// and nothing loaded, when from a newer probecc, another architecture, truncated or changed.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "e2e_support.h"

using namespace e2e;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void writeFile(const std::string &path, const std::string &bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// Events and maps only (no times or pids): a source run and a package run of it print the same
// JSON lines. The path filter keeps other processes' unlinks out.
std::string deterministicProgram(const std::string &path) {
  return "struct event_t { char file[64]; char comm[16]; char parent[16]; u32 uid; };\n"
         "BPF_PERF_OUTPUT(events);\n"
         "BPF_HASH(unlinks, u32, u64);\n"
         "int tracepoint__syscalls__sys_enter_unlinkat(struct tracepoint__syscalls__sys_enter_unlinkat *args) {\n"
         "  struct event_t e = {};\n"
         "  const char want[] = \"" + path + "\";\n"
         "  bpf_probe_read_user_str(e.file, sizeof e.file, args->pathname);\n"
         "  for (int i = 0; i < sizeof want; i++) if (e.file[i] != want[i]) return 0;\n"
         "  struct task_struct *task = (struct task_struct *)bpf_get_current_task();\n"
         "  bpf_get_current_comm(e.comm, sizeof e.comm);\n"
         "  bpf_probe_read_kernel_str(e.parent, sizeof e.parent, task->real_parent->comm);\n"
         "  e.uid = task->cred->uid.val;\n"
         "  events.perf_submit(args, &e, sizeof e);\n"
         "  unlinks.increment(e.uid);\n"
         "  return 0;\n"
         "}\n";
}

class Package : public ProbeccTest {
protected:
  void SetUp() override {
    ProbeccTest::SetUp();
    dir_ = uniquePath("package");
    fs::create_directories(dir_);
    // probecc alone: no libprobecc-compiler.so beside it, no ../lib/probecc
    fs::copy_file(PROBECC_BINARY, runner());
  }
  void TearDown() override {
    fs::remove_all(dir_);
    ProbeccTest::TearDown();
  }
  std::string runner() const { return dir_ + "/probecc"; }
  std::string file(const std::string &name) const { return dir_ + "/" + name; }
  RunResult runPackage(const std::string &package, std::vector<std::string> args) {
    args.push_back(package);
    RunOptions options;
    options.binary = runner();
    return probecc(args, options);
  }
  // Builds `program` into a package; the test fails if that does not work.
  std::string build(const std::string &program, std::vector<std::string> args = {}) {
    const std::string source = file("probe.c"), package = file("probe.pkg");
    writeFile(source, program);
    args.insert(args.end(), {"--emit", "package", "-o", package, source});
    auto built = probecc(args);
    EXPECT_EQ(built.status, 0) << built.err;
    return package;
  }
  std::string dir_;
};

TEST_F(Package, RunsWithoutTheCompilerLibraryAndItsJsonEqualsTheSourceRuns) {
  const std::string victim = uniquePath("unlinked");
  const std::string program = deterministicProgram(victim);
  const std::string trigger = "touch " + victim + " && rm " + victim;
  const std::string package = build(program);
  // the runner really has no compiler: it cannot compile the source
  auto compile = runPackage(file("probe.c"), {"--no-cache", "-d", "0"});
  EXPECT_NE(compile.status, 0);
  EXPECT_TRUE(contains(compile.err, "cannot find libprobecc-compiler.so")) << compile.err;

  auto fromSource = probecc({"-f", "json", "-c", trigger, file("probe.c")});
  ASSERT_EQ(fromSource.status, 0) << fromSource.err;
  auto fromPackage = runPackage(package, {"-f", "json", "-c", trigger});
  ASSERT_EQ(fromPackage.status, 0) << fromPackage.err;
  EXPECT_TRUE(contains(fromSource.out, "\"" + victim + "\"")) << fromSource.out;
  EXPECT_TRUE(contains(fromSource.out, "\"unlinks\"")) << fromSource.out;
  EXPECT_EQ(fromPackage.out, fromSource.out);
}

// Every kernel-type access is a CO-RE relocation that libbpf fits to this kernel (its log, -v):
// BCC's implicit reads (task->real_parent, ->cred->uid), vmlinux.h's tracepoint struct and
// BPF_CORE_READ alike; a source run, compiled for this kernel, has none.
TEST_F(Package, KernelTypeAccessesAreCoreRelocationsFittedWhenItLoads) {
  const std::string program =
      "int tracepoint__syscalls__sys_enter_getppid(struct trace_event_raw_sys_enter *args) {\n"
      "  struct task_struct *task = (struct task_struct *)bpf_get_current_task();\n"
      "  bpf_trace_printk(\"%d %d %ld\\n\", task->real_parent->tgid, BPF_CORE_READ(task, cred, uid.val), args->id);\n"
      "  return 0;\n"
      "}\n";
  const std::string package = build(program);
  auto run = runPackage(package, {"-v", "--dry-run"});
  ASSERT_EQ(run.status, 0) << run.err;
  for (const char *access : {"struct task_struct.real_parent", "struct task_struct.tgid", "struct task_struct.cred",
                             "struct cred.uid", "struct trace_event_raw_sys_enter.id"})
    EXPECT_TRUE(contains(run.err, access)) << access << " is not relocated:\n" << run.err;
  auto source = probecc({"-v", "--dry-run", file("probe.c")});
  ASSERT_EQ(source.status, 0) << source.err;
  EXPECT_FALSE(contains(source.err, "struct task_struct.real_parent")) << source.err;
}

TEST_F(Package, KeepsTheOutputOptionsItWasBuiltWithUnlessTheRunSaysOtherwise) {
  const std::string victim = uniquePath("unlinked");
  const std::string package = build(deterministicProgram(victim), {"-f", "json"});
  const std::string trigger = "touch " + victim + " && rm " + victim;
  auto json = runPackage(package, {"-c", trigger});
  ASSERT_EQ(json.status, 0) << json.err;
  EXPECT_TRUE(contains(json.out, "\"file\":\"" + victim + "\"")) << json.out;
  auto text = runPackage(package, {"-f", "text", "-c", trigger});
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_FALSE(contains(text.out, "\"file\":")) << text.out;
  EXPECT_TRUE(contains(text.out, victim)) << text.out;
}

TEST_F(Package, IsRefusedWithItsReasonWhenNewerForAnotherArchTruncatedOrChanged) {
  const std::string package = build(deterministicProgram(uniquePath("unlinked")));
  const std::string bytes = readFile(package);
  ASSERT_TRUE(bytes.starts_with("probecc-package\n")) << bytes.substr(0, 64);
  auto replaced = [&](const std::string &from, const std::string &to) {
    std::string changed = bytes;
    const size_t at = changed.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? changed : changed.replace(at, from.size(), to);
  };
  const size_t record = bytes.find("\n\n") + 2;
  std::string flipped = bytes;
  flipped[record + (bytes.size() - record) / 2] ^= 1;
  const std::string formatLine = bytes.substr(bytes.find("format "), bytes.find('\n', bytes.find("format ")) - bytes.find("format "));
  const struct {
    const char *what;
    std::string bytes, reason;
  } cases[] = {
      {"newer", replaced(formatLine, "format 999"), "is from a newer probecc"},
      {"arch", replaced("\narch x86_64\n", "\narch aarch64\n"), "was built for aarch64; this machine is x86_64"},
      {"truncated", bytes.substr(0, record + (bytes.size() - record) / 2), "is truncated: it holds"},
      {"changed", flipped, "was changed or damaged: its contents do not match its blake3 checksum"},
  };
  for (const auto &refused : cases) {
    const std::string path = file(std::string(refused.what) + ".pkg");
    writeFile(path, refused.bytes);
    auto run = runPackage(path, {"-d", "1"});
    EXPECT_EQ(run.status, 1) << refused.what << ": " << run.err;
    EXPECT_TRUE(contains(run.err, "package " + path + " " + refused.reason)) << refused.what << ": " << run.err;
    EXPECT_FALSE(contains(run.err, "attached")) << run.err;
  }
}

TEST_F(Package, BuildOptionsAreRefusedWhenItRuns) {
  const std::string package = build(deterministicProgram(uniquePath("unlinked")));
  auto run = runPackage(package, {"-D", "X=1", "-d", "0"});
  EXPECT_EQ(run.status, 1);
  EXPECT_TRUE(contains(run.err, "a package is compiled already")) << run.err;
}

TEST_F(Package, PreprocessorTestsOfLoadTimeKernelFactsAreCompileErrorsAtTheUsersLine) {
  writeFile(file("probe.c"), "int tracepoint__syscalls__sys_enter_getppid(void *ctx) {\n"
                             "#ifdef CONFIG_BPF_SYSCALL\n"
                             "  bpf_trace_printk(\"bpf\\n\");\n"
                             "#endif\n"
                             "  return 0;\n"
                             "}\n");
  auto built = probecc({"--emit", "package", "-o", file("probe.pkg"), file("probe.c")});
  EXPECT_EQ(built.status, 1);
  EXPECT_TRUE(contains(built.err, "probe.c:2:8: error: CONFIG_BPF_SYSCALL is tested by the preprocessor, but a package "
                                  "takes it from the kernel it is loaded on")) << built.err;
  EXPECT_FALSE(fs::exists(file("probe.pkg")));
}

}  // namespace
