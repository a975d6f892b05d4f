// Issue 18's pure parts: syscall numbers by tracepoint name, multi-target links split until the
// refused targets stand alone, the progress line's silence, and which compiled programs read
// nothing of their context (those run from raw tracepoints).
#include <gtest/gtest.h>

#include <llvm/Support/raw_ostream.h>

#include <set>
#include <thread>

#include "kernel/syscall_numbers.h"
#include "attach/attach_groups.h"
#include "attach/context_reads.h"
#include "support/progress_line.h"

using namespace probecc;

TEST(SyscallNumbers, NameTheTracepointsNames) {
  EXPECT_EQ(syscallNumber("read"), 0u);
  EXPECT_EQ(syscallNumber("openat"), 257u);
  // the entry points' names, as the syscalls tracepoints have them, not <asm/unistd.h>'s
  EXPECT_EQ(syscallNumber("newfstat"), 5u);
  EXPECT_EQ(syscallNumber("umount"), 166u);
  EXPECT_EQ(syscallNumber("sendfile64"), 40u);
  EXPECT_EQ(syscallNumber("fstat"), std::nullopt);
  EXPECT_EQ(syscallNumber("mseal"), 462u);  // newer than the build host's headers
  EXPECT_EQ(syscallNumber("no_such_syscall"), std::nullopt);
}

TEST(AttachGroups, OneGroupWhenTheKernelTakesAll) {
  int groups = 0;
  std::vector<std::pair<size_t, int>> refused;
  attachInGroups(0, 100, [&](size_t, size_t) { return ++groups, true; }, refused);
  EXPECT_EQ(groups, 1);
  EXPECT_TRUE(refused.empty());
}

TEST(AttachGroups, RefusedTargetsStandAloneAndTheRestAttach) {
  const std::set<size_t> bad{3, 4, 77};
  std::set<size_t> attached;
  std::vector<std::pair<size_t, int>> refused;
  attachInGroups(0, 100, [&](size_t first, size_t count) {
    for (size_t i = first; i < first + count; ++i)
      if (bad.contains(i)) return errno = EINVAL, false;
    for (size_t i = first; i < first + count; ++i) attached.insert(i);
    return true;
  }, refused);
  ASSERT_EQ(refused.size(), 3u);
  for (const auto &[index, error] : refused) {
    EXPECT_TRUE(bad.contains(index));
    EXPECT_EQ(error, EINVAL);
  }
  EXPECT_EQ(attached.size(), 97u);
}

class ProgressLineTest : public testing::Test {
protected:
  std::string text;
  llvm::raw_string_ostream out{text};
  Diagnostics diagnostics{false, out};
};

TEST_F(ProgressLineTest, SilentWhenDisabled) {
  ProgressLine progress(diagnostics, false);
  progress.start("detaching", 10);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  progress.update(5);
  progress.finish();
  EXPECT_EQ(out.str(), "");
}

TEST_F(ProgressLineTest, SilentForAQuickStepThenShownAndCleared) {
  ProgressLine progress(diagnostics, true);
  progress.start("detaching", 10);
  progress.update(5);
  EXPECT_EQ(out.str(), "") << "shown before half a second passed";
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  progress.update(6);
  EXPECT_EQ(out.str(), "\rprobecc: detaching 6/10\033[K");
  progress.finish();
  EXPECT_EQ(out.str(), "\rprobecc: detaching 6/10\033[K\r\033[K");
}

namespace {

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}
bpf_insn movImm(uint8_t dst, int32_t imm) { return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm); }
bpf_insn mov(uint8_t dst, uint8_t src) { return insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0); }
bpf_insn addImm(uint8_t dst, int32_t imm) { return insn(BPF_ALU64 | BPF_ADD | BPF_K, dst, 0, 0, imm); }
bpf_insn load(uint8_t dst, uint8_t src, int16_t off) { return insn(BPF_LDX | BPF_MEM | BPF_DW, dst, src, off, 0); }
bpf_insn store(uint8_t dst, int16_t off, uint8_t src) { return insn(BPF_STX | BPF_MEM | BPF_DW, dst, src, off, 0); }
bpf_insn call(int32_t helper) { return insn(BPF_JMP | BPF_CALL, 0, 0, 0, helper); }
bpf_insn callSubprogram(int32_t at) { return insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, at); }
bpf_insn jumpIfZero(uint8_t reg, int16_t off) { return insn(BPF_JMP | BPF_JEQ | BPF_K, reg, 0, off, 0); }
bpf_insn jumpIfEqual(uint8_t dst, uint8_t src, int16_t off) { return insn(BPF_JMP | BPF_JEQ | BPF_X, dst, src, off, 0); }
bpf_insn exitInsn() { return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }
// r1 = a map (the two halves of a 64-bit immediate load)
std::vector<bpf_insn> mapInto(uint8_t dst) {
  return {insn(BPF_LD | BPF_IMM | BPF_DW, dst, BPF_PSEUDO_MAP_FD, 0, 3), insn(0, 0, 0, 0, 0)};
}

