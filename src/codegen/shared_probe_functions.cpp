#include "codegen/shared_probe_functions.h"

#include <algorithm>
#include <map>

#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/Metadata.h>
#include <llvm/Transforms/Utils/Cloning.h>

namespace probecc {
namespace {

bool sameProgram(const ProbeSpec &a, const ProbeSpec &b) {
  return a.kind == b.kind && a.info().targetAtAttach && a.arguments == b.arguments &&
         a.syscallArgCount == b.syscallArgCount && a.attach == b.attach;
}

std::string unusedName(const llvm::Module &module, const std::string &base) {
  for (unsigned n = 2;; ++n)
    if (std::string name = base + "__" + std::to_string(n); !module.getFunction(name)) return name;
}

}  // namespace

void copyFunction(llvm::Function &original, const std::string &name) {
  llvm::ValueToValueMapTy map;
  llvm::Function *copy = llvm::CloneFunction(&original, map);
  copy->setName(name);
  if (auto *info = copy->getSubprogram(); info && info != original.getSubprogram())
    info->replaceOperandWith(2, llvm::MDString::get(original.getContext(), name));
}

void separateProbeFunctions(llvm::Module &module, std::vector<ProbeSpec> &probes) {
  // For each function the program names: the probes whose programs (the function, or copies) exist.
  std::map<std::string, std::vector<size_t>> programs;
  for (size_t i = 0; i < probes.size(); ++i) {
    auto &probe = probes[i];
    auto &made = programs[probe.function];
    const auto same = std::find_if(made.begin(), made.end(), [&](size_t j) { return sameProgram(probes[j], probe); });
    if (made.empty() || same != made.end()) {
      if (!made.empty()) probe.function = probes[*same].function;
      else made.push_back(i);
      continue;
    }
    auto *original = module.getFunction(probe.function);
    if (!original || original->isDeclaration()) continue;
    const std::string name = unusedName(module, probe.function);
    copyFunction(*original, name);
    probe.function = name;
    made.push_back(i);
  }
}

}  // namespace probecc
