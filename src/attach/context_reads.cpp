#include "attach/context_reads.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace probecc {
namespace {

using Registers = uint16_t;  // bit n: rn may hold the context pointer (or a value computed from it)

constexpr Registers bit(unsigned reg) { return static_cast<Registers>(1u << reg); }
constexpr Registers kArguments = bit(1) | bit(2) | bit(3) | bit(4) | bit(5);
constexpr Registers kCallerSaved = bit(0) | kArguments;

// The one helper whose use of the context gives the same result for a tracepoint program and a
// raw tracepoint program: bpf_perf_event_output takes it only to find the perf event's sample
// registers, and what it writes to the buffer is the data the program gives it. Everything else
// that takes a context differs between the two: bpf_get_stackid and bpf_get_stack start a kernel
// stack at a different frame (the tracepoint's perf handler vs. the helper itself),
// bpf_get_attach_cookie and bpf_get_func_ip mean something else or are refused, and
// bpf_tail_call hands the context to a program that may read it.
bool acceptsAnyContext(int32_t helper, Registers arguments) {
  return helper == BPF_FUNC_perf_event_output && arguments == bit(1);
}

// Helpers without arguments ignore r1-r5: a program often calls one first thing, the context still
// in r1 (bpf_get_current_pid_tgid()). Any other helper is taken to read all five registers.
Registers argumentsOf(int32_t helper) {
  switch (helper) {
    case BPF_FUNC_ktime_get_ns:
    case BPF_FUNC_get_prandom_u32:
    case BPF_FUNC_get_smp_processor_id:
    case BPF_FUNC_get_current_pid_tgid:
    case BPF_FUNC_get_current_uid_gid:
    case BPF_FUNC_get_current_task:
    case BPF_FUNC_get_numa_node_id:
    case BPF_FUNC_get_current_cgroup_id:
    case BPF_FUNC_jiffies64:
    case BPF_FUNC_ktime_get_boot_ns:
    case BPF_FUNC_get_current_task_btf:
    case BPF_FUNC_ktime_get_coarse_ns:
      return 0;
    default:
      return kArguments;
  }
}

// Follows every path through the program, with at each instruction the registers that may hold the
// context on some path there; fails on the first use the header rules out.
class ContextFlow {
public:
  explicit ContextFlow(std::span<const bpf_insn> instructions)
      : code_(instructions), state_(instructions.size()) {}

  bool run() {
    if (code_.empty()) return false;
    reach(0, bit(1));
    while (!pending_.empty()) {
      const size_t at = pending_.back();
      pending_.pop_back();
      if (!step(at, *state_[at])) return false;
    }
    return true;
  }

private:
  void reach(size_t at, Registers context) {
    if (at >= code_.size()) {
      outside_ = true;
      return;
    }
    const Registers merged = static_cast<Registers>(state_[at].value_or(0) | context);
    if (state_[at] && *state_[at] == merged) return;
    state_[at] = merged;
    pending_.push_back(at);
  }

  bool step(size_t at, Registers context) {
    const bpf_insn &insn = code_[at];
    const Registers dst = bit(insn.dst_reg), src = bit(insn.src_reg);
    if (insn.dst_reg > 10 || insn.src_reg > 10) return false;
    switch (BPF_CLASS(insn.code)) {
      case BPF_LD:  // only the 64-bit immediate (two instructions); packet loads use the context implicitly
        if (insn.code != (BPF_LD | BPF_IMM | BPF_DW)) return false;
        reach(at + 2, context & ~dst);
        break;
      case BPF_LDX:
        if (context & src) return false;  // reads the record
        reach(at + 1, context & ~dst);
        break;
      case BPF_ST:
        if (context & dst) return false;
        reach(at + 1, context);
        break;
      case BPF_STX:
        // Writing through the context, or storing the pointer (spilling it, even to the stack,
        // would have to be followed through memory: not done, so refused).
        if (context & (dst | src)) return false;
        if (BPF_MODE(insn.code) == BPF_ATOMIC) context &= ~(bit(0) | src);  // fetched values
        reach(at + 1, context);
        break;
      case BPF_ALU:
      case BPF_ALU64: {
        const bool fromRegister = BPF_SRC(insn.code) == BPF_X;
        Registers result = 0;
        if (BPF_OP(insn.code) == BPF_MOV)
          result = fromRegister ? (context & src) : 0;
        else
          result = (context & dst) | (fromRegister ? (context & src) : 0);  // pointer arithmetic
        reach(at + 1, static_cast<Registers>((context & ~dst) | (result ? dst : 0)));
        break;
      }
      case BPF_JMP:
      case BPF_JMP32: {
        const auto op = BPF_OP(insn.code);
        if (op == BPF_EXIT) break;
        if (op == BPF_CALL) {
          const Registers passed = context & (insn.src_reg == 0 ? argumentsOf(insn.imm) : kArguments);
          // a helper (src_reg 0) from the short list; a subprogram or kfunc call must not get it
          if (passed && !(insn.src_reg == 0 && acceptsAnyContext(insn.imm, passed))) return false;
          reach(at + 1, context & ~kCallerSaved);
          break;
        }
        if (op == BPF_JA) {
          reach(at + 1 + (BPF_CLASS(insn.code) == BPF_JMP32 ? insn.imm : insn.off), context);
          break;
        }
        // A comparison with the pointer makes the other operand equal to it on one branch.
        if (BPF_SRC(insn.code) == BPF_X && (context & (dst | src))) context |= dst | src;
        reach(at + 1, context);
        reach(at + 1 + insn.off, context);
        break;
      }
      default:
        return false;
    }
    return !outside_;
  }

  std::span<const bpf_insn> code_;
  std::vector<std::optional<Registers>> state_;
  std::vector<size_t> pending_;
  bool outside_ = false;
};

}  // namespace

bool readsNothingOfItsContext(std::span<const bpf_insn> instructions) { return ContextFlow(instructions).run(); }

}  // namespace probecc
