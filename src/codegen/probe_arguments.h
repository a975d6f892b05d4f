#pragma once
// Typed probe arguments, as BCC allows them: `int kprobe__F(struct pt_regs *ctx, int dfd,
// struct filename *name)`. The user's function becomes an always-inlined body; a new function
// with the probe's name takes ctx alone, reads each argument from where its ArgumentSource says,
// and calls the body. Syscall probes moved to a tracepoint get a pt_regs built from the
// tracepoint's arguments, so PT_REGS_PARM*(ctx) and PT_REGS_RC(ctx) in the body still work.
#include <vector>

#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"

namespace probecc {

// Byte offsets in x86_64's struct pt_regs (a stable ABI).
struct PtRegsLayout {
  unsigned functionArgs[6];  // di, si, dx, cx, r8, r9
  unsigned syscallArgs[6];   // di, si, dx, r10, r8, r9
  unsigned returnValue;      // ax
  unsigned size;
};
const PtRegsLayout &x86_64PtRegs();

llvm::Error lowerProbeArguments(llvm::Module &module, const std::vector<ProbeSpec> &probes);

}  // namespace probecc
