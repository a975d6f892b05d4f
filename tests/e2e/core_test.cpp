// Issue 2: compile in-process, attach by name, print trace_pipe lines, leave nothing behind.
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <thread>

#include "e2e_support.h"

using namespace e2e;

namespace {

constexpr const char *kUnlinkTracepoint =
    "int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args) {\n"
    "  bpf_trace_printk(\"probecc-e2e unlink %s\\n\", (char *)args->args[1]);\n"
    "  return 0;\n"
    "}\n";

std::string removeCommand(const std::string &path) { return "touch " + path + " && rm " + path; }

std::string writeFile(const std::string &path, const std::string &text) {
  std::ofstream(path) << text;
  return path;
}

}  // namespace

using Core = ProbeccTest;

TEST_F(Core, LibbpfSectionFileAndStdinWorkAlike) {
  const std::string program =
      "#include \"vmlinux.h\"\n"
      "#include <bpf/bpf_helpers.h>\n"
      "SEC(\"tp/syscalls/sys_enter_unlinkat\")\n"
      "int on_unlink(struct trace_event_raw_sys_enter *ctx) {\n"
      "  bpf_printk(\"probecc-e2e sec %s\", (char *)ctx->args[1]);\n"
      "  return 0;\n"
      "}\n"
      "char LICENSE[] SEC(\"license\") = \"GPL\";\n";
  const auto file = writeFile(uniquePath("sec") + ".bpf.c", program);
  const auto victim1 = uniquePath("sec-file");
  auto fromFile = probecc({file, "-c", removeCommand(victim1)});
  EXPECT_EQ(fromFile.status, 0) << fromFile.err;
  EXPECT_NE(fromFile.out.find("probecc-e2e sec " + victim1), std::string::npos) << fromFile.out << fromFile.err;

  const auto victim2 = uniquePath("sec-stdin");
  RunOptions withProgramOnStdin;
  withProgramOnStdin.input = program;
  auto fromStdin = probecc({"-", "-c", removeCommand(victim2)}, withProgramOnStdin);
  EXPECT_EQ(fromStdin.status, 0) << fromStdin.err;
  EXPECT_NE(fromStdin.out.find("probecc-e2e sec " + victim2), std::string::npos) << fromStdin.out << fromStdin.err;
  unlink(file.c_str());
}

TEST_F(Core, ShebangScriptRuns) {
  const auto file = writeFile(uniquePath("script") + ".c", std::string("#!/usr/bin/env probecc\n") + kUnlinkTracepoint);
  const auto victim = uniquePath("shebang");
  auto r = probecc({file, "-c", removeCommand(victim)});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("probecc-e2e unlink " + victim), std::string::npos) << r.out << r.err;
  unlink(file.c_str());
}

