// Issue 12: bpf_trace_printk to the session's own ring buffer, formatted as the kernel would.
#include <regex>
#include <sstream>
#include <thread>

#include "e2e_support.h"

using namespace e2e;

namespace {

std::string unlinkProbe(const std::string &format, const std::string &arguments) {
  return "int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args) {\n"
         "  char *path = (char *)args->args[1];\n  char tag[12] = {};\n"
         "  bpf_probe_read_user_str(tag, sizeof(tag), path + 17);\n"  // "/tmp/probecc-e2e-" + the tag
         "  if (tag[0] != 'p' || tag[1] != 'k') return 0;\n" +
         format + "\n  return 0;\n}\n";
  (void)arguments;
}

std::string removeCommand(const std::string &path) { return "touch " + path + " && rm " + path; }

// The messages of trace lines (after "bpf_trace_printk: "), in order.
std::vector<std::string> messages(const std::string &out) {
  std::vector<std::string> found;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    if (const auto at = line.find("bpf_trace_printk: "); at != std::string::npos) found.push_back(line.substr(at + 18));
  return found;
}

}  // namespace

using Printk = ProbeccTest;

TEST_F(Printk, TwoSessionsAndATracePipeReaderEachSeeOnlyTheirOwn) {
  // Each session prints its own marker for every file removed; both run at once with a cat of
  // trace_pipe, which would have refused the second session before.
  auto program = [](const std::string &marker) {
    return unlinkProbe("  bpf_trace_printk(\"" + marker + " %s\\n\", path);", "");
  };
  const auto a = uniquePath("pk-a"), b = uniquePath("pk-b");
  // Each session's command removes its own file three times, once both sessions are tracing.
  auto removals = [](const std::string &path) {
    return "sleep 2; for i in 1 2 3; do " + removeCommand(path) + "; done; sleep 1";
  };
  RunResult first, second;
  std::thread cat([] { (void)!system("timeout 5 cat /sys/kernel/tracing/trace_pipe >/dev/null 2>&1"); });
  std::thread one([&] { first = probecc({"-e", program("session-one"), "-c", removals(a)}); });
  std::thread two([&] { second = probecc({"-e", program("session-two"), "-c", removals(b)}); });
  one.join();
  two.join();
  cat.join();
  EXPECT_EQ(first.status, 0) << first.err;
  EXPECT_EQ(second.status, 0) << second.err;
  // Each session saw its own command's removals and the other's (6 each), all with its own marker.
  EXPECT_GE(countOf(first.out, "session-one " + a), 3u) << first.out;
  EXPECT_GE(countOf(first.out, "session-one " + b), 3u) << first.out;
  EXPECT_EQ(countOf(first.out, "session-two"), 0u) << first.out;
  EXPECT_GE(countOf(second.out, "session-two " + a), 3u) << second.out;
  EXPECT_EQ(countOf(second.out, "session-one"), 0u) << second.out;
  for (const auto &m : messages(first.out)) EXPECT_TRUE(m.starts_with("session-one /tmp/probecc-e2e-pk-")) << m;
}

