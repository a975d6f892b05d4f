#pragma once
// Programs on syscalls:sys_enter_* / sys_exit_* tracepoints get a stand-in on raw_syscalls.
//
// Why: a tracepoint program runs through a perf event, and closing one waits for the kernel to
// unregister the tracepoint under a global mutex, one grace period each: a session on 360 syscall
// tracepoints took 26 s to exit. A raw tracepoint's link is released without that wait, and
// every syscall tracepoint is itself fed by the raw sys_enter / sys_exit tracepoints. So each
// such program gets a copy, FN__raw_sys_enter (or __raw_sys_exit), that runs at raw_syscalls,
// keeps to the syscall numbers its filter (program/raw_syscalls_filter.h) names, and builds the
// record the tracepoint program would have seen, byte for byte as the kernel builds it for BPF
// (perf_call_bpf_enter/exit: the pt_regs pointer where the common fields are, the syscall number,
// then the arguments or the return value), so the body's output is the same whichever ran. The
// loader decides which targets the stand-in serves (attach/attach_targets.h); the tracepoint
// program serves the rest.
#include <vector>

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Module.h>

#include "program/probe_kinds.h"

namespace probecc {

// Adds a stand-in probe (and its function, a copy) for each syscalls tracepoint probe that can
// have one, with its filter.
void addRawSyscallStandIns(llvm::Module &module, std::vector<ProbeSpec> &probes);

// In the wrapper `program` of a stand-in, at `ir`: returns 0 unless the syscall is one the filter
// names (and a 64-bit one, as the syscall tracepoints are), then builds the record on the stack;
// `ir` is left where the body is to be called. Returns the record.
llvm::Value *buildRawSyscallRecord(llvm::IRBuilder<> &ir, llvm::Function &program, const ProbeSpec &probe);

// After optimisation: for each stand-in, how many bytes of the record its tracepoint program
// reads (kept in recordBytesRead; left unknown where a read's offset is not a constant).
void measureRecordReads(llvm::Module &module, std::vector<ProbeSpec> &probes);

}  // namespace probecc
