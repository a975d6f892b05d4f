#include "codegen/event_types.h"

#include "codegen/bpf_helper_calls.h"

#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DIBuilder.h>
#include <llvm/Transforms/Utils/ModuleUtils.h>
#include <llvm/IR/DebugInfo.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/Module.h>

namespace probecc {
namespace {

const llvm::DIType *stripQualifiers(const llvm::DIType *type) {
  while (auto *derived = llvm::dyn_cast_or_null<llvm::DIDerivedType>(type)) {
    const auto tag = derived->getTag();
    if (tag != llvm::dwarf::DW_TAG_const_type && tag != llvm::dwarf::DW_TAG_volatile_type &&
        tag != llvm::dwarf::DW_TAG_restrict_type)
      break;
    type = derived->getBaseType();
  }
  return type;
}

// The variable a value is the address of (an alloca) or holds (a reserved ring buffer record).
const llvm::DIType *variableType(const llvm::Value *value, bool pointee) {
  auto *v = const_cast<llvm::Value *>(value->stripPointerCasts());
  llvm::SmallVector<llvm::DbgVariableRecord *> records;
  if (!pointee) {
    for (auto *record : llvm::findDVRDeclares(v)) return record->getVariable()->getType();
    for (auto *declare : llvm::findDbgDeclares(v)) return declare->getVariable()->getType();
    return nullptr;
  }
  llvm::SmallVector<llvm::DbgValueInst *> values;
  llvm::findDbgValues(values, v, &records);
  // The value may also be a `void *` parameter of an inlined helper: take the first named pointee.
  std::vector<const llvm::DIType *> types;
  for (auto *record : records) types.push_back(record->getVariable()->getType());
  for (auto *value : values) types.push_back(value->getVariable()->getType());
  for (const auto *type : types) {
    auto *pointer = llvm::dyn_cast_or_null<llvm::DIDerivedType>(stripQualifiers(type));
    if (!pointer || pointer->getTag() != llvm::dwarf::DW_TAG_pointer_type) continue;
    if (const auto *base = stripQualifiers(pointer->getBaseType()); base && !base->getName().empty()) return base;
  }
  return nullptr;
}

}  // namespace

namespace {
void anchorInBtf(llvm::Module &module, const std::string &map, const llvm::DIType *type) {
  auto *unit = module.debug_compile_units_begin() != module.debug_compile_units_end()
                   ? *module.debug_compile_units_begin()
                   : nullptr;
  if (!unit || type->getSizeInBits() == 0) return;
  auto *storage = llvm::ArrayType::get(llvm::Type::getInt8Ty(module.getContext()), type->getSizeInBits() / 8);
  auto *anchor = new llvm::GlobalVariable(module, storage, true, llvm::GlobalValue::InternalLinkage,
                                          llvm::ConstantAggregateZero::get(storage), "__probecc_event__" + map);
  anchor->setSection(".rodata");
  llvm::DIBuilder di(module, true, unit);
  anchor->addDebugInfo(di.createGlobalVariableExpression(unit, anchor->getName(), "", unit->getFile(), 0,
                                                         const_cast<llvm::DIType *>(type), true));
  di.finalize();
  llvm::appendToCompilerUsed(module, {anchor});
}
}  // namespace

std::vector<EventType> recordEventTypes(llvm::Module &module) {
  std::vector<EventType> found;
  std::vector<std::pair<std::string, const llvm::DIType *>> anchors;
  for (const auto &function : module)
    for (const auto &block : function)
      for (const auto &instruction : block) {
        auto *call = llvm::dyn_cast<llvm::CallBase>(&instruction);
        if (!call) continue;
        const auto id = bpfHelperId(*call);
        if (!id || (*id != BPF_FUNC_perf_event_output && *id != BPF_FUNC_ringbuf_output && *id != BPF_FUNC_ringbuf_reserve)) continue;
        const unsigned mapArg = *id == BPF_FUNC_perf_event_output ? 1 : 0;
        auto *map = llvm::dyn_cast<llvm::GlobalVariable>(call->getArgOperand(mapArg)->stripPointerCasts());
        if (!map) continue;
        const llvm::DIType *type = *id == BPF_FUNC_perf_event_output ? variableType(call->getArgOperand(3), false)
                                   : *id == BPF_FUNC_ringbuf_output ? variableType(call->getArgOperand(1), false)
                                                          : variableType(call, true);
        // A record submitted straight from a map value: the pointer variable says its type.
        if (!type && *id != BPF_FUNC_ringbuf_reserve)
          type = variableType(call->getArgOperand(*id == BPF_FUNC_perf_event_output ? 3 : 1), true);
        type = stripQualifiers(type);
        if (!type || type->getName().empty()) continue;
        const bool isTypedef = type->getTag() == llvm::dwarf::DW_TAG_typedef;
        const auto name = map->getName().str();
        if (std::none_of(found.begin(), found.end(), [&](const EventType &e) { return e.map == name; })) {
          found.push_back({name, type->getName().str(), isTypedef});
          anchors.emplace_back(name, type);
        }
      }
  for (const auto &[map, type] : anchors) anchorInBtf(module, map, type);
  return found;
}

}  // namespace probecc
