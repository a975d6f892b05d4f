#include "codegen/usdt_maps.h"

#include <algorithm>
#include <vector>

#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/Transforms/Utils/ModuleUtils.h>

namespace probecc {
namespace {

bool isUsdtMap(const llvm::GlobalVariable &global) {
  return global.getSection() == ".maps" && global.getName().starts_with("__bpf_usdt_");
}

// Whether something other than llvm.compiler.used / llvm.used refers to the map.
bool usedByCode(const llvm::GlobalVariable &global) {
  for (const llvm::User *user : global.users()) {
    const auto *list = llvm::dyn_cast<llvm::ConstantArray>(user);
    if (!list || list->getNumUses() != 1) return true;
    const auto *owner = llvm::dyn_cast<llvm::GlobalVariable>(*list->user_begin());
    if (!owner || (owner->getName() != "llvm.compiler.used" && owner->getName() != "llvm.used")) return true;
  }
  return false;
}

}  // namespace

void dropUnusedUsdtMaps(llvm::Module &module) {
  std::vector<llvm::GlobalVariable *> unused;
  for (auto &global : module.globals())
    if (isUsdtMap(global) && !usedByCode(global)) unused.push_back(&global);
  if (unused.empty()) return;
  llvm::removeFromUsedLists(module, [&](llvm::Constant *constant) {
    return std::find(unused.begin(), unused.end(), constant) != unused.end();
  });
  for (auto *global : unused) {
    global->removeDeadConstantUsers();
    if (global->use_empty()) global->eraseFromParent();
  }
}

}  // namespace probecc
