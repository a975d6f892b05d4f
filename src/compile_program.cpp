#include "compile_program.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/raw_ostream.h>

#include "codegen/pass_pipeline.h"
#include "codegen/probe_functions.h"
#include "frontend/clang_compiler.h"
#include "frontend/kernel_pch.h"
#include "frontend/tracepoint_structs.h"

namespace probecc {
namespace {

// btf_dump names the second of two same-named types NAME___2, in the order it meets them; in a
// partial dump that order may differ from the full one's.
bool hasRenamedDuplicates(llvm::StringRef header) {
  for (size_t at = header.find("___"); at != llvm::StringRef::npos; at = header.find("___", at + 3))
    if (at + 3 < header.size() && llvm::isDigit(header[at + 3])) return true;
  return false;
}

// Without precompiled kernel types, BTF mode parses only the part of vmlinux.h the program names
// (its struct tags, typedefs and enum constants, with what they depend on) instead of all ~100k
// types. Should that not compile (a type reached some way the names do not show), it compiles
// again with all of them, and only that attempt's diagnostics are shown.
llvm::Expected<CompiledModule> compileWithKernelTypes(CompileRequest &compile) {
  if (!compile.kernelPch.empty() || compile.kernel.source != KernelTypes::Source::Btf) return compileToIR(compile);
  if (auto names = referencedTypeNames(compile)) {
    auto header = dumpVmlinuxHeader(compile.kernel.btfPath, &*names);
    if (!header) return header.takeError();
    if (!hasRenamedDuplicates(*header)) {
      compile.vmlinuxHeader = std::move(*header);
      std::string diagnostics;
      llvm::raw_string_ostream out(diagnostics);
      auto module = compileToIR(compile, out);
      if (module) {
        llvm::errs() << diagnostics;
        return module;
      }
      llvm::consumeError(module.takeError());
    }
  } else {
    llvm::consumeError(names.takeError());
  }
  auto header = dumpVmlinuxHeader(compile.kernel.btfPath);
  if (!header) return header.takeError();
  compile.vmlinuxHeader = std::move(*header);
  return compileToIR(compile);
}

}  // namespace

llvm::Expected<CompiledProgram> compileProgram(ProgramRequest request, bool *kernelPchMissing) {
  // Kernel types: headers directory, or BTF (always for libbpf-style programs that include vmlinux.h)
  request.kernelTypes.preferBtf |= includesVmlinuxHeader(request.script.text);
  auto kernel = discoverKernelTypes(request.kernelTypes);
  if (!kernel) return kernel.takeError();
  if (request.verbose) llvm::errs() << "probecc: kernel types: " << kernel->describe() << "\n";
  CompileRequest compile;
  compile.script = std::move(request.script);
  compile.kernel = *kernel;
  compile.includeDirs = request.includeDirs;
  compile.defines = request.defines;
  compile.colorDiagnostics = request.colorDiagnostics;
  // Kernel types precompiled once per kernel when there is a cache (and it holds them), else parsed
  std::optional<CacheEntry> kernelPch;
  if (!request.cacheDir.empty()) {
    kernelPch = findKernelTypesPch(compile, request.cacheDir, request.kernelKey);
    if (!kernelPch && kernelPchMissing) *kernelPchMissing = true;
  }
  if (kernelPch) compile.kernelPch = kernelPch->payload();

  // BCC's struct tracepoint__CAT__EVENT for each tracepoint the program names
  auto structs = tracepointStructs(request.syscalls.tracefs, findTracepointProbes(compile.script.text));
  if (!structs) return structs.takeError();
  compile.extraPreamble = *structs + std::string(tracepointMacros());

  // Clang → LLVM IR
  auto compiled = compileWithKernelTypes(compile);
  if (!compiled) return compiled.takeError();
  llvm::Module &module = *compiled->module;

  // Probe plan, IR passes, BPF back end
  auto probes = planProbes(module, request.attachments);
  if (!probes) return probes.takeError();
  auto notes = resolveSyscallProbes(*probes, request.syscalls);
  auto target = createBpfTargetMachine();
  if (!target) return target.takeError();
  retargetToBpf(module, **target);
  if (auto error = runPassPipeline(module, **target, *probes)) return error;
  auto eventTypes = recordEventTypes(module);
  auto code = emit(module, **target, request.emitKind);
  if (!code) return code.takeError();
  return CompiledProgram{std::move(*code), std::move(*probes), std::move(*kernel), std::move(notes),
                         std::move(eventTypes)};
}

llvm::Error buildKernelTypes(const ProgramRequest &request) {
  auto kernel = discoverKernelTypes(request.kernelTypes);
  if (!kernel) return kernel.takeError();
  CompileRequest compile;
  compile.kernel = std::move(*kernel);
  return buildKernelTypesPch(std::move(compile), request.cacheDir, request.kernelKey);
}

}  // namespace probecc
