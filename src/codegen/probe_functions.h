#pragma once
// Finds the probe functions of a module (BCC names, SEC() attributes, -a attachments), gives each
// the libbpf section that attaches it, and turns every other function into an internal helper.
#include <vector>

#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

#include "frontend/probe_plan.h"

namespace probecc {

// `explicitAttachments` come from -a; every function they name must exist.
llvm::Expected<std::vector<ProbeSpec>> planProbes(llvm::Module &module,
                                                  const std::vector<ProbeSpec> &explicitAttachments);

// Sets sections, internalises helpers, adds a GPL license unless the program declares one.
void applyProbePlan(llvm::Module &module, const std::vector<ProbeSpec> &probes);

// "file:line: " of a function's definition, for errors that point at the user's code.
std::string sourceLocation(const llvm::Function &function);

}  // namespace probecc
