#pragma once
// LLVM's -O2, with the BPF back end's own IR passes (CO-RE relocations, ...), and a check that
// probecc's passes left valid IR.
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Target/TargetMachine.h>

namespace probecc {

void optimize(llvm::Module &module, llvm::TargetMachine &target);
llvm::Error verifyIR(const llvm::Module &module);

}  // namespace probecc
