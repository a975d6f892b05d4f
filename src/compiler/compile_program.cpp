#include "compiler/compile_program.h"

#include <algorithm>
#include <array>
#include <functional>
#include <optional>

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include "codegen/bpf_emitter.h"
#include "codegen/event_types.h"
#include "codegen/kernel_memory_reads.h"
#include "codegen/optimize.h"
#include "codegen/padded_strings.h"
#include "codegen/private_printk.h"
#include "codegen/probe_arguments.h"
#include "codegen/probe_functions.h"
#include "codegen/probe_returns.h"
#include "codegen/raw_syscalls.h"
#include "codegen/shared_probe_functions.h"
#include "codegen/stand_in_context.h"
#include "codegen/tail_call_targets.h"
#include "codegen/trace_printk_formats.h"
#include "compiler/compile_progress.h"
#include "compiler/kernel_pch.h"
#include "compiler/llvm_fatal_errors.h"
#include "frontend/clang_compiler.h"
#include "frontend/kernel_config.h"
#include "frontend/kernel_macros.h"
#include "frontend/preamble.h"
#include "frontend/program_facts.h"
#include "frontend/load_time_kernel_facts.h"
#include "frontend/own_kernel_tags.h"
#include "frontend/syscall_probes.h"
#include "frontend/tracepoint_structs.h"
#include "frontend/usdt_preamble.h"
#include "support/error.h"
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
  llvm::errs() << diagnostics;  // Clang's own, printed as Clang prints them
  return std::move(*module);
}

