#pragma once
// Tail-call targets: the functions a program array's static initialiser names
// (BPF_PROG_ARRAY_SLOTS(jumps, [2] = handle_two)) become programs of the same type as the probe
// that tail-calls through that array, so the kernel accepts them in its slots. libbpf fills the
// slots at load; nothing attaches them.
#include <vector>

#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"

namespace probecc {

// Appends a ProbeSpec with attach = false for each target; runs on the module as Clang made it,
// after syscall probes are resolved (a target takes its caller's final kind and arguments).
llvm::Error addTailCallTargets(llvm::Module &module, std::vector<ProbeSpec> &probes);

}  // namespace probecc
