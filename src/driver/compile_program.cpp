#include "driver/compile_program.h"

#include <functional>
#include <optional>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/raw_ostream.h>

#include "codegen/pass_pipeline.h"
#include "codegen/probe_functions.h"
#include "codegen/shared_probe_functions.h"
#include "codegen/tail_call_targets.h"
#include "frontend/usdt_preamble.h"
#include "frontend/clang_compiler.h"
#include "frontend/kernel_pch.h"
#include "frontend/own_kernel_tags.h"
#include "frontend/tracepoint_structs.h"
#include "support/file_identity.h"

namespace probecc {
namespace {

// btf_dump names the second of two same-named types NAME___2, in the order it meets them; in a
// partial dump that order may differ from the full one's.
bool hasRenamedDuplicates(llvm::StringRef header) {
  for (size_t at = header.find("___"); at != llvm::StringRef::npos; at = header.find("___", at + 3))
    if (at + 3 < header.size() && llvm::isDigit(header[at + 3])) return true;
  return false;
}

// In BTF mode a program can be compiled against only the part of vmlinux.h it names (its struct
// tags, typedefs and enum constants, with what they depend on) instead of all ~100k types. For a
// program that names a few types that is as fast as the precompiled kernel types and leaner; the
// precompiled types pay off once a program pulls in much of the kernel (task_struct and friends).
constexpr size_t kSmallNamedTypes = 512 << 10;

std::optional<std::string> namedKernelTypes(const CompileRequest &compile, TypeNames &names) {
  if (compile.kernel.source != KernelTypes::Source::Btf) return std::nullopt;
  auto collected = referencedTypeNames(compile);
  if (!collected) {
    llvm::consumeError(collected.takeError());
    return std::nullopt;
  }
  names = std::move(*collected);
  auto header = dumpVmlinuxHeader(compile.kernel.btfPath, &names, &names.ownTags);
  if (!header) {
    llvm::consumeError(header.takeError());
    return std::nullopt;
  }
  if (hasRenamedDuplicates(*header)) return std::nullopt;
  return std::move(*header);
}

// Should the named types not compile (a type reached some way the names do not show), the caller
// compiles again with more types, and only that attempt's diagnostics are shown.
std::optional<CompiledModule> compileWithNamedTypes(CompileRequest &compile, std::string header) {
  compile.vmlinuxHeader = std::move(header);
  std::string diagnostics;
  llvm::raw_string_ostream out(diagnostics);
  auto module = compileToIR(compile, out);
  compile.vmlinuxHeader.clear();
  if (!module) {
    llvm::consumeError(module.takeError());
    return std::nullopt;
  }
  llvm::errs() << diagnostics;
  return std::move(*module);
}

// The kernel types, cheapest first: the named types if few, the precompiled ones (`loadPch` puts
// them into `compile` when the cache holds them), the named types if many, all of vmlinux.h.
llvm::Expected<CompiledModule> compileWithKernelTypes(CompileRequest &compile,
                                                      const std::function<bool(CompileRequest &)> &loadPch,
                                                      bool verbose) {
  auto say = [&](const llvm::Twine &how) {
    if (verbose) llvm::errs() << "probecc: compiling against " << how << "\n";
  };
  TypeNames names;
  auto named = namedKernelTypes(compile, names);
  const size_t namedSize = named ? named->size() : 0;
  // A program that defines a struct BTF has too cannot use the precompiled vmlinux.h, where
  // BTF's definition stands; if the named types did not say, assume it does.
  const bool ownKernelTags = named ? named->find(kOwnTagFlavour) != std::string::npos : !names.ownTags.empty();
  if (named && namedSize <= kSmallNamedTypes)
    if (auto module = compileWithNamedTypes(compile, std::move(*named))) {
      say("the kernel types the program names (" + llvm::Twine(namedSize >> 10) + " KiB of vmlinux.h)");
      return std::move(*module);
    }
  if (!ownKernelTags && loadPch(compile)) {
    say("the precompiled kernel types");
    return compileToIR(compile);
  }
  if (named && namedSize > kSmallNamedTypes)
    if (auto module = compileWithNamedTypes(compile, std::move(*named))) {
      say("the kernel types the program names (" + llvm::Twine(namedSize >> 10) + " KiB of vmlinux.h)");
      return std::move(*module);
    }
  if (compile.kernel.source == KernelTypes::Source::Btf) {
    auto header = dumpVmlinuxHeader(compile.kernel.btfPath, nullptr, &names.ownTags);
    if (!header) return header.takeError();
    compile.vmlinuxHeader = std::move(*header);
  }
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
  // Kernel types precompiled once per kernel, when there is a cache: read (and verified) only if
  // this program is compiled with them; a missing header is built in the background meanwhile.
  const bool cached = !request.cacheDir.empty();
  if (cached && kernelPchMissing && !kernelTypesPchStored(compile, request.cacheDir, request.kernelKey))
    *kernelPchMissing = true;
  std::optional<CacheEntry> kernelPch;
  auto loadPch = [&](CompileRequest &into) {
    if (!cached) return false;
    kernelPch = findKernelTypesPch(into, request.cacheDir, request.kernelKey);
    if (!kernelPch) {
      if (kernelPchMissing) *kernelPchMissing = true;  // it was there, but not valid: rebuild it
      return false;
    }
    into.kernelPch = kernelPch->payload();
    return true;
  };

  // BCC's struct tracepoint__CAT__EVENT for each tracepoint the program names
  auto structs = tracepointStructs(request.syscalls.tracefs, findTracepointProbes(compile.script.text));
  if (!structs) return structs.takeError();
  compile.extraPreamble = *structs + std::string(tracepointMacros()) +
                          std::string(usdtPreamble(compile.script.text, request.attachments));

  // Clang → LLVM IR
  auto compiled = compileWithKernelTypes(compile, loadPch, request.verbose);
  if (!compiled) return compiled.takeError();
  llvm::Module &module = *compiled->module;

  // Probe plan, IR passes, BPF back end
  auto probes = planProbes(module, request.attachments);
  if (!probes) return probes.takeError();
  auto notes = resolveSyscallProbes(*probes, request.syscalls);
  separateProbeFunctions(module, *probes);
  if (auto error = addTailCallTargets(module, *probes)) return error;
  auto target = createBpfTargetMachine();
  if (!target) return target.takeError();
  retargetToBpf(module, **target);
  std::vector<std::string> printkFormats;
  if (auto error = runPassPipeline(module, **target, *probes, request.tracePipe ? nullptr : &printkFormats))
    return error;
  auto eventTypes = recordEventTypes(module);
  auto code = emit(module, **target, request.emitKind);
  if (!code) return code.takeError();
  std::vector<std::string> includedFiles;
  for (const auto &path : compiled->includedFiles) includedFiles.push_back(fileIdentity(path));
  return CompiledProgram{std::move(*code),  std::move(*probes),       std::move(*kernel),       std::move(notes),
                         std::move(eventTypes), std::move(printkFormats), std::move(includedFiles)};
}

llvm::Error buildKernelTypes(const ProgramRequest &request) {
  auto kernel = discoverKernelTypes(request.kernelTypes);
  if (!kernel) return kernel.takeError();
  CompileRequest compile;
  compile.kernel = std::move(*kernel);
  return buildKernelTypesPch(std::move(compile), request.cacheDir, request.kernelKey);
}

}  // namespace probecc
