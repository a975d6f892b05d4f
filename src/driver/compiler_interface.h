#pragma once
// The boundary between the probecc executable and libprobecc-compiler.so, which holds Clang and
// LLVM and is loaded only when a program must be compiled. Both sides are built together from
// the same headers; errors cross as plain values because each side has its own copy of LLVM's
// error machinery.
#include <optional>
#include <string>

#include "driver/compile_program.h"

namespace probecc {

struct CompileOutcome {
  std::optional<CompiledProgram> program;
  std::string error;             // when there is no program
  bool alreadyReported = false;  // the error is Clang's diagnostics, already on stderr
  bool kernelPchMissing = false;  // compiled without precompiled kernel types: the cache lacks them
};

inline constexpr const char *kCompilerLibraryName = "libprobecc-compiler.so";
inline constexpr const char *kCompileSymbol = "probecc_compile_program";
inline constexpr const char *kVersionSymbol = "probecc_compiler_version";
inline constexpr const char *kBuildKernelTypesSymbol = "probecc_build_kernel_types";

}  // namespace probecc

extern "C" {
// Compiles `request` (moved from) into `outcome`.
void probecc_compile_program(probecc::ProgramRequest *request, probecc::CompileOutcome *outcome);
// Precompiles the kernel types of `request` into its cache (buildKernelTypes()); errors in `outcome`.
void probecc_build_kernel_types(const probecc::ProgramRequest *request, probecc::CompileOutcome *outcome);
// PROBECC_VERSION of the library, so a stale library is never used.
const char *probecc_compiler_version();
}