// The kernel types, cheapest first: the named types if few, the precompiled ones (`loadPch` puts
// them into `compile` when the cache holds them), the named types if many, all of vmlinux.h.
llvm::Expected<CompiledModule> compileWithKernelTypes(CompileRequest &compile,
                                                      const std::function<bool(CompileRequest &)> &loadPch,
                                                      Diagnostics &diagnostics) {
  auto say = [&](const llvm::Twine &how) { diagnostics.verbose("compiling against " + how); };
  TypeNames names;
  auto named = namedKernelTypes(compile, names);
  if (names.ownsReadWrite) compile.extraPreamble += kReadWriteUndefines;
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

// What the steps share: the request, Clang's input and output, and the program as it forms.
struct CompileState {
  ProgramRequest request;
  Diagnostics &diagnostics;
  bool *kernelPchMissing;
  CompileRequest compile{};
  std::optional<CacheEntry> kernelPch{};
  CompiledModule parsed{};
  std::unique_ptr<llvm::TargetMachine> target{};
  CompiledProgram program{};
  llvm::Module &module() { return *parsed.module; }
};

// Kernel types precompiled once per kernel, when there is a cache: read (and verified) only if
// this program is compiled with them; a missing header is built in the background meanwhile.
bool loadKernelPch(CompileState &state, CompileRequest &into) {
  // A portable program's preamble differs (CO-RE, load-time kernel facts); packages are built
  // seldom, and a second precompiled header per kernel would evict the one source runs use.
  if (state.request.cacheDir.empty() || state.request.kernel.portable) return false;
  state.kernelPch = findKernelTypesPch(into, state.request.cacheDir, state.request.kernelKey, state.diagnostics);
  if (!state.kernelPch) {
    if (state.kernelPchMissing) *state.kernelPchMissing = true;  // it was there, but not valid: rebuild it
    return false;
  }
  into.kernelPch = state.kernelPch->payload();
  return true;
}

llvm::Error addPreamble(CompileState &s) {
  s.compile.script = s.request.script;
  s.compile.kernel = s.request.kernel;
  s.compile.includeDirs = s.request.includeDirs;
  s.compile.defines = s.request.defines;
  s.compile.colorDiagnostics = s.request.colorDiagnostics;
  if (!s.request.cacheDir.empty() && s.kernelPchMissing && !s.compile.kernel.portable &&
      !kernelTypesPchStored(s.compile, s.request.cacheDir, s.request.kernelKey))
    *s.kernelPchMissing = true;
  const ProgramFacts facts = readProgramFacts(s.compile.script.text);
  // BCC's struct tracepoint__CAT__EVENT for each tracepoint the program names
  auto structs = tracepointStructs(s.request.syscalls.tracefs, facts.tracepoints);
  if (!structs) return structs.takeError();
  s.compile.extraPreamble = *structs + std::string(tracepointMacros()) +
                            std::string(usdtPreamble(facts, s.request.attachments)) +
                            commandLineLicense(s.request.defines);
  // A libbpf-style program gets kernel types as bpftool's vmlinux.h has them: no macros of BCC's
  if (s.compile.kernel.source == KernelTypes::Source::Btf && isLibbpfStyle(facts))
    s.compile.extraPreamble += bccMacroUndefines();
  if (s.compile.kernel.source == KernelTypes::Source::Btf && s.compile.kernel.portable)
    s.compile.extraPreamble += kconfigExterns(s.compile.script.text, readKernelConfig(s.compile.kernel.configPath));
  return llvm::Error::success();
}

llvm::Error parse(CompileState &s) {
  auto parsed = compileWithKernelTypes(s.compile, [&](CompileRequest &into) { return loadKernelPch(s, into); },
                                       s.diagnostics);
  if (!parsed) return parsed.takeError();
  s.parsed = std::move(*parsed);
  for (const auto &path : s.parsed.includedFiles) s.program.includedFiles.push_back(fileIdentity(path));
  return llvm::Error::success();
}

llvm::Error plan(CompileState &s) {
  auto probes = planProbes(s.module(), s.request.attachments);
  if (!probes) return probes.takeError();
  s.program.probes = std::move(*probes);
  return llvm::Error::success();
}

llvm::Error placeSyscalls(CompileState &s) {
  s.program.notes = resolveSyscallProbes(s.program.probes, s.request.syscalls);
  return llvm::Error::success();
}

llvm::Error retarget(CompileState &s) {
  auto target = createBpfTargetMachine();
  if (!target) return target.takeError();
  s.target = std::move(*target);
  retargetToBpf(s.module(), *s.target);
  return llvm::Error::success();
}

llvm::Error kernelReads(CompileState &s) {
  std::vector<llvm::Function *> implicitReaders;
  for (const auto &probe : s.program.probes)
    if (probe.info().readsKernelMemoryImplicitly)
      if (auto *function = s.module().getFunction(probe.function)) implicitReaders.push_back(function);
  return rewriteKernelMemoryReads(s.module(), implicitReaders);
}

llvm::Error privatePrintk(CompileState &s) {
  auto formats = routePrintkToRingBuffer(s.module(), !s.request.tracePipe);
  if (!s.request.tracePipe) s.program.printkFormats = std::move(formats);
  return llvm::Error::success();
}

llvm::Error emitCode(CompileState &s) {
  auto code = emit(s.module(), *s.target, s.request.emitKind);
  if (!code) return code.takeError();
  s.program.code = std::move(*code);
  return llvm::Error::success();
}

struct CompileStep {
  std::string_view name;
  llvm::Error (*run)(CompileState &);
};

// The whole compiler, in order. Steps before "parse" have no IR to show.
const std::array kCompileSteps{
    CompileStep{"preamble", addPreamble},  // BCC's tracepoint structs, USDT readers for this program
    CompileStep{"parse", parse},           // Clang: C → IR, against the cheapest kernel types that compile
    CompileStep{"plan", plan},             // which functions are probes, of what kind, attached where
    CompileStep{"syscalls", placeSyscalls},  // syscall probes to where this kernel attaches them
    CompileStep{"shared-functions", [](CompileState &s) -> llvm::Error {  // one function, several probes
      separateProbeFunctions(s.module(), s.program.probes); return llvm::Error::success(); }},
    CompileStep{"tail-calls", [](CompileState &s) { return addTailCallTargets(s.module(), s.program.probes); }},
    CompileStep{"raw-syscalls", [](CompileState &s) -> llvm::Error {  // syscalls tracepoints' stand-ins
      addRawSyscallStandIns(s.module(), s.program.probes); return llvm::Error::success(); }},
    CompileStep{"retarget", retarget},     // host-parsed IR (kernel headers) becomes BPF IR
    CompileStep{"arguments", [](CompileState &s) { return lowerProbeArguments(s.module(), s.program.probes); }},
    CompileStep{"strings", [](CompileState &s) -> llvm::Error { padStringLiterals(s.module()); return llvm::Error::success(); }},
    CompileStep{"sections", [](CompileState &s) -> llvm::Error { applyProbePlan(s.module(), s.program.probes); return llvm::Error::success(); }},
    CompileStep{"optimise", [](CompileState &s) -> llvm::Error { optimize(s.module(), *s.target); return llvm::Error::success(); }},
    CompileStep{"probe-returns", [](CompileState &s) -> llvm::Error { lowerProbeReturns(s.module()); return llvm::Error::success(); }},  // lookup_or_init
    CompileStep{"real-ctx", [](CompileState &s) -> llvm::Error { restoreRealContext(s.module()); return llvm::Error::success(); }},
    CompileStep{"record-reads", [](CompileState &s) -> llvm::Error { measureRecordReads(s.module(), s.program.probes); return llvm::Error::success(); }},
    CompileStep{"kernel-reads", kernelReads},  // loads through kernel pointers → bpf_probe_read_kernel
    CompileStep{"printk-checks", [](CompileState &s) { return checkTracePrintkFormats(s.module()); }},
    CompileStep{"printk", privatePrintk},  // bpf_trace_printk → the session's own ring buffer
    CompileStep{"verify", [](CompileState &s) { return verifyIR(s.module()); }},
    CompileStep{"event-types", [](CompileState &s) -> llvm::Error { s.program.eventTypes = recordEventTypes(s.module()); return llvm::Error::success(); }},
    CompileStep{"emit", emitCode},         // BPF object (ELF with BTF), or assembly or IR text
};

llvm::SmallVector<char, 0> moduleText(llvm::Module &module) {
  std::string text;
  llvm::raw_string_ostream out(text);
  module.print(out, nullptr);
  return llvm::SmallVector<char, 0>(text.begin(), text.end());
}

llvm::Error unknownStep(llvm::StringRef name) {
  std::string names;
  for (const auto &step : kCompileSteps)
    if (step.name != "preamble") names += (names.empty() ? "" : ", ") + std::string(step.name);
  return makeError("--emit llvm:" + name + ": no such compile step with IR to show (steps: " + names + ")");
}

}  // namespace

