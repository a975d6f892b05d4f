// Issue 11: USDT probes (BCC's bpf_usdt_readarg and libbpf's BPF_USDT, semaphores) and -p PID,
// on a small program the test builds with <sys/sdt.h>.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>
#include <string>

#include "e2e_support.h"

using namespace e2e;

namespace {

// Builds tests/e2e/data/user_probes_target.c once; "" when it cannot be built.
const std::string &targetBinary() {
  static const std::string binary = buildTestProgram("user_probes_target.c");
  return binary;
}

#define REQUIRE_TARGET()                                                                                   \
  if (targetBinary().empty()) GTEST_SKIP() << "cannot build the USDT test program (is systemtap-sdt-dev, " \
                                              "<sys/sdt.h>, installed?)"

pid_t startTarget(int rounds) {
  const pid_t child = fork();
  if (child == 0) {
    const std::string count = std::to_string(rounds);
    execl(targetBinary().c_str(), targetBinary().c_str(), count.c_str(), nullptr);
    _exit(127);
  }
  return child;
}

// The number of times `needle` occurs in `text`.
size_t occurrences(const std::string &text, const std::string &needle) {
  size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++count;
  return count;
}

}  // namespace

using UserProbes = ProbeccTest;

TEST_F(UserProbes, UsdtArgumentsReadBccStyle) {
  REQUIRE_TARGET();
  auto r = probecc({"-e",
                    "int on_tick(struct pt_regs *ctx) {\n"
                    "  long round = 0; char message[8] = {};\n"
                    "  bpf_usdt_readarg(1, ctx, &round);\n"
                    "  bpf_usdt_readarg_p(2, ctx, &message, sizeof(message));\n"
                    "  bpf_trace_printk(\"tick %ld %s\\n\", round, message);\n  return 0;\n}\n",
                    "-a", "usdt:" + targetBinary() + ":probecc_test:tick=on_tick", "-c", targetBinary() + " 3"});
  EXPECT_EQ(r.status, 0) << r.err;
  for (const char *line : {"tick 1 hello\n", "tick 2 hello\n", "tick 3 hello\n"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << " missing from:\n" << r.out;

  auto unknown = probecc({"-e", "int f(struct pt_regs *ctx) { return 0; }", "-a",
                          "usdt:" + targetBinary() + ":no_such_probe=f", "-c", "true"});
  EXPECT_NE(unknown.status, 0);
  EXPECT_NE(unknown.err.find("has no such USDT probe; it has probecc_test:tick, probecc_test:gated"), std::string::npos)
      << unknown.err;
}

TEST_F(UserProbes, UsdtLibbpfStyleSetsTheSemaphore) {
  REQUIRE_TARGET();
  // probecc_test:gated fires only while its semaphore is set, which libbpf does on attach.
  auto r = probecc({"-e",
                    "SEC(\"usdt/" + targetBinary() + ":probecc_test:gated\")\n"
                    "int BPF_USDT(on_gated, long value) {\n"
                    "  bpf_printk(\"gated %ld\", value);\n  return 0;\n}\n",
                    "-c", targetBinary() + " 3"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(occurrences(r.out, "gated "), 3u) << r.out;
  for (const char *line : {"gated 10\n", "gated 20\n", "gated 30\n"})
    EXPECT_NE(r.out.find(line), std::string::npos) << line << " missing from:\n" << r.out;
}

TEST_F(UserProbes, PidLimitsAUprobeToOneProcessAndEndsWithIt) {
  REQUIRE_TARGET();
  const pid_t watched = startTarget(20), other = startTarget(80);  // 2 s and 8 s
  auto r = probecc({"-e",
                    "int on_work(struct pt_regs *ctx) {\n"
                    "  bpf_trace_printk(\"work in %d\\n\", bpf_get_current_pid_tgid() >> 32);\n  return 0;\n}\n",
                    "-a", "uprobe:" + targetBinary() + ":probecc_work=on_work", "-p", std::to_string(watched),
                    "-d", "30"});
  int status = 0;
  const bool otherStillRuns = waitpid(other, &status, WNOHANG) == 0;
  kill(other, SIGKILL);
  waitpid(other, &status, 0);
  waitpid(watched, &status, 0);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(otherStillRuns) << "probecc should end when process " << watched << " exits, not at -d 30";
  EXPECT_NE(r.out.find("work in " + std::to_string(watched) + "\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("work in " + std::to_string(other) + "\n"), std::string::npos) << r.out;

  auto gone = probecc({"-e", "int f(struct pt_regs *ctx) { return 0; }", "-a",
                       "uprobe:" + targetBinary() + ":probecc_work=f", "-p", std::to_string(watched)});
  EXPECT_NE(gone.status, 0);
  EXPECT_NE(gone.err.find("-p " + std::to_string(watched) + ": no such process"), std::string::npos) << gone.err;
}

// threadsnoop's shape: a void probe on libc's pthread_create (glibc 2.34+ has it there, not in
// libpthread) reading the start routine from the registers and submitting it.
TEST_F(UserProbes, PthreadCreateInLibcReportsTheStartRoutine) {
  const std::string libc = "/lib/x86_64-linux-gnu/libc.so.6";
  if (access(libc.c_str(), F_OK) != 0) GTEST_SKIP() << libc << " is absent (not x86_64 Debian)";
  static const std::string target = buildTestProgram("thread_target.c");
  ASSERT_FALSE(target.empty()) << "cannot build tests/e2e/data/thread_target.c";
  auto r = probecc({"-e",
                    "struct data_t { u32 pid; u64 start; char comm[TASK_COMM_LEN]; };\n"
                    "BPF_PERF_OUTPUT(events);\n"
                    "void on_create(struct pt_regs *ctx) {\n"
                    "  struct data_t data = {.pid = bpf_get_current_pid_tgid() >> 32, .start = PT_REGS_PARM3(ctx)};\n"
                    "  bpf_get_current_comm(&data.comm, sizeof(data.comm));\n"
                    "  events.perf_submit(ctx, &data, sizeof(data));\n};\n",
                    "-a", "uprobe:" + libc + ":pthread_create=on_create", "-c", target});
  EXPECT_EQ(r.status, 0) << r.err;
  std::smatch worker;
  ASSERT_TRUE(std::regex_search(r.out, worker, std::regex("worker=([0-9]+)\n"))) << r.out << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("pid=[0-9]+ start=" + worker[1].str() + " comm=\\S+\\n")))
      << r.out << r.err;
}
