#include "compile_program.h"

#include <llvm/Support/raw_ostream.h>

#include "codegen/pass_pipeline.h"
#include "codegen/probe_functions.h"
#include "frontend/clang_compiler.h"
#include "frontend/kernel_pch.h"
#include "frontend/tracepoint_structs.h"

namespace probecc {
llvm::Expected<CompiledProgram> compileProgram(ProgramRequest request) {
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
  // Kernel types precompiled once per kernel when there is a cache, else parsed every time
  std::optional<CacheEntry> kernelPch;
  if (!request.cacheDir.empty()) {
    auto pch = kernelTypesPch(compile, request.cacheDir, request.kernelKey);
    if (!pch) return pch.takeError();
    kernelPch = std::move(*pch);
  }
  if (kernelPch) {
    compile.kernelPch = kernelPch->payload();
    compile.vmlinuxHeader.clear();  // its types are in the precompiled header
  } else if (kernel->source == KernelTypes::Source::Btf) {
    auto header = dumpVmlinuxHeader(kernel->btfPath);
    if (!header) return header.takeError();
    compile.vmlinuxHeader = std::move(*header);
  }

  // BCC's struct tracepoint__CAT__EVENT for each tracepoint the program names
  auto structs = tracepointStructs(request.syscalls.tracefs, findTracepointProbes(compile.script.text));
  if (!structs) return structs.takeError();
  compile.extraPreamble = *structs + std::string(tracepointMacros());

  // Clang → LLVM IR
  auto compiled = compileToIR(compile);
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

}  // namespace probecc
