#pragma once
// The one list of IR passes between Clang and the BPF back end (see pass_pipeline.cpp).
#include <string>
#include <vector>

#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Target/TargetMachine.h>

#include "frontend/probe_plan.h"

namespace probecc {

// With printkFormats, bpf_trace_printk goes to the session's own ring buffer and the formats
// are stored there (private_printk.h); without, to the kernel's trace_pipe.
llvm::Error runPassPipeline(llvm::Module &module, llvm::TargetMachine &target,
                            const std::vector<ProbeSpec> &probes, std::vector<std::string> *printkFormats = nullptr);

}  // namespace probecc
