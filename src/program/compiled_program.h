#pragma once
// What the compiler is asked (ProgramRequest) and what it gives back (CompiledProgram), and their
// one serialisation: the cache stores programs as these bytes, and the executable and
// libprobecc-compiler.so talk in them (each side has its own copy of the C++ runtime's types).
#include <optional>
#include <string>
#include <vector>

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include "program/emit_kind.h"
#include "program/event_type.h"
#include "program/kernel_types.h"
#include "program/probe_kinds.h"
#include "program/script.h"
#include "program/syscall_support.h"

namespace probecc {

struct ProgramRequest {
  Script script;
  KernelTypes kernel;                  // found once, before compiling (frontend/kernel_types.h)
  std::vector<std::string> includeDirs, defines;
  std::vector<ProbeSpec> attachments;  // -a
  SyscallSupport syscalls;             // how syscall probes attach on this kernel
  EmitKind emitKind = EmitKind::Object;
  std::string emitAfter{};  // --emit llvm:STEP: the IR after that compile step, instead of the object
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

// A compile's result as it crosses back from the compiler library.
struct CompileOutcome {
  std::optional<CompiledProgram> program;
  std::string error;              // when there is no program
  bool alreadyReported = false;   // the error is Clang's diagnostics, already on stderr
  bool kernelPchMissing = false;  // compiled without precompiled kernel types: the cache lacks them
  std::string messages;           // the compiler's own lines for the user (-v, warnings), to print
};

// A compiled program with what a run on another machine needs (program/package.h writes and reads
// the file around it).
struct PackageOrigin {
  std::string probeccVersion, arch;
  std::string builtOnKernel;  // uname -r of the machine that compiled it
  std::string sourceHash;     // BLAKE3 of the program's text, hex
  // "" when any kernel with BTF can run it; else the one release it was compiled for, and why.
  std::string onlyForKernel, onlyForKernelReason;
};
struct TracepointLayout {  // a BCC tracepoint struct's fields as the compiling kernel laid them out
  std::string tracepoint;  // CATEGORY/EVENT
  std::vector<std::string> fields;  // "NAME OFFSET SIZE"
};
struct PackagedOutput {  // the output options the package was built with: a run's defaults
  std::string format;
  bool traceFields = false, noMaps = false;
};
struct ProgramPackage {
  PackageOrigin origin;
  Script script;  // as compiled: verifier errors point at its lines
  CompiledProgram program;
  std::vector<TracepointLayout> tracepoints;
  PackagedOutput output;
};

// Which fields a request's bytes hold: all of them, or only those that decide the compiler's
// output (the cache key: not -v, colours, or where the cache is).
enum class RequestBytes { Whole, OutputDeciding };

std::string serializeRequest(const ProgramRequest &request, RequestBytes which = RequestBytes::Whole);
llvm::Expected<ProgramRequest> deserializeRequest(llvm::StringRef bytes);
std::string serializeProgram(const CompiledProgram &program);
llvm::Expected<CompiledProgram> deserializeProgram(llvm::StringRef bytes);
std::string serializePackage(const ProgramPackage &package);
llvm::Expected<ProgramPackage> deserializePackage(llvm::StringRef bytes);
// The version of these records' format (a package from a newer format is refused as such).
unsigned programFormatVersion();
unsigned programFormatVersion(llvm::StringRef bytes);  // of serialized bytes; 0 if unreadable
std::string serializeOutcome(const CompileOutcome &outcome);
llvm::Expected<CompileOutcome> deserializeOutcome(llvm::StringRef bytes);

}  // namespace probecc
