#include "frontend/preamble.h"

#include <gtest/gtest.h>

using namespace probecc;

TEST(Preamble, BtfModeIncludesVmlinuxAndTheMacrosBtfLacks) {
  const auto text = buildPreamble(KernelTypes::Source::Btf);
  EXPECT_NE(text.find("#include \"vmlinux.h\""), std::string::npos);
  EXPECT_NE(text.find("#define TASK_COMM_LEN 16"), std::string::npos);
  EXPECT_EQ(text.find("<linux/kconfig.h>"), std::string::npos);
}

TEST(Preamble, HeadersModeUsesKernelHeadersNotVmlinux) {
  const auto text = buildPreamble(KernelTypes::Source::HeadersDir);
  EXPECT_EQ(text.find("vmlinux.h"), std::string::npos);
  EXPECT_NE(text.find("#include <linux/ptrace.h>"), std::string::npos);
  EXPECT_NE(text.find("asm_volatile_goto"), std::string::npos);
}

TEST(Preamble, BothModesGiveBccsImplicitDefinitions) {
  for (auto source : {KernelTypes::Source::Btf, KernelTypes::Source::HeadersDir}) {
    const auto text = buildPreamble(source);
    EXPECT_NE(text.find("#include <bpf/bpf_helpers.h>"), std::string::npos);
    EXPECT_NE(text.find("#include <bpf/bpf_tracing.h>"), std::string::npos);
    EXPECT_NE(text.find("#define bpf_trace_printk(fmt, ...)"), std::string::npos);
    EXPECT_NE(text.find("#define TRACEPOINT_PROBE(category, event)"), std::string::npos);
    EXPECT_NE(text.find("#define BPF_LICENSE(name)"), std::string::npos);
  }
}

TEST(Preamble, HeadersModeDefinesWhatKbuildDefinesBetweenKconfigAndTheFirstKernelHeader) {
  const auto text = buildPreamble(KernelTypes::Source::HeadersDir);
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
  EXPECT_EQ(buildPreamble(KernelTypes::Source::Btf).find("CC_USING_FENTRY"), std::string::npos);
}
