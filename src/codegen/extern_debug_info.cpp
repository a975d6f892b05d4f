#include "codegen/extern_debug_info.h"

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/DebugInfoMetadata.h>

namespace probecc {

void describeExternVariables(llvm::Module &module) {
  if (module.debug_compile_units_begin() == module.debug_compile_units_end()) return;
  auto *unit = *module.debug_compile_units_begin();
  llvm::DIBuilder di(module, true, unit);
  bool added = false;
  for (auto &global : module.globals()) {
    llvm::SmallVector<llvm::DIGlobalVariableExpression *, 1> existing;
    global.getDebugInfo(existing);
    if (!global.isDeclaration() || !existing.empty() || !global.hasSection()) continue;
    auto *integer = llvm::dyn_cast<llvm::IntegerType>(global.getValueType());
    if (!integer) continue;  // libbpf's kconfig values are integers (bool, char, int, long)
    const unsigned bits = integer->getBitWidth();
    auto *type = di.createBasicType(bits == 8 ? "char" : "long", bits, llvm::dwarf::DW_ATE_signed);
    auto *constant = di.createQualifiedType(llvm::dwarf::DW_TAG_const_type, type);
    global.addDebugInfo(di.createGlobalVariableExpression(unit, global.getName(), "", unit->getFile(), 0, constant,
                                                          false, false));
    added = true;
  }
  if (added) di.finalize();
}

}  // namespace probecc