llvm::Expected<CompiledProgram> compileProgram(ProgramRequest request) {
  Diagnostics diagnostics(request.verbose);
  return compileProgram(std::move(request), diagnostics);
}

llvm::Expected<CompiledProgram> compileProgram(ProgramRequest request, Diagnostics &diagnostics, bool *kernelPchMissing) {
  const std::string after = request.emitAfter;
  if (!after.empty() && (after == "preamble" || std::none_of(kCompileSteps.begin(), kCompileSteps.end(),
                                                             [&](const auto &step) { return step.name == after; })))
    return unknownStep(after);
  diagnostics.verbose("kernel types: " + request.kernel.describe());
  CompileState state{std::move(request), diagnostics, kernelPchMissing};
  state.program.kernel = state.request.kernel;
  const std::string sourceName = state.request.script.name;
  // colorDiagnostics: stderr is a terminal
  CompileProgress progress(state.request.colorDiagnostics, sourceName);
  for (const auto &step : kCompileSteps) {
    progress.step(step.name);
    if (auto error = runSurvivingLlvmFatalErrors([&] { return step.run(state); }, sourceName, std::string(step.name)))
      return error;
    if (step.name == after) {
      state.program.code = moduleText(state.module());
      break;
    }
  }
  return std::move(state.program);
}

llvm::Error buildKernelTypes(const ProgramRequest &request, Diagnostics &diagnostics) {
  CompileRequest compile;
  compile.kernel = request.kernel;
  return buildKernelTypesPch(std::move(compile), request.cacheDir, request.kernelKey, diagnostics);
}

}  // namespace probecc
