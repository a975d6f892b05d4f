#pragma once
// The boundary between the probecc executable and libprobecc-compiler.so, which holds Clang and
// LLVM and is loaded only when a program must be compiled. Requests and answers cross as the
// bytes of program/compiled_program.h (each side has its own copy of LLVM and the C++ types).
#include <cstddef>

namespace probecc {

inline constexpr const char *kCompilerLibraryName = "libprobecc-compiler.so";
inline constexpr const char *kCompileSymbol = "probecc_compile_program";
inline constexpr const char *kVersionSymbol = "probecc_compiler_version";
inline constexpr const char *kBuildKernelTypesSymbol = "probecc_build_kernel_types";

}  // namespace probecc

extern "C" {
// Receives the answer's bytes; they live only during the call.
typedef void (*probecc_answer_fn)(void *context, const char *bytes, size_t size);
// Compiles a serializeRequest() request; answers with serializeOutcome() bytes.
void probecc_compile_program(const char *request, size_t size, probecc_answer_fn answer, void *context);
// Precompiles the kernel types of a serializeRequest() request into its cache (buildKernelTypes());
// answers with serializeOutcome() bytes (an error or nothing).
void probecc_build_kernel_types(const char *request, size_t size, probecc_answer_fn answer, void *context);
// PROBECC_VERSION of the library, so a stale library is never used.
const char *probecc_compiler_version();
}