TEST_F(Printk, ConversionsAreFormattedAsTheKernelFormatsThem) {
  // Three conversions a call; the kernel's own output through --trace-pipe is the reference.
  const std::string calls =
      "  int neg = -42; long lneg = -1234567890123L; unsigned char ip4[4] = {192, 168, 0, 7};\n"
      "  unsigned char ip6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};\n"
      "  bpf_trace_printk(\"d=%d i=%i u=%u\\n\", neg, neg, neg);\n"
      "  bpf_trace_printk(\"x=%x X=%X ld=%ld\\n\", 0xbeef, 0xbeef, lneg);\n"
      "  bpf_trace_printk(\"lu=%lu lld=%lld llu=%llu\\n\", lneg, lneg, lneg);\n"
      "  bpf_trace_printk(\"lx=%lx llx=%llx c=%c\\n\", lneg, 0x1234abcdULL, 'Z');\n"
      "  bpf_trace_printk(\"[%5d] [%-5d] [%05d]\\n\", 42, 42, 42);\n"
      "  bpf_trace_printk(\"[%+d] [% d] [%8x]\\n\", 7, 7, 255);\n"
      "  bpf_trace_printk(\"[%10s] [%-10s] 100%%\\n\", tag, tag);\n"
      "  bpf_trace_printk(\"%pI4 %pi4 %px\\n\", ip4, ip4, 0xffff888012345678UL);\n"
      "  bpf_trace_printk(\"%pI6 %pi6 %s\\n\", ip6, ip6, path);\n"
      "  bpf_trace_printk(\"no newline at the end\");\n"
      "  bpf_trace_printk(\"two\\nlines\\n\");\n";
  const auto victim = uniquePath("pk-conv");
  auto own = probecc({"-e", unlinkProbe(calls, ""), "-c", removeCommand(victim)});
  ASSERT_EQ(own.status, 0) << own.err;
  const auto ownMessages = messages(own.out);
  ASSERT_EQ(ownMessages.size(), 11u) << own.out;
  EXPECT_EQ(ownMessages[0], "d=-42 i=-42 u=4294967254");
  const std::string victimPart = victim.substr(17, 11);
  EXPECT_EQ(ownMessages[6], "[" + victimPart + "] [" + victimPart + "] 100%") << own.out;
  EXPECT_EQ(ownMessages[7], "192.168.0.7 192.168.000.007 ffff888012345678");
  EXPECT_EQ(ownMessages[8], "2001:0db8:0000:0000:0000:0000:0000:0001 20010db8000000000000000000000001 " + victim);
  EXPECT_NE(own.out.find("bpf_trace_printk: two\nlines\n"), std::string::npos) << own.out;

  auto kernel = probecc({"--trace-pipe", "-e", unlinkProbe(calls, ""), "-c", removeCommand(victim)});
  if (kernel.status != 0 && kernel.err.find("is being read by another process") != std::string::npos)
    GTEST_SKIP() << "trace_pipe is being read by another process: no kernel reference now";
  ASSERT_EQ(kernel.status, 0) << kernel.err;
  EXPECT_EQ(messages(kernel.out), ownMessages) << "kernel:\n" << kernel.out << "probecc:\n" << own.out;
}

TEST_F(Printk, TraceFieldsAndJsonShowTimeCommAndPid) {
  const auto victim = uniquePath("pk-fields");
  const auto program = unlinkProbe("  bpf_trace_printk(\"fields %s\\n\", path);", "");
  auto fields = probecc({"-T", "-e", program, "-c", removeCommand(victim)});
  EXPECT_EQ(fields.status, 0) << fields.err;
  EXPECT_TRUE(std::regex_search(fields.out, std::regex(R"((^|\n)[0-9]+\.[0-9]{9} +rm +[0-9]+ +fields )" + victim + "\n")))
      << fields.out;
  auto json = probecc({"-f", "json", "-e", program, "-c", removeCommand(victim)});
  EXPECT_EQ(json.status, 0) << json.err;
  EXPECT_TRUE(std::regex_search(json.out, std::regex(R"(\{"type":"trace","time":[0-9.]+,"pid":[1-9][0-9]*,"cpu":[0-9]+,"comm":"rm","message":"fields )" +
                                                     victim + R"(","schema":1\})")))
      << json.out;
}

TEST_F(Printk, LinesLostToAFullBufferAreCounted) {
  auto r = probecc({"--printk-pages", "1", "--no-maps", "-e", R"(
int tracepoint__raw_syscalls__sys_enter(void *args) {
  bpf_trace_printk("flood %d\n", 1);
  return 0;
}
)", "-c", "dd if=/dev/zero of=/dev/null bs=1 count=50000 2>/dev/null"});
  EXPECT_EQ(r.status, 0) << r.err.substr(0, 2000);
  EXPECT_GT(countOf(r.out, "bpf_trace_printk: flood 1\n"), 0u);
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(probecc: lost [0-9]+ bpf_trace_printk lines \(the printk ring buffer was full)")))
      << r.err.substr(0, 2000);
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(probecc: [0-9]+ bpf_trace_printk lines were lost in all)")))
      << r.err.substr(0, 2000);
}

TEST_F(Printk, AProgramThatDoesNotPrintHasNoPrintkBuffer) {
  auto quiet = probecc({"--emit", "asm", "-e", "int tracepoint__syscalls__sys_enter_unlinkat(void *args) { return 0; }"});
  EXPECT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.out.find("__probecc_printk"), std::string::npos) << quiet.out;
  auto kernelPipe = probecc({"--trace-pipe", "--emit", "asm", "-e", unlinkProbe("  bpf_trace_printk(\"x\\n\");", "")});
  EXPECT_EQ(kernelPipe.out.find("__probecc_printk"), std::string::npos) << kernelPipe.out;
}
