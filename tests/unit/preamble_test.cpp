#include "frontend/preamble.h"

#include "frontend/kernel_macros.h"

#include <gtest/gtest.h>

using namespace probecc;

namespace {

KernelTypes kernel(KernelTypes::Source source, std::string release = "6.1.0-18-amd64") {
  KernelTypes types;
  types.source = source;
  types.release = std::move(release);
  return types;
}

}  // namespace

TEST(Preamble, BtfModeIncludesVmlinuxAndTheMacrosBtfLacks) {
  const auto text = buildPreamble(kernel(KernelTypes::Source::Btf));
  EXPECT_NE(text.find("#include \"vmlinux.h\""), std::string::npos);
  EXPECT_NE(text.find("#define TASK_COMM_LEN 16"), std::string::npos);
  EXPECT_NE(text.find("#define WRITE 1\n"), std::string::npos);  // an I/O direction (ttysnoop)
  EXPECT_EQ(text.find("<linux/kconfig.h>"), std::string::npos);
  // as the headers' generated <linux/version.h> would say for 6.1.0
  EXPECT_NE(text.find("#define LINUX_VERSION_CODE 393472\n"), std::string::npos);
}

TEST(Preamble, HeadersModeUsesKernelHeadersNotVmlinux) {
  const auto text = buildPreamble(kernel(KernelTypes::Source::HeadersDir));
  EXPECT_EQ(text.find("vmlinux.h"), std::string::npos);
  EXPECT_NE(text.find("#include <linux/ptrace.h>"), std::string::npos);
  EXPECT_NE(text.find("asm_volatile_goto"), std::string::npos);
  EXPECT_EQ(text.find("LINUX_VERSION_CODE"), std::string::npos) << "the headers' own <linux/version.h> says";
}

TEST(Preamble, KernelVersionMacrosFromTheRelease) {
  EXPECT_EQ(kernelVersionMacros("6.18.44-fc-v1098"),
            "#define LINUX_VERSION_MAJOR 6\n#define LINUX_VERSION_PATCHLEVEL 18\n#define LINUX_VERSION_SUBLEVEL 44\n"
            "#define LINUX_VERSION_CODE 397868\n");
  // The kernel caps the sublevel at 255 in LINUX_VERSION_CODE (4.9.337 is KERNEL_VERSION(4, 9, 255)).
  EXPECT_NE(kernelVersionMacros("4.9.337").find("#define LINUX_VERSION_CODE 264703\n"), std::string::npos);
  EXPECT_NE(kernelVersionMacros("6.8-rc1").find("#define LINUX_VERSION_CODE 395264\n"), std::string::npos);
  EXPECT_EQ(kernelVersionMacros("unknown"), "");
}

TEST(Preamble, BothModesGiveBccsImplicitDefinitions) {
  for (auto source : {KernelTypes::Source::Btf, KernelTypes::Source::HeadersDir}) {
    const auto text = buildPreamble(kernel(source));
    EXPECT_NE(text.find("#include <bpf/bpf_helpers.h>"), std::string::npos);
    EXPECT_NE(text.find("#include <bpf/bpf_tracing.h>"), std::string::npos);
    EXPECT_NE(text.find("#define bpf_trace_printk(fmt, ...)"), std::string::npos);
    EXPECT_NE(text.find("#define TRACEPOINT_PROBE(category, event)"), std::string::npos);
    EXPECT_NE(text.find("#define BPF_LICENSE(name)"), std::string::npos);
  }
}

TEST(Preamble, HeadersModeDefinesWhatKbuildDefinesBetweenKconfigAndTheFirstKernelHeader) {
  const auto text = buildPreamble(kernel(KernelTypes::Source::HeadersDir));
  const auto kconfig = text.find("#include <linux/kconfig.h>");
  const auto fentry = text.find("#define CC_USING_FENTRY 1");
  const auto types = text.find("#include <linux/types.h>");
  ASSERT_NE(kconfig, std::string::npos);
  ASSERT_NE(fentry, std::string::npos);
  ASSERT_NE(types, std::string::npos);
  // CONFIG_* come from kconfig.h, and the first kernel header must already see the defines.
  EXPECT_LT(kconfig, fentry);
  EXPECT_LT(fentry, types);
  // Only where the kernel's Makefile would pass it: built with ftrace and -mfentry.
  EXPECT_NE(text.rfind("#if defined(CONFIG_FUNCTION_TRACER) && defined(CONFIG_HAVE_FENTRY)", fentry),
            std::string::npos);
  EXPECT_EQ(buildPreamble(kernel(KernelTypes::Source::Btf)).find("CC_USING_FENTRY"), std::string::npos);
}

TEST(Preamble, APortableBtfPreambleKeepsAccessIndicesAndTakesKernelFactsAtLoadTime) {
  auto types = kernel(KernelTypes::Source::Btf);
  EXPECT_NE(buildPreamble(types).find("#define BPF_NO_PRESERVE_ACCESS_INDEX"), std::string::npos);
  types.portable = true;
  const auto text = buildPreamble(types);
  EXPECT_EQ(text.find("#define BPF_NO_PRESERVE_ACCESS_INDEX"), std::string::npos) << "vmlinux.h's records relocate";
  EXPECT_EQ(text.find("#define LINUX_VERSION_CODE 393472"), std::string::npos) << "not the compiling kernel's";
  EXPECT_NE(text.find("extern unsigned int LINUX_KERNEL_VERSION __kconfig;"), std::string::npos);
  EXPECT_NE(text.find("#define IS_ENABLED(option) kernel_fact_known_at_load_time"), std::string::npos);
  EXPECT_LT(text.find("#include <bpf/bpf_helpers.h>"), text.find("LINUX_KERNEL_VERSION __kconfig")) << "__kconfig is libbpf's";
}
