#include "codegen/stand_in_context.h"

#include <llvm/ADT/STLExtras.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>

#include "codegen/bpf_helper_calls.h"

namespace probecc {
namespace {

constexpr const char *kStandInMarker = "probecc.stand_in_ctx";

bool isStandIn(const llvm::Value *pointer) {
  const auto *object = llvm::dyn_cast<llvm::AllocaInst>(llvm::getUnderlyingObject(pointer));
  return object && object->hasMetadata(kStandInMarker);
}

// Users that only write into the stand-in (the wrapper filling it) or mark its lifetime.
bool onlyWritten(llvm::Value *pointer, llvm::SmallVectorImpl<llvm::Instruction *> &writes) {
  for (auto *user : pointer->users()) {
    auto *inst = llvm::cast<llvm::Instruction>(user);
    if (auto *store = llvm::dyn_cast<llvm::StoreInst>(inst); store && store->getPointerOperand() == pointer) {
      writes.push_back(inst);
    } else if (auto *set = llvm::dyn_cast<llvm::MemSetInst>(inst); set && set->getDest() == pointer) {
      writes.push_back(inst);
    } else if (llvm::isa<llvm::LifetimeIntrinsic>(inst)) {
      writes.push_back(inst);
    } else if (llvm::isa<llvm::GetElementPtrInst>(inst)) {
      if (!onlyWritten(inst, writes)) return false;
      writes.push_back(inst);
    } else {
      return false;
    }
  }
  return true;
}

void dropIfUnread(llvm::AllocaInst &standIn) {
  llvm::SmallVector<llvm::Instruction *> writes;
  if (!onlyWritten(&standIn, writes)) return;
  // onlyWritten lists a GEP after its own users, so each goes after what uses it.
  for (auto *inst : writes) inst->eraseFromParent();
  standIn.eraseFromParent();
}

}  // namespace

llvm::AllocaInst *createStandInContext(llvm::Function &program, unsigned size) {
  auto &entry = program.getEntryBlock();
  llvm::IRBuilder<> atEntry(&entry, entry.getFirstInsertionPt());
  auto *standIn = atEntry.CreateAlloca(llvm::ArrayType::get(atEntry.getInt8Ty(), size));
  // pt_regs is read as u64 fields; the verifier refuses misaligned stack access.
  standIn->setAlignment(llvm::Align(8));
  standIn->setMetadata(kStandInMarker, llvm::MDNode::get(program.getContext(), {}));
  atEntry.CreateMemSet(standIn, atEntry.getInt8(0), size, llvm::MaybeAlign(8));
  return standIn;
}

void restoreRealContext(llvm::Module &module) {
  for (auto &function : module) {
    if (function.isDeclaration() || function.arg_size() == 0) continue;
    llvm::SmallVector<llvm::AllocaInst *> standIns;
    for (auto &inst : llvm::instructions(function)) {
      if (auto *alloca = llvm::dyn_cast<llvm::AllocaInst>(&inst); alloca && alloca->hasMetadata(kStandInMarker))
        standIns.push_back(alloca);
      auto *call = llvm::dyn_cast<llvm::CallBase>(&inst);
      if (!call) continue;
      const auto id = bpfHelperId(*call);
      if (id && helperTakesContext(*id) && call->arg_size() > 0 && isStandIn(call->getArgOperand(0)))
        call->setArgOperand(0, function.getArg(0));
    }
    for (auto *standIn : standIns) dropIfUnread(*standIn);
  }
}

}  // namespace probecc