TEST_F(Core, DurationEndsTheSession) {
  const auto start = std::chrono::steady_clock::now();
  auto r = probecc({"-e", kUnlinkTracepoint, "-d", "0.3"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
}

TEST_F(Core, SigintAndSigtermDetachAndExitCleanly) {
  for (int sig : {SIGINT, SIGTERM}) {
    RunOptions options;
    options.signalWhenAttached = sig;
    auto r = probecc({"-v", "-e", kUnlinkTracepoint}, options);
    EXPECT_EQ(r.status, 0) << "signal " << sig << ": " << r.err;
    EXPECT_NE(r.err.find("attached 1 probe"), std::string::npos) << r.err;
  }
}

TEST_F(Core, DryRunAcceptsTheEunomiaKprobeProgram) {
  const auto seed = sharedFile("seed-programs/unlink_kprobe.bpf.c");
  if (seed.empty()) GTEST_SKIP() << "../shared/seed-programs/unlink_kprobe.bpf.c is absent";
  auto r = probecc({"--dry-run", "-v", seed});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("2 program(s) passed the verifier"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kprobe do_unlinkat"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("kretprobe do_unlinkat"), std::string::npos) << r.err;
}

TEST_F(Core, KprobeOnAKernelWithoutKprobesSaysSoAndSuggestsTheTracepoint) {
  const auto seed = sharedFile("seed-programs/unlink_kprobe.bpf.c");
  if (seed.empty()) GTEST_SKIP() << "../shared/seed-programs/unlink_kprobe.bpf.c is absent";
  if (access("/sys/bus/event_source/devices/kprobe", F_OK) == 0)
    GTEST_SKIP() << "this kernel has kprobes; the VM stage runs this program for real";
  auto r = probecc({seed, "-c", "true"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("this kernel has no kprobe support (CONFIG_KPROBES is not set)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tracepoint__syscalls__sys_enter_unlinkat"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("errno"), std::string::npos) << r.err;
}

TEST_F(Core, SyntaxErrorPointsAtTheUsersLineAndColumn) {
  auto r = probecc({"-e", "int tracepoint__syscalls__sys_enter_unlinkat(void *args) {\n  return 0\n}"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("<-e>:2:11: error: expected ';'"), std::string::npos) << r.err;
}

TEST_F(Core, UnknownTracepointIsAClearError) {
  auto r = probecc({"-e", "int tracepoint__nosuchcat__nosuchevent(void *args) { return 0; }", "-c", "true"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("tracepoint__nosuchcat__nosuchevent"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no tracepoint nosuchcat:nosuchevent"), std::string::npos) << r.err;
}

TEST_F(Core, EmitShowsGeneratedCode) {
  auto ir = probecc({"--emit", "llvm", "-e", kUnlinkTracepoint});
  EXPECT_EQ(ir.status, 0) << ir.err;
  EXPECT_NE(ir.out.find("section \"tracepoint/syscalls/sys_enter_unlinkat\""), std::string::npos);
  auto assembly = probecc({"--emit", "asm", "-e", kUnlinkTracepoint});
  EXPECT_EQ(assembly.status, 0) << assembly.err;
  EXPECT_NE(assembly.out.find("call 131"), std::string::npos) << assembly.out;  // bpf_ringbuf_reserve: printk's own buffer
  EXPECT_EQ(assembly.out.find("call 6\n"), std::string::npos) << assembly.out;
  auto kernelPipe = probecc({"--trace-pipe", "--emit", "asm", "-e", kUnlinkTracepoint});
  EXPECT_NE(kernelPipe.out.find("call 6\n"), std::string::npos) << kernelPipe.out;  // bpf_trace_printk
}

TEST_F(Core, EmitAfterANamedCompileStepShowsTheIRThen) {
  // Before the sections step the probe has no section yet; after it, it has.
  auto planned = probecc({"--emit", "llvm:plan", "-e", kUnlinkTracepoint});
  EXPECT_EQ(planned.status, 0) << planned.err;
  EXPECT_NE(planned.out.find("define"), std::string::npos) << planned.out;
  EXPECT_EQ(planned.out.find("section \"tracepoint/"), std::string::npos) << planned.out;
  auto sectioned = probecc({"--emit", "llvm:sections", "-e", kUnlinkTracepoint});
  EXPECT_NE(sectioned.out.find("section \"tracepoint/syscalls/sys_enter_unlinkat\""), std::string::npos) << sectioned.out;
  auto unknown = probecc({"--emit", "llvm:nosuch", "-e", kUnlinkTracepoint});
  EXPECT_EQ(unknown.status, 1);
  EXPECT_NE(unknown.err.find("--emit llvm:nosuch: no such compile step with IR to show (steps: parse, plan,"),
            std::string::npos) << unknown.err;
}

TEST_F(Core, BadUsageIsAnErrorWithHelpHint) {
  auto none = probecc({});
  EXPECT_NE(none.status, 0);
  EXPECT_NE(none.err.find("no program"), std::string::npos) << none.err;
  auto badOption = probecc({"--no-such-option"});
  EXPECT_NE(badOption.status, 0);
  EXPECT_NE(badOption.err.find("--help"), std::string::npos) << badOption.err;
}

TEST_F(Core, AFailedAttachDetachesTheProbesAttachedBeforeIt) {
  // The fixture fails the test if any program is still loaded afterwards.
  auto r = probecc({"-e",
                    "int tracepoint__syscalls__sys_enter_unlinkat(void *args) { return 0; }\n"
                    "int tracepoint__syscalls__sys_enter_nosuchcall(void *args) { return 0; }\n",
                    "-c", "true"});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("no tracepoint syscalls:sys_enter_nosuchcall"), std::string::npos) << r.err;
}
