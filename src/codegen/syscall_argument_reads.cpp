#include "codegen/syscall_argument_reads.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>

#include "codegen/bpf_helper_calls.h"
#include "codegen/probe_arguments.h"

namespace probecc {
namespace {

// The stack variable Clang stored `argument` into, if that store is its only use and the variable
// is only loaded besides (no address taken, no other stores).
llvm::AllocaInst *parameterVariable(llvm::Argument &argument) {
  if (!argument.hasOneUse()) return nullptr;
  auto *store = llvm::dyn_cast<llvm::StoreInst>(argument.user_back());
  if (!store || store->getValueOperand() != &argument) return nullptr;
  auto *variable = llvm::dyn_cast<llvm::AllocaInst>(store->getPointerOperand());
  if (!variable) return nullptr;
  for (auto *user : variable->users()) {
    if (user == store) continue;
    auto *load = llvm::dyn_cast<llvm::LoadInst>(user);
    if (!load || load->getType() != argument.getType()) return nullptr;
  }
  return variable;
}

// A fresh read of the user's register `offset` in place of `load`, into a slot live just for it.
void readAt(llvm::LoadInst &load, llvm::Value *ctx, unsigned offset) {
  llvm::Function &function = *load.getFunction();
  llvm::IRBuilder<> atEntry(&function.getEntryBlock(), function.getEntryBlock().getFirstInsertionPt());
  const auto &layout = function.getParent()->getDataLayout();
  llvm::Type *type = load.getType();
  const uint64_t size = layout.getTypeStoreSize(type);
  auto *slot = atEntry.CreateAlloca(type, nullptr, "syscall.arg");

  llvm::IRBuilder<> ir(&load);
  auto *wrapperRegs = ir.CreateConstInBoundsGEP1_64(ir.getInt8Ty(), ctx, x86_64PtRegs().functionArgs[0]);
  auto *userRegs = ir.CreateLoad(ir.getPtrTy(), wrapperRegs, "user.regs");
  ir.CreateLifetimeStart(slot, ir.getInt64(size));
  // x86_64 is little-endian: the first `size` bytes of the register are the argument's value.
  callProbeReadKernel(ir, slot, ir.getInt32(size), ir.CreateConstInBoundsGEP1_64(ir.getInt8Ty(), userRegs, offset));
  auto *value = ir.CreateLoad(type, slot, load.getName());
  ir.CreateLifetimeEnd(slot, ir.getInt64(size));
  load.replaceAllUsesWith(value);
  load.eraseFromParent();
}

}  // namespace

llvm::SmallBitVector readSyscallArgumentsWhereUsed(llvm::Function &body, unsigned count) {
  llvm::SmallBitVector rewritten(count + 1);
  if (body.arg_size() == 0) return rewritten;
  llvm::Value *ctx = body.getArg(0);
  for (unsigned i = 1; i <= count && i < body.arg_size(); ++i) {
    llvm::Argument &argument = *body.getArg(i);
    if (!argument.getType()->isPointerTy() && !argument.getType()->isIntegerTy()) continue;
    if (argument.getType()->isIntegerTy() && argument.getType()->getIntegerBitWidth() > 64) continue;
    if (argument.use_empty()) {
      rewritten.set(i);
      continue;
    }
    auto *variable = parameterVariable(argument);
    if (!variable) continue;
    llvm::SmallVector<llvm::LoadInst *> loads;
    for (auto *user : variable->users())
      if (auto *load = llvm::dyn_cast<llvm::LoadInst>(user)) loads.push_back(load);
    for (auto *load : loads) readAt(*load, ctx, x86_64PtRegs().syscallArgs[i - 1]);
    llvm::cast<llvm::Instruction>(argument.user_back())->eraseFromParent();  // the store
    if (variable->use_empty()) variable->eraseFromParent();
    rewritten.set(i);
  }
  return rewritten;
}

}  // namespace probecc
