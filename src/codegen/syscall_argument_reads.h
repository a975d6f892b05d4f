#pragma once
// Typed arguments of a syscall probe on a kprobe (syscall__mount(ctx, source, target, type, flags,
// data)) live in the user's pt_regs, which the syscall wrapper's pt_regs points at: each read is a
// bpf_probe_read_kernel into the stack. Read all at entry, five of them hold five stack slots (or
// registers spilled there) for the whole probe, beside the program's own variables: mountsnoop's
// 432-byte event then passes the 512-byte stack limit. As BCC does, each argument is read where
// the body reads it instead, into a slot that lives only for that read, so one slot serves all.
#include <llvm/ADT/SmallBitVector.h>
#include <llvm/IR/Function.h>

namespace probecc {

// Rewrites `body` (the user's function as Clang emitted it: each parameter stored once into its
// own stack variable and loaded from there) so that every load of typed argument i (1..count)
// reads the user's register instead, through the pt_regs in body's ctx (argument 0). Returns the
// arguments rewritten; the others (their address taken, say) the caller still passes in.
llvm::SmallBitVector readSyscallArgumentsWhereUsed(llvm::Function &body, unsigned count);

}  // namespace probecc
