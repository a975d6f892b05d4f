// Issue 19's pure parts: --set parsing, library names, kernel header stubs, BCC macro scoping.
#include <gtest/gtest.h>

#include "probe_targets.h"

#include <unistd.h>

#include "frontend/kernel_macros.h"
#include "frontend/preamble.h"
#include "frontend/program_facts.h"
#include "frontend/usdt_preamble.h"
#include "load/global_settings.h"
#include "elf/library_paths.h"

using namespace probecc;

TEST(GlobalSettings, NameEqualsValue) {
  auto setting = parseGlobalSetting("targ_comm=a=b");
  ASSERT_TRUE(static_cast<bool>(setting));
  EXPECT_EQ(setting->name, "targ_comm");
  EXPECT_EQ(setting->value, "a=b");
  auto empty = parseGlobalSetting("targ_pid=");
  ASSERT_TRUE(static_cast<bool>(empty));
  EXPECT_EQ(empty->value, "");
  for (const char *bad : {"targ_pid", "=1"}) {
    auto error = parseGlobalSetting(bad);
    ASSERT_FALSE(static_cast<bool>(error)) << bad;
    EXPECT_NE(llvm::toString(error.takeError()).find("expected NAME=VALUE"), std::string::npos);
  }
}

TEST(LibraryPaths, ShortNamesFromTheDynamicLinkersCache) {
  if (access("/etc/ld.so.cache", R_OK) != 0) GTEST_SKIP() << "no /etc/ld.so.cache on this machine";
  for (const char *name : {"c", "libc", "libc.so.6"}) {
    const auto path = findLibrary(name);
    ASSERT_TRUE(path.has_value()) << name;
    EXPECT_TRUE(path->ends_with("/libc.so.6")) << *path;
  }
  EXPECT_FALSE(findLibrary("no-such-library-probecc").has_value());
  EXPECT_FALSE(findLibrary("c", "/nonexistent/ld.so.cache").has_value());
}

TEST(LibraryPaths, UprobesOnANameGetAPath) {
  ProbeSpec malloc = probeOf("fn", ProbeKind::Uprobe, "c:malloc");
  ProbeSpec kprobe = probeOf("k", ProbeKind::Kprobe, "vfs_read");
  ProbeSpec path = probeOf("p", ProbeKind::Uretprobe, "/bin/bash:readline");
  auto resolved = resolveUserBinaries({malloc, kprobe, path});
  ASSERT_TRUE(static_cast<bool>(resolved)) << llvm::toString(resolved.takeError());
  EXPECT_TRUE((*resolved)[0].target.text().ends_with("/libc.so.6:malloc")) << (*resolved)[0].target.text();
  EXPECT_EQ((*resolved)[1].target.text(), "vfs_read");
  EXPECT_EQ((*resolved)[2].target.text(), "/bin/bash:readline");
  auto missing = resolveUserBinaries({probeOf("fn", ProbeKind::Uprobe, "no-such-library-probecc:f")});
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_NE(llvm::toString(missing.takeError()).find("no library or program 'no-such-library-probecc'"), std::string::npos);
}

TEST(KernelMacros, MemberMacrosComeWithTheirHeader) {
  EXPECT_EQ(btfKernelMacros().find("#define sk_daddr"), std::string::npos);
  EXPECT_NE(kernelHeaderStub("net/sock.h").find("#define sk_daddr __sk_common.skc_daddr"), std::string::npos);
  EXPECT_EQ(kernelHeaderStub("net/sock.h").find("#define inet_daddr"), std::string::npos);
  EXPECT_NE(kernelHeaderStub("net/tcp.h").find("#define inet_daddr"), std::string::npos);
  EXPECT_NE(kernelHeaderStub("linux/tcp.h").find("#define sk_daddr"), std::string::npos);
  EXPECT_EQ(kernelHeaderStub("linux/sched.h"), "");
  EXPECT_NE(kernelHeaderStub("asm-generic/errno.h").find("#define EEXIST 17"), std::string::npos);
}

TEST(KernelMacros, LibbpfStyleProgramsUndefineBccsMacros) {
  const auto undefines = bccMacroUndefines();
  for (const char *name : {"READ_ONCE", "WRITE_ONCE", "min", "TASK_COMM_LEN", "EPERM", "bpf_trace_printk", "READ"})
    EXPECT_NE(undefines.find(std::string("#undef ") + name + "\n"), std::string::npos) << name;
  auto libbpfStyle = [](std::string_view text) { return isLibbpfStyle(readProgramFacts(text)); };
  EXPECT_TRUE(libbpfStyle("#include \"vmlinux.h\"\n"));
  EXPECT_TRUE(libbpfStyle("#include <bpf/bpf_helpers.h>\n"));
  EXPECT_TRUE(libbpfStyle("  #  include < bpf/bpf_helpers.h >\n"));
  EXPECT_FALSE(libbpfStyle("#include <linux/sched.h>\nBPF_HASH(x);\n"));
}

// What the program says in a comment or a string is not what it does.
TEST(ProgramFacts, CommentsAndStringsSayNothing) {
  const ProgramFacts facts = readProgramFacts(R"c(
// #include "vmlinux.h"
/* #include <bpf/bpf_helpers.h>
   bpf_usdt_readarg(1, ctx, &x); */
const char *note = "#include <vmlinux.h> usdt tracepoint__sched__sched_switch";
#define TEXT "TRACEPOINT_PROBE(sched, sched_wakeup)"
#include <linux/sched.h>
int kprobe__vfs_read(void *ctx) { return 0; }
)c");
  EXPECT_EQ(facts.includes, std::vector<std::string>{"linux/sched.h"});
  EXPECT_FALSE(isLibbpfStyle(facts));
  EXPECT_FALSE(facts.namesUsdt);
  EXPECT_TRUE(facts.tracepoints.empty());
  EXPECT_EQ(usdtPreamble(facts, {}), "");
  const ProgramFacts usdt = readProgramFacts("int f(void *ctx) { long x; bpf_usdt_readarg(1, ctx, &x); return 0; }");
  EXPECT_TRUE(usdt.namesUsdt);
  EXPECT_NE(usdtPreamble(usdt, {}), "");
  EXPECT_TRUE(readProgramFacts("SEC(\"usdt/bin:p:n\") int f(void *ctx) { return 0; }").namesUsdt);
  EXPECT_TRUE(readProgramFacts("int BPF_USDT(f, long v) { return 0; }").namesUsdt);
}

TEST(Preamble, LicenseFromTheCommandLine) {
  EXPECT_EQ(commandLineLicense({"X=1"}), "");
  EXPECT_EQ(commandLineLicense({"BPF_LICENSE=Dual BSD/GPL"}),
            "char _license[] __attribute__((section(\"license\"), used)) = \"Dual BSD/GPL\";\n");
}
