#pragma once
// BPF helper calls as IR has them: a call of a constant address, `call i64 inttoptr (i64 113 to
// ptr)(...)`. Helper ids are the kernel's (BPF_FUNC_* in <linux/bpf.h>).
#include <linux/bpf.h>

#include <optional>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstrTypes.h>

namespace probecc {

// The helper a call calls, if it calls one.
std::optional<uint64_t> bpfHelperId(const llvm::CallBase &call);

// Whether the helper's first argument must be the program's context (bpf_perf_event_output,
// bpf_get_stackid, bpf_get_stack, bpf_tail_call, ...): the verifier refuses anything else there.
bool helperTakesContext(uint64_t id);

// bpf_probe_read_kernel(destination, size, source), marked as touching only its arguments' memory,
// so the attributes of the functions it lands in stay true.
llvm::CallInst *callProbeReadKernel(llvm::IRBuilder<> &builder, llvm::Value *destination, llvm::Value *size,
                                    llvm::Value *source);

}  // namespace probecc
