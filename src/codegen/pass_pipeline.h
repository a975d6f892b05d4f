#pragma once
// The one list of IR passes between Clang and the BPF back end (see pass_pipeline.cpp).
#include <vector>

#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Target/TargetMachine.h>

#include "frontend/probe_plan.h"

namespace probecc {

llvm::Error runPassPipeline(llvm::Module &module, llvm::TargetMachine &target,
                            const std::vector<ProbeSpec> &probes);

}  // namespace probecc
