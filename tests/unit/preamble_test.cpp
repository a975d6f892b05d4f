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
