// LLVM's fatal errors and crashes during a compile become errors (compiler/llvm_fatal_errors.h),
// and inline asm compiles (the BPF asm parser is initialised).
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>

#include <llvm/Support/ErrorHandling.h>

#include "btf_kernel.h"
#include "compiler/compile_program.h"
#include "compiler/llvm_fatal_errors.h"

using namespace probecc;

namespace {

std::string errorOf(llvm::Error error) { return llvm::toString(std::move(error)); }

llvm::Expected<CompiledProgram> compile(const std::string &source) {
  ProgramRequest request;
  request.script = {"probe.c", source};
  request.kernel = btfKernelTypes();
  request.emitKind = EmitKind::Object;
  request.syscalls = {true, "", "__x64_sys_"};
  return compileProgram(std::move(request));
}

bool haveBtf() { return std::filesystem::exists("/sys/kernel/btf/vmlinux"); }

}  // namespace

TEST(FatalErrors, ReportFatalErrorBecomesAnErrorNamingTheSourceAndStep) {
  const std::string error = errorOf(runSurvivingLlvmFatalErrors(
      []() -> llvm::Error { llvm::report_fatal_error("Branch target out of insn range"); }, "probe.c", "emit"));
  EXPECT_EQ(error.find("probe.c: error: LLVM cannot compile this program (compile step emit): Branch target out of insn range"),
            0u) << error;
  EXPECT_NE(error.find("hint: a jump spans more than 32767 BPF instructions"), std::string::npos) << error;
  EXPECT_FALSE(isLlvmCrash(error));
  // and the next compile step runs as usual
  EXPECT_FALSE(bool(runSurvivingLlvmFatalErrors([] { return llvm::Error::success(); }, "probe.c", "emit")));
}

TEST(FatalErrors, ACrashInsideBecomesAnInternalError) {
  const std::string error = errorOf(runSurvivingLlvmFatalErrors(
      []() -> llvm::Error {
        raise(SIGSEGV);
        return llvm::Error::success();
      },
      "probe.c", "optimise"));
  EXPECT_TRUE(isLlvmCrash(error)) << error;
  EXPECT_NE(error.find("probe.c: error: internal error"), std::string::npos) << error;
  EXPECT_NE(error.find("optimise"), std::string::npos) << error;
}

TEST(FatalErrors, InlineAsmCompiles) {
  if (!haveBtf()) GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  auto program = compile(R"(
int tracepoint__syscalls__sys_enter_getpid(void *args) {
  asm volatile("" ::: "memory");
  unsigned long x = 1;
  asm volatile("%0 += 1" : "+r"(x));
  bpf_trace_printk("x %lu\n", x);
  return 0;
}
)");
  EXPECT_TRUE(bool(program)) << errorOf(program.takeError());
}
