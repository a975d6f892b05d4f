#include "codegen/tail_call_targets.h"

#include <algorithm>

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/InstIterator.h>

#include "codegen/probe_functions.h"
#include "support/error.h"

namespace probecc {
namespace {

bool isMapDefinition(const llvm::GlobalVariable &global) { return global.getSection() == ".maps"; }

// The functions a constant names, e.g. a program array's slots.
void functionsIn(llvm::Constant *constant, std::vector<llvm::Function *> &out) {
  if (auto *function = llvm::dyn_cast<llvm::Function>(constant)) {
    if (std::find(out.begin(), out.end(), function) == out.end()) out.push_back(function);
    return;
  }
  if (llvm::isa<llvm::GlobalValue>(constant)) return;
  for (const auto &operand : constant->operands())
    if (auto *inner = llvm::dyn_cast<llvm::Constant>(operand)) functionsIn(inner, out);
}

// The maps a function can use: through its calls and the globals it names (BCC's method tables
// name the functions that name the maps), not through what the maps themselves name.
class MapsUsed {
public:
  explicit MapsUsed(llvm::Function &probe) { visit(&probe); }
  bool contains(const llvm::GlobalVariable *map) const { return maps_.contains(map); }

private:
  void visit(llvm::Value *value) {
    if (!seen_.insert(value).second) return;
    if (auto *global = llvm::dyn_cast<llvm::GlobalVariable>(value)) {
      if (isMapDefinition(*global)) maps_.insert(global);
      else if (global->hasInitializer()) visit(global->getInitializer());
    } else if (auto *function = llvm::dyn_cast<llvm::Function>(value)) {
      for (auto &inst : llvm::instructions(*function))
        for (auto &operand : inst.operands()) visit(operand);
    } else if (auto *constant = llvm::dyn_cast<llvm::Constant>(value)) {
      for (auto &operand : constant->operands()) visit(operand);
    }
  }
  llvm::SmallPtrSet<const llvm::Value *, 32> seen_;
  llvm::SmallPtrSet<const llvm::GlobalVariable *, 8> maps_;
};

}  // namespace

llvm::Error addTailCallTargets(llvm::Module &module, std::vector<ProbeSpec> &probes) {
  std::vector<std::pair<llvm::GlobalVariable *, std::vector<llvm::Function *>>> arrays;
  for (auto &global : module.globals()) {
    if (!isMapDefinition(global) || !global.hasInitializer()) continue;
    std::vector<llvm::Function *> targets;
    functionsIn(global.getInitializer(), targets);
    if (!targets.empty()) arrays.emplace_back(&global, std::move(targets));
  }
  if (arrays.empty()) return llvm::Error::success();

  std::vector<std::pair<const ProbeSpec *, MapsUsed>> callers;
  for (const auto &probe : probes)
    if (auto *function = module.getFunction(probe.function); function && !function->isDeclaration())
      callers.emplace_back(&probe, MapsUsed(*function));
  std::vector<ProbeSpec> targets;
  for (const auto &[array, functions] : arrays) {
    const auto caller = std::find_if(callers.begin(), callers.end(), [&](const auto &c) { return c.second.contains(array); });
    for (auto *function : functions) {
      const auto isProbe = [&](const ProbeSpec &p) { return p.function == function->getName(); };
      if (std::any_of(probes.begin(), probes.end(), isProbe) || std::any_of(targets.begin(), targets.end(), isProbe))
        continue;
      if (caller == callers.end())
        return makeError(sourceLocation(*function) + function->getName() + " is in " + array->getName() +
                         "'s slots, but no probe tail-calls through it (NAME.call(ctx, index)), so its program type "
                         "is unknown");
      ProbeSpec target = *caller->first;
      target.function = function->getName().str();
      target.attach = false;
      function->setLinkage(llvm::GlobalValue::ExternalLinkage);
      targets.push_back(std::move(target));
    }
  }
  probes.insert(probes.end(), targets.begin(), targets.end());
  return llvm::Error::success();
}

}  // namespace probecc
