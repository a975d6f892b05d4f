#pragma once
// One in-process Clang invocation: the user's C (with the preamble) → an LLVM module, unoptimised.
#include <memory>
#include <string>
#include <vector>

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/raw_ostream.h>

#include "frontend/kernel_types.h"
#include "frontend/script_input.h"

namespace probecc {

struct CompileRequest {
  Script script;
  KernelTypes kernel;
  std::string vmlinuxHeader;  // BTF mode: the dumped kernel types
  std::string extraPreamble;  // program-specific declarations (tracepoint argument structs)
  std::vector<std::string> includeDirs;  // -I
  std::vector<std::string> defines;      // -D NAME[=VALUE]
  bool colorDiagnostics = false;
  llvm::StringRef kernelPch;  // preamble + kernel types precompiled by precompileKernelTypes()
};

struct CompiledModule {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
  std::vector<std::string> includedFiles{};  // the user's own headers the program read from disk
};

// Diagnostics go to `diagnostics` as Clang prints them, naming the user's file and lines.
llvm::Expected<CompiledModule> compileToIR(const CompileRequest &request, llvm::raw_ostream &diagnostics = llvm::errs());

// The names the program (request.vmlinuxHeader still empty) would look kernel types up by.
llvm::Expected<TypeNames> referencedTypeNames(const CompileRequest &request);

// The cc1 arguments compileToIR uses (exposed for tests and -v).
std::vector<std::string> clangArguments(const CompileRequest &request, const std::string &mainFile);

// Precompiles the preamble and kernel types (request.kernel, request.vmlinuxHeader) into a Clang
// precompiled header at `outputPath`; compiles given its bytes as kernelPch parse only the program.
llvm::Error precompileKernelTypes(const CompileRequest &request, const std::string &outputPath);
std::vector<std::string> kernelPchArguments(const CompileRequest &request, const std::string &outputPath);

// The triple Clang parses with: BPF for BTF types; the host's for kernel headers, whose inline
// asm only the host target accepts (the module is retargeted to BPF afterwards, as BCC does).
std::string parseTriple(KernelTypes::Source source);

}  // namespace probecc
