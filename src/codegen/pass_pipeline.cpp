#include "codegen/pass_pipeline.h"

#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>

#include "codegen/kernel_memory_reads.h"
#include "codegen/padded_strings.h"
#include "codegen/probe_arguments.h"
#include "codegen/private_printk.h"
#include "codegen/probe_functions.h"
#include "codegen/stand_in_context.h"
#include "codegen/trace_printk_formats.h"
#include "support/error.h"

namespace probecc {
namespace {

llvm::Error optimize(llvm::Module &module, llvm::TargetMachine &target) {
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;
  // With the target machine, the BPF back end adds its own IR passes (CO-RE relocations, ...).
  llvm::PassBuilder builder(&target);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(sccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, sccs, modules);
  builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, modules);
  return llvm::Error::success();
}

}  // namespace

llvm::Error runPassPipeline(llvm::Module &module, llvm::TargetMachine &target,
                            const std::vector<ProbeSpec> &probes, std::vector<std::string> *printkFormats) {
  if (auto error = lowerProbeArguments(module, probes)) return error;
  padStringLiterals(module);
  applyProbePlan(module, probes);
  if (auto error = optimize(module, target)) return error;
  restoreRealContext(module);
  std::vector<llvm::Function *> implicitReaders;
  for (const auto &probe : probes)
    if (kindInfo(probe.kind).readsKernelMemoryImplicitly)
      if (auto *function = module.getFunction(probe.function)) implicitReaders.push_back(function);
  if (auto error = rewriteKernelMemoryReads(module, implicitReaders)) return error;
  if (auto error = checkTracePrintkFormats(module)) return error;
  auto formats = routePrintkToRingBuffer(module, printkFormats != nullptr);
  if (printkFormats) *printkFormats = std::move(formats);
  std::string problems;
  llvm::raw_string_ostream stream(problems);
  if (llvm::verifyModule(module, &stream))
    return makeError("internal error: invalid IR after probecc's passes:\n" + problems);
  return llvm::Error::success();
}

}  // namespace probecc
