#include "codegen/padded_strings.h"

#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>

namespace probecc {

void padStringLiterals(llvm::Module &module) {
  constexpr uint64_t kPad = 8;
  std::vector<llvm::GlobalVariable *> literals;
  for (auto &global : module.globals()) {
    auto *data = global.hasInitializer() ? llvm::dyn_cast<llvm::ConstantDataArray>(global.getInitializer()) : nullptr;
    if (global.isConstant() && global.hasPrivateLinkage() && data && data->isString() &&
        data->getNumElements() % kPad != 0)
      literals.push_back(&global);
  }
  for (auto *global : literals) {
    auto *data = llvm::cast<llvm::ConstantDataArray>(global->getInitializer());
    std::string bytes = data->getAsString().str();
    bytes.resize((bytes.size() + kPad - 1) / kPad * kPad, '\0');
    auto *padded = llvm::ConstantDataArray::getString(module.getContext(), bytes, /*AddNull=*/false);
    auto *replacement = new llvm::GlobalVariable(module, padded->getType(), true, global->getLinkage(), padded, "",
                                                 global, global->getThreadLocalMode(), global->getAddressSpace());
    replacement->copyAttributesFrom(global);
    replacement->takeName(global);
    global->replaceAllUsesWith(replacement);  // opaque pointers: the same pointer type
    global->eraseFromParent();
  }
}

}  // namespace probecc
