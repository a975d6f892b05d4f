#pragma once
// Source → BPF object in memory: kernel types, Clang, probe plan, IR passes, BPF back end.
#include <string>
#include <vector>

#include <llvm/ADT/SmallVector.h>
#include <llvm/Support/Error.h>

#include "codegen/bpf_emitter.h"
#include "codegen/event_types.h"
#include "frontend/kernel_types.h"
#include "frontend/probe_plan.h"
#include "frontend/script_input.h"
#include "frontend/syscall_probes.h"

namespace probecc {

struct ProgramRequest {
  Script script;
  KernelTypesRequest kernelTypes;
  std::vector<std::string> includeDirs, defines;
  std::vector<ProbeSpec> attachments;  // -a
  SyscallSupport syscalls;             // how syscall probes attach on this kernel
  EmitKind emitKind = EmitKind::Object;
  bool colorDiagnostics = false;
  bool verbose = false;
  bool tracePipe = false;   // bpf_trace_printk to the kernel's trace_pipe, not the session's own ring buffer
  std::string cacheDir{};   // the cache, for kernel types precompiled once per kernel ("": none)
  std::string kernelKey{};  // kernelTypesKey(): the kernel types and the compiler build, with cacheDir
};

struct CompiledProgram {
  llvm::SmallVector<char, 0> code;  // the ELF object (or the text asked for)
  std::vector<ProbeSpec> probes;
  KernelTypes kernel;
  std::vector<std::string> notes;  // for the user, e.g. a syscall probe moved to its tracepoint
  std::vector<EventType> eventTypes;  // what each perf/ring buffer carries
  std::vector<std::string> printkFormats;  // bpf_trace_printk's formats, by the id in each record
  // fileIdentity() of each of the user's headers the program included: a cached program is
  // stale once one of them changes.
  std::vector<std::string> includedFiles;
};

// With a cacheDir, kernel types come precompiled from the cache; when they are not there yet the
// program is compiled without them and *kernelPchMissing (if given) is set.
llvm::Expected<CompiledProgram> compileProgram(ProgramRequest request, bool *kernelPchMissing = nullptr);

// Precompiles request.kernelTypes into request.cacheDir (under request.kernelKey), if not there.
llvm::Error buildKernelTypes(const ProgramRequest &request);

}  // namespace probecc
