#pragma once
// Syscall probes moved to a syscalls tracepoint (no kprobes) run their body against a pt_regs built
// on the stack, so PT_REGS_PARM*(ctx) and PT_REGS_RC(ctx) read the syscall's arguments. The kernel
// accepts only the real context in the helpers that take one (bpf_perf_event_output,
// bpf_get_stackid, bpf_get_stack, bpf_tail_call, ...): after -O2 has inlined the body and the map
// methods, every such helper argument that is the stand-in becomes the program's own ctx again.
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

namespace probecc {

// A zeroed, 8-byte-aligned stack object of `size` bytes at the entry of `program`, marked as the
// stand-in for its context.
llvm::AllocaInst *createStandInContext(llvm::Function &program, unsigned size);

// Rewrites context arguments of helper calls that point at a stand-in to the program's first
// argument, and drops stand-ins nothing reads any more.
void restoreRealContext(llvm::Module &module);

}  // namespace probecc
