#include "codegen/probe_functions.h"

#include <algorithm>

#include <llvm/IR/Constants.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/GlobalVariable.h>

#include "codegen/usdt_maps.h"
#include "support/error.h"
#include "support/printk_format.h"

namespace probecc {

std::string sourceLocation(const llvm::Function &function) {
  if (const auto *sub = function.getSubprogram())
    return (sub->getFilename() + ":" + llvm::Twine(sub->getLine()) + ": ").str();
  return "";
}

llvm::Expected<std::vector<ProbeSpec>> planProbes(llvm::Module &module,
                                                  const std::vector<ProbeSpec> &explicitAttachments) {
  std::vector<ProbeSpec> probes;
  for (const auto &attachment : explicitAttachments) {
    const auto *function = module.getFunction(attachment.function);
    if (!function || function->isDeclaration())
      return makeError("-a " + llvm::Twine(kindInfo(attachment.kind).name) + ":" + attachment.target.shown() + "=" +
                       attachment.function + ": the program defines no function '" + attachment.function + "'");
    probes.push_back(attachment);
  }
  for (auto &function : module) {
    if (function.isDeclaration() || function.hasLocalLinkage()) continue;
    const auto name = function.getName();
    const bool attachedExplicitly = std::any_of(probes.begin(), probes.end(),
                                                [&](const ProbeSpec &p) { return p.function == name; });
    if (attachedExplicitly) continue;
    if (function.hasSection()) {
      auto planned = planFromSection(name, function.getSection());
      if (!planned) return makeError(sourceLocation(function) + llvm::toString(planned.takeError()));
      probes.push_back(std::move(*planned));
      probes.back().location = sourceLocation(function);
      if (auto error = placeholderTarget(probes.back(), function.getSection())) return error;
      continue;
    }
    auto planned = planFromName(name);
    if (!planned) return makeError(sourceLocation(function) + llvm::toString(planned.takeError()));
    if (*planned) {
      probes.push_back(std::move(**planned));
      probes.back().location = sourceLocation(function);
    }
  }
  dropUnusedUsdtMaps(module);
  // A program of maps alone still loads (--dry-run and --emit check its maps); main refuses to run it.
  const bool hasMaps = std::any_of(module.global_begin(), module.global_end(),
                                   [](const llvm::GlobalVariable &g) {
                                     // the printk ring buffer is probecc's own, and goes if nothing prints
                                     return g.getSection() == ".maps" && g.getName() != kPrintkMapName;
                                   });
  if (probes.empty() && !hasMaps) return makeError(noProbeMessage());
  return probes;
}

void applyProbePlan(llvm::Module &module, const std::vector<ProbeSpec> &probes) {
  for (auto &function : module) {
    if (function.isDeclaration()) continue;
    const auto probe = std::find_if(probes.begin(), probes.end(),
                                    [&](const ProbeSpec &p) { return p.function == function.getName(); });
    if (probe == probes.end()) {
      // Not a probe: a helper of the probes, inlined or dropped, never loaded on its own.
      function.setLinkage(llvm::GlobalValue::InternalLinkage);
      function.setSection("");
      continue;
    }
    function.setSection(probe->section());
  }
  const bool hasLicense = std::any_of(module.global_begin(), module.global_end(),
                                      [](const llvm::GlobalVariable &g) { return g.getSection() == "license"; });
  if (!hasLicense) {
    auto *init = llvm::ConstantDataArray::getString(module.getContext(), "GPL");
    auto *license = new llvm::GlobalVariable(module, init->getType(), true, llvm::GlobalValue::ExternalLinkage,
                                             init, "_license");
    license->setSection("license");
  }
}

}  // namespace probecc
