// Issue 11: USDT probes (BCC's bpf_usdt_readarg and libbpf's BPF_USDT, semaphores) and -p PID,
// on a small program the test builds with <sys/sdt.h>.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
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
