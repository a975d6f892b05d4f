#pragma once
// One C function attached at several places, as BCC's tools do (opensnoop attaches trace_return to
// the kretprobes of open, openat and openat2; tcpconnect one entry function to two kprobes).
// Probes of one form share one program, attached once per target as BCC attaches one fd several
// times. A probe of another form gets a copy of the function of its own: its program type, its
// argument reads (a syscall tracepoint's record, a wrapper's pt_regs) or a target fixed at load
// time (fentry, LSM, BTF tracepoints) differ.
#include <string>
#include <vector>

#include <llvm/IR/Module.h>

#include "program/probe_kinds.h"

namespace probecc {

// A copy of `original` named `name` (its debug info too: BTF takes a program's name from there).
void copyFunction(llvm::Function &original, const std::string &name);

// Gives every probe that cannot share its function's program a copy named FN__N (N from 2).
void separateProbeFunctions(llvm::Module &module, std::vector<ProbeSpec> &probes);

}  // namespace probecc