bool readsNothing(std::vector<bpf_insn> code) { return readsNothingOfItsContext(code); }

// perf_submit(ctx, &data, 8) with the context kept in r6 across another helper call
std::vector<bpf_insn> perfSubmit() {
  std::vector<bpf_insn> code{mov(6, 1), call(BPF_FUNC_get_current_pid_tgid), store(10, -8, 0), mov(1, 6)};
  for (auto i : mapInto(2)) code.push_back(i);
  for (auto i : {movImm(3, -1), mov(4, 10), addImm(4, -8), movImm(5, 8), call(BPF_FUNC_perf_event_output),
                 movImm(0, 0), exitInsn()})
    code.push_back(i);
  return code;
}

}  // namespace

TEST(ContextReads, AProgramThatIgnoresItsContextReadsNothing) {
  EXPECT_TRUE(readsNothing({movImm(0, 0), exitInsn()}));
  // a helper without arguments called with the context still in r1; the stack is no context
  EXPECT_TRUE(readsNothing({call(BPF_FUNC_get_current_pid_tgid), load(2, 10, -8), exitInsn()}));
}

TEST(ContextReads, PerfEventOutputMayHaveTheContext) { EXPECT_TRUE(readsNothing(perfSubmit())); }

TEST(ContextReads, LoadsFromTheContextOrFromWhatIsComputedFromItRead) {
  EXPECT_FALSE(readsNothing({load(0, 1, 8), exitInsn()}));
  EXPECT_FALSE(readsNothing({mov(7, 1), addImm(7, 16), load(0, 7, 0), exitInsn()}));
  // on one path only
  EXPECT_FALSE(readsNothing({mov(6, 1), call(BPF_FUNC_ktime_get_ns), jumpIfZero(0, 1), load(0, 6, 0), exitInsn()}));
  // a register compared equal to the pointer is the pointer
  EXPECT_FALSE(readsNothing({movImm(2, 0), jumpIfEqual(1, 2, 1), exitInsn(), load(0, 2, 0), exitInsn()}));
}

TEST(ContextReads, HelpersOtherThanPerfEventOutputMustNotGetTheContext) {
  // bpf_probe_read_kernel(&x, 8, ctx + 8): reads the record through a helper
  EXPECT_FALSE(readsNothing({mov(3, 1), addImm(3, 8), mov(1, 10), addImm(1, -8), movImm(2, 8),
                             call(BPF_FUNC_probe_read_kernel), exitInsn()}));
  // kernel stacks start at another frame in a raw tracepoint program
  auto stack = mapInto(2);
  for (auto i : {movImm(3, 0), call(BPF_FUNC_get_stackid), exitInsn()}) stack.push_back(i);
  EXPECT_FALSE(readsNothing(stack));
  EXPECT_FALSE(readsNothing({call(BPF_FUNC_get_attach_cookie), exitInsn()}));
  EXPECT_FALSE(readsNothing({mov(3, 1), call(BPF_FUNC_map_lookup_elem), exitInsn()}));  // any argument register
  EXPECT_FALSE(readsNothing({callSubprogram(2), movImm(0, 0), exitInsn(), load(0, 1, 0), exitInsn()}));
  // a subprogram that does not get the context cannot read it
  EXPECT_TRUE(readsNothing({movImm(1, 0), callSubprogram(2), movImm(0, 0), exitInsn(), movImm(0, 0), exitInsn()}));
}

TEST(ContextReads, StoringThePointerOrWritingThroughItIsRefused) {
  EXPECT_FALSE(readsNothing({store(10, -8, 1), load(0, 10, -8), exitInsn()}));  // spilled: not followed
  EXPECT_FALSE(readsNothing({movImm(2, 0), store(1, 0, 2), exitInsn()}));
}

TEST(ContextReads, WhatItCannotFollowIsRefused) {
  EXPECT_FALSE(readsNothing({}));
  EXPECT_FALSE(readsNothing({jumpIfZero(1, 5), exitInsn()}));                  // a jump out of the program
  EXPECT_FALSE(readsNothing({insn(BPF_LD | BPF_ABS | BPF_W, 0, 0, 0, 0), exitInsn()}));  // packet access
  EXPECT_FALSE(readsNothing({movImm(0, 0)}));                                   // runs off the end
}
