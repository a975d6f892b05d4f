#include "codegen/probe_returns.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/Instructions.h>

namespace probecc {

void lowerProbeReturns(llvm::Module &module) {
  llvm::Function *marker = module.getFunction(kReturnFromProbe);
  if (!marker) return;
  std::vector<llvm::CallInst *> calls;
  for (auto *user : marker->users())
    if (auto *call = llvm::dyn_cast<llvm::CallInst>(user)) calls.push_back(call);
  for (auto *call : calls) {
    llvm::BasicBlock *block = call->getParent();
    llvm::Function *function = block->getParent();
    // Everything after the call in its block is unreachable (it is noreturn): the return replaces it.
    while (&block->back() != call) {
      llvm::Instruction &last = block->back();
      last.replaceAllUsesWith(llvm::PoisonValue::get(last.getType()));
      last.eraseFromParent();
    }
    call->eraseFromParent();
    llvm::Type *type = function->getReturnType();
    if (type->isVoidTy())
      llvm::ReturnInst::Create(module.getContext(), block);
    else
      llvm::ReturnInst::Create(module.getContext(), llvm::Constant::getNullValue(type), block);
  }
  if (marker->use_empty()) marker->eraseFromParent();
}

}  // namespace probecc
