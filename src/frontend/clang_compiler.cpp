#include "frontend/clang_compiler.h"

#include <clang/Basic/DiagnosticOptions.h>
#include <clang/CodeGen/CodeGenAction.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/CompilerInvocation.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <llvm/Support/Path.h>
#include <llvm/TargetParser/Host.h>

#include "frontend/compile_files.h"
#include "frontend/preamble.h"
#include "support/error.h"

namespace probecc {
namespace {

constexpr const char *kPreambleName = "probecc_preamble.h";

std::string hostArch() {
  const std::string triple = llvm::sys::getDefaultTargetTriple();
  if (triple.starts_with("x86_64")) return "x86";
  if (triple.starts_with("aarch64")) return "arm64";
  return triple.substr(0, triple.find('-'));
}

std::string absolutePath(const std::string &path) {
  llvm::SmallString<256> absolute(path);
  llvm::sys::fs::make_absolute(absolute);
  return std::string(absolute);
}

}  // namespace

std::string parseTriple(KernelTypes::Source source) {
  return source == KernelTypes::Source::Btf ? "bpfel" : llvm::sys::getDefaultTargetTriple();
}

std::vector<std::string> clangArguments(const CompileRequest &request, const std::string &mainFile) {
  const bool btf = request.kernel.source == KernelTypes::Source::Btf;
  const std::string resourceDir = PROBECC_CLANG_RESOURCE_DIR;
  const std::string arch = hostArch();
  std::vector<std::string> args = {
      "-triple", parseTriple(request.kernel.source),
      "-O2", "-disable-llvm-passes",  // probecc runs the optimiser itself, after its own passes
      "-debug-info-kind=constructor", "-dwarf-version=5",  // the BPF back end turns this into BTF
      "-std=gnu11", "-fgnuc-version=4.2.1", "-ferror-limit", "20",
      "-nostdsysteminc", "-nobuiltininc", "-resource-dir", resourceDir,
      "-internal-isystem", resourceDir + "/include",
      "-D__TARGET_ARCH_" + arch, "-D__BPF_TRACING__",
      "-Wno-unused-value", "-Wno-pointer-sign", "-Wno-compare-distinct-pointer-types",
      "-Wno-gnu-variable-sized-type-not-at-end", "-Wno-address-of-packed-member",
      "-Wno-tautological-compare", "-Wno-unknown-warning-option", "-Wno-unknown-attributes",
  };
  if (btf) {
    args.insert(args.end(), {"-target-cpu", "v3", "-I", kVirtualIncludeDir, "-I", kKernelStubIncludeDir});
  } else {
    args.insert(args.end(), {"-D__KERNEL__", "-DKBUILD_MODNAME=\"probecc\"", "-D__ASM_SYSREG_H",
                             "-D__HAVE_BUILTIN_BSWAP16__", "-D__HAVE_BUILTIN_BSWAP32__",
                             "-D__HAVE_BUILTIN_BSWAP64__"});
    // libbpf's bpf/*.h and the preamble live in memory; kernel trees come first, as in Kbuild.
    for (const auto &dir : kernelIncludeDirs(request.kernel, arch)) args.insert(args.end(), {"-I", dir});
    args.insert(args.end(), {"-I", kVirtualIncludeDir});
  }
  if (request.colorDiagnostics) args.push_back("-fcolor-diagnostics");
  for (const auto &dir : request.includeDirs) args.insert(args.end(), {"-I", dir});
  for (const auto &define : request.defines) args.push_back("-D" + define);
  args.insert(args.end(), {"-include", std::string(kVirtualIncludeDir) + "/" + kPreambleName});
  args.insert(args.end(), {"-x", "c", mainFile});
  return args;
}

llvm::Expected<CompiledModule> compileToIR(const CompileRequest &request) {
  CompileFiles files;
  // The user's source is read from memory (shebang blanked) under its own name, so diagnostics
  // name it exactly as the user gave it.
  const std::string mainFile = request.script.name;
  files.add(absolutePath(mainFile), request.script.text);
  files.add(std::string(kVirtualIncludeDir) + "/" + kPreambleName,
            buildPreamble(request.kernel.source) + request.extraPreamble);
  files.addLibbpfHeaders(PROBECC_LIBBPF_INCLUDE_DIR);
  if (request.kernel.source == KernelTypes::Source::Btf) {
    files.add(std::string(kVirtualIncludeDir) + "/vmlinux.h", request.vmlinuxHeader);
    files.enableKernelHeaderStubs();
  }

  const auto argStrings = clangArguments(request, mainFile);
  std::vector<const char *> args;
  for (const auto &arg : argStrings) args.push_back(arg.c_str());

  auto diagnosticOptions = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
  auto *printer = new clang::TextDiagnosticPrinter(llvm::errs(), diagnosticOptions.get());
  auto diagnostics = clang::CompilerInstance::createDiagnostics(diagnosticOptions.get(), printer);

  auto invocation = std::make_shared<clang::CompilerInvocation>();
  if (!clang::CompilerInvocation::CreateFromArgs(*invocation, args, *diagnostics))
    return makeError("internal error: Clang rejected probecc's compiler arguments");
  diagnosticOptions->ShowColors = request.colorDiagnostics;

  clang::CompilerInstance compiler;
  compiler.setInvocation(std::move(invocation));
  compiler.setDiagnostics(diagnostics.get());
  compiler.createFileManager(files.fileSystem());
  compiler.createSourceManager(compiler.getFileManager());

  CompiledModule result{std::make_unique<llvm::LLVMContext>(), nullptr};
  clang::EmitLLVMOnlyAction action(result.context.get());
  if (!compiler.ExecuteAction(action) || diagnostics->hasErrorOccurred())
    return llvm::make_error<AlreadyReported>();
  result.module = action.takeModule();
  if (!result.module) return makeError("internal error: Clang produced no module");
  return result;
}

}  // namespace probecc
