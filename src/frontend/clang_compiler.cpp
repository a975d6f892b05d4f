#include "frontend/clang_compiler.h"

#include <sys/stat.h>

#include <clang/Basic/DiagnosticOptions.h>
#include <clang/CodeGen/CodeGenAction.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/CompilerInvocation.h>
#include <clang/Frontend/FrontendActions.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Frontend/Utils.h>
#include <clang/Lex/Preprocessor.h>
#include <llvm/Support/Path.h>
#include <llvm/TargetParser/Host.h>

#include "frontend/bcc_headers.h"
#include "frontend/compile_files.h"
#include "frontend/kernel_macros.h"
#include "kernel/arch.h"
#include "frontend/load_time_kernel_facts.h"
#include "frontend/preamble.h"
#include "support/error.h"

namespace probecc {
namespace {

constexpr const char *kPreambleName = "probecc_preamble.h";
constexpr const char *kProgramPreambleName = "probecc_program_preamble.h";  // program-specific, after a PCH
constexpr const char *kPchPath = "/probecc/cache/kernel-types.pch";
// vmlinux.h while it is precompiled: a path no later compile has, so Clang takes the copy inside
// the precompiled header instead of comparing it with the empty vmlinux.h programs then include.
constexpr const char *kPchInputDir = "/probecc/pch-input";
// The precompiled header's main file includes the preamble, whose "#pragma clang system_header"
// works only in an included file.
constexpr const char *kPchMainName = "kernel_types.h";

std::string absolutePath(const std::string &path) {
  llvm::SmallString<256> absolute(path);
  llvm::sys::fs::make_absolute(absolute);
  return std::string(absolute);
}

}  // namespace

std::string parseTriple(KernelTypes::Source source) {
  return source == KernelTypes::Source::Btf ? "bpfel" : llvm::sys::getDefaultTargetTriple();
}

namespace {
// Everything but the preamble and the input: shared by compiles and by the precompiled header.
std::vector<std::string> sharedArguments(const CompileRequest &request) {
  const bool btf = request.kernel.source == KernelTypes::Source::Btf;
  const std::string resourceDir = PROBECC_CLANG_RESOURCE_DIR;
  const std::string arch(hostArch().name);
  std::vector<std::string> args = {
      "-triple", parseTriple(request.kernel.source),
      "-O2", "-disable-llvm-passes",  // probecc runs the optimiser itself, after its own passes
      "-debug-info-kind=constructor", "-dwarf-version=5",  // the BPF back end turns this into BTF
      "-std=gnu11", "-fgnuc-version=4.2.1", "-ferror-limit", "19",
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
                             "-D__HAVE_BUILTIN_BSWAP16__=", "-D__HAVE_BUILTIN_BSWAP32__=",
                             "-D__HAVE_BUILTIN_BSWAP64__="});  // empty, as the kernel defines them
    // libbpf's bpf/*.h and the preamble live in memory; kernel trees come first, as in Kbuild.
    for (const auto &dir : kernelIncludeDirs(request.kernel, arch)) args.insert(args.end(), {"-I", dir});
    args.insert(args.end(), {"-I", kVirtualIncludeDir});
  }
  if (request.colorDiagnostics) args.push_back("-fcolor-diagnostics");
  for (const auto &dir : request.includeDirs) args.insert(args.end(), {"-I", dir});
  for (const auto &define : request.defines) args.push_back("-D" + define);
  return args;
}
}  // namespace

std::vector<std::string> clangArguments(const CompileRequest &request, const std::string &mainFile) {
  auto args = sharedArguments(request);
  if (request.kernelPch.empty()) {
    args.insert(args.end(), {"-include", std::string(kVirtualIncludeDir) + "/" + kPreambleName});
  } else {
    // Kernel types and preamble come precompiled (no validation: the header's inputs live in
    // memory and the cache key already says what it was built from); -D/-I given now apply
    // after it, and the program's own declarations follow it.
    args.insert(args.end(), {"-include-pch", kPchPath, "-fno-validate-pch"});
    if (!request.extraPreamble.empty())
      args.insert(args.end(), {"-include", std::string(kVirtualIncludeDir) + "/" + kProgramPreambleName});
  }
  // The BPF back end reads the program's file again, by the path in its debug info, for the line
  // texts of BTF: a FIFO (or a pipe gone) would block it or read nothing. Such a script, read once
  // already, is named at a path that holds nothing there; its base name, which the verifier's log
  // quotes, stays.
  const std::string path = absolutePath(mainFile);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    args.push_back("-fdebug-prefix-map=" + path + "=/probecc/script/" + llvm::sys::path::filename(path).str());
  args.insert(args.end(), {"-x", "c", mainFile});
  return args;
}

std::vector<std::string> kernelPchArguments(const CompileRequest &request, const std::string &outputPath) {
  CompileRequest base;
  base.kernel = request.kernel;
  auto args = sharedArguments(base);
  if (request.kernel.source == KernelTypes::Source::Btf) args.insert(args.end(), {"-I", kPchInputDir});
  args.insert(args.end(), {"-emit-pch", "-o", outputPath, "-x", "c-header", std::string(kPchInputDir) + "/" + kPchMainName});
  return args;
}

namespace {

// The files Clang sees besides the real file system.
CompileFiles compileFiles(const CompileRequest &request, bool precompiling) {
  CompileFiles files;
  // The user's source is read from memory (shebang blanked) under its own name, so diagnostics
  // name it exactly as the user gave it.
  if (!request.script.name.empty()) files.add(absolutePath(request.script.name), request.script.text);
  files.addLibbpfHeaders(PROBECC_LIBBPF_INCLUDE_DIR);
  addBccHeaders(files);
  // With a precompiled header, the preamble and vmlinux.h are inside it (an #include of
  // vmlinux.h finds an empty file); the header's other inputs must read as they did then.
  if (request.kernelPch.empty()) {
    files.add(std::string(kVirtualIncludeDir) + "/" + kPreambleName, buildPreamble(request.kernel) + request.extraPreamble);
  } else {
    // probecc's, not the user's: its warnings are never shown (as the full preamble's are not)
    files.add(std::string(kVirtualIncludeDir) + "/" + kProgramPreambleName,
              "#pragma clang system_header\n" + request.extraPreamble);
    files.addUnowned(kPchPath, request.kernelPch);
  }
  if (precompiling)
    files.add(std::string(kPchInputDir) + "/" + kPchMainName,
              "#include \"" + std::string(kVirtualIncludeDir) + "/" + kPreambleName + "\"\n");
  if (request.kernel.source == KernelTypes::Source::Btf) {
    files.add(std::string(precompiling ? kPchInputDir : kVirtualIncludeDir) + "/vmlinux.h", request.vmlinuxHeader);
    files.enableKernelHeaderStubs();
  }
  return files;
}

// Runs `action` with `argStrings`; false after Clang reported errors.
llvm::Expected<bool> runClang(const std::vector<std::string> &argStrings, const CompileFiles &files,
                              bool colorDiagnostics, bool embedInputs, clang::FrontendAction &action,
                              llvm::raw_ostream &diagnosticsOut = llvm::errs(),
                              std::vector<std::string> *includedFiles = nullptr) {
  std::vector<const char *> args;
  for (const auto &arg : argStrings) args.push_back(arg.c_str());

  // The arguments are probecc's own; what they say about diagnostics (-ferror-limit, -Wno-...)
  // applies to the engine made from them below, not to this one.
  auto argumentOptions = llvm::makeIntrusiveRefCnt<clang::DiagnosticOptions>();
  auto argumentDiagnostics = clang::CompilerInstance::createDiagnostics(
      argumentOptions.get(), new clang::TextDiagnosticPrinter(diagnosticsOut, argumentOptions.get()));
  auto invocation = std::make_shared<clang::CompilerInvocation>();
  if (!clang::CompilerInvocation::CreateFromArgs(*invocation, args, *argumentDiagnostics))
    return makeError("internal error: Clang rejected probecc's compiler arguments");
  invocation->getDiagnosticOpts().ShowColors = colorDiagnostics;

  clang::CompilerInstance compiler;
  compiler.setInvocation(std::move(invocation));
  compiler.createDiagnostics(new clang::TextDiagnosticPrinter(diagnosticsOut, &compiler.getDiagnosticOpts()));
  // "N errors generated." goes to the verbose stream: with the diagnostics, so that an attempt
  // whose diagnostics are dropped drops its count too.
  compiler.setVerboseOutputStream(diagnosticsOut);
  clang::DiagnosticsEngine *diagnostics = &compiler.getDiagnostics();
  compiler.createFileManager(files.fileSystem());
  compiler.createSourceManager(compiler.getFileManager());
  // A precompiled header carries its inputs (vmlinux.h, the preamble), which exist only in
  // memory, so diagnostics that point into them can still be shown later.
  if (embedInputs) compiler.getSourceManager().setAllFilesAreTransient(true);
  auto dependencies = std::make_shared<clang::DependencyCollector>();
  if (includedFiles) compiler.addDependencyCollector(dependencies);
  const bool ok = compiler.ExecuteAction(action) && !diagnostics->hasErrorOccurred();
  if (includedFiles)
    for (const auto &file : dependencies->getDependencies()) includedFiles->push_back(file);
  return ok;
}

// Collects the identifiers of the preprocessed program, by namespace. Struct tags that libbpf's
// headers mention need no definition (they only forward-declare them and take pointers). A
// `struct NAME {` in the program's own file is a tag it defines itself. READ or WRITE as an
// enumerator or a macro of the program's own (its headers too) is noted (the run that collects
// has the preamble's two undefined, so they read as the program spells them).
class TypeNameCollector : public clang::PreprocessorFrontendAction {
public:
  explicit TypeNameCollector(TypeNames &names) : names_(names) {}

protected:
  void ExecuteAction() override {
    clang::Preprocessor &pp = getCompilerInstance().getPreprocessor();
    const clang::SourceManager &sources = pp.getSourceManager();
    const std::string libbpfDir = std::string(kVirtualIncludeDir) + "/bpf/";
    pp.addPPCallbacks(std::make_unique<OwnReadWriteMacros>(sources, names_));
    pp.EnterMainSourceFile();
    bool afterTagKeyword = false, afterRecordKeyword = false;
    llvm::StringRef recordTag;  // the tag just after `struct`/`union` in the program's own file
    enum { Outside, AfterEnum, InEnumBody } enumState = Outside;
    bool enumeratorNext = false;  // in an enum's body, after `{` or `,`
    for (clang::Token token; pp.Lex(token), token.isNot(clang::tok::eof);) {
      if (!recordTag.empty() && token.is(clang::tok::l_brace)) names_.ownTags.insert(recordTag);
      recordTag = {};
      if (token.is(clang::tok::identifier)) {
        const llvm::StringRef name = token.getIdentifierInfo()->getName();
        const clang::SourceLocation where = sources.getExpansionLoc(token.getLocation());
        if (!afterTagKeyword)
          names_.ordinary.insert(name);
        else if (!sources.getFilename(where).starts_with(libbpfDir))
          names_.tags.insert(name);
        if (afterRecordKeyword && sources.isInMainFile(where)) recordTag = name;
        if (enumeratorNext && (name == "READ" || name == "WRITE")) names_.ownsReadWrite = true;
      }
      enumeratorNext = enumState == InEnumBody && token.isOneOf(clang::tok::l_brace, clang::tok::comma);
      if (token.is(clang::tok::kw_enum)) enumState = AfterEnum;
      else if (enumState == AfterEnum && token.is(clang::tok::l_brace)) enumState = InEnumBody, enumeratorNext = true;
      else if (enumState == AfterEnum && !token.is(clang::tok::identifier)) enumState = Outside;
      else if (enumState == InEnumBody && token.is(clang::tok::r_brace)) enumState = Outside;
      afterTagKeyword = token.isOneOf(clang::tok::kw_struct, clang::tok::kw_union, clang::tok::kw_enum);
      afterRecordKeyword = token.isOneOf(clang::tok::kw_struct, clang::tok::kw_union);
    }
  }

private:
  // `#define READ ...` outside probecc's own (in-memory) headers
  class OwnReadWriteMacros : public clang::PPCallbacks {
  public:
    OwnReadWriteMacros(const clang::SourceManager &sources, TypeNames &names) : sources_(sources), names_(names) {}
    void MacroDefined(const clang::Token &name, const clang::MacroDirective *) override {
      const llvm::StringRef spelled = name.getIdentifierInfo()->getName();
      if (spelled != "READ" && spelled != "WRITE") return;
      if (!sources_.getFilename(sources_.getExpansionLoc(name.getLocation())).starts_with("/probecc/"))
        names_.ownsReadWrite = true;
    }

  private:
    const clang::SourceManager &sources_;
    TypeNames &names_;
  };

  TypeNames &names_;
};

}  // namespace

llvm::Expected<TypeNames> referencedTypeNames(const CompileRequest &request) {
  TypeNames names;
  TypeNameCollector action(names);
  std::string diagnostics;
  llvm::raw_string_ostream out(diagnostics);
  CompileRequest collecting = request;
  collecting.extraPreamble += kReadWriteUndefines;
  auto ok = runClang(clangArguments(collecting, request.script.name), compileFiles(collecting, false), false, false, action, out);
  if (!ok) return ok.takeError();
  if (!*ok) return makeError("cannot preprocess the program: " + diagnostics);
  return names;
}

llvm::Expected<CompiledModule> compileToIR(const CompileRequest &request, llvm::raw_ostream &diagnostics) {
  const CompileFiles files = compileFiles(request, false);
  CompiledModule result{std::make_unique<llvm::LLVMContext>(), nullptr};
  auto emitter = std::make_unique<clang::EmitLLVMOnlyAction>(result.context.get());
  clang::EmitLLVMOnlyAction &emit = *emitter;
  std::unique_ptr<clang::FrontendAction> action = std::move(emitter);
  if (request.kernel.portable && request.kernel.source == KernelTypes::Source::Btf)
    action = refusingPreprocessorKernelFacts(std::move(action));
  std::vector<std::string> dependencies;
  auto ok = runClang(clangArguments(request, request.script.name), files, request.colorDiagnostics, false, *action,
                     diagnostics, &dependencies);
  if (!ok) return ok.takeError();
  if (!*ok) return llvm::make_error<AlreadyReported>();
  // Only the user's own headers: the program itself and the preamble live in memory, and kernel
  // headers are covered by the kernel key.
  const std::string mainFile = absolutePath(request.script.name);
  for (auto &file : dependencies) {
    const std::string path = absolutePath(file);
    if (path == mainFile || path.starts_with("/probecc/")) continue;
    if (!request.kernel.buildDir.empty() && path.starts_with(request.kernel.buildDir + "/")) continue;
    if (!request.kernel.sourceDir.empty() && path.starts_with(request.kernel.sourceDir + "/")) continue;
    result.includedFiles.push_back(path);
  }
  result.module = emit.takeModule();
  if (!result.module) return makeError("internal error: Clang produced no module");
  return result;
}

llvm::Error precompileKernelTypes(const CompileRequest &request, const std::string &outputPath) {
  CompileRequest base;
  base.kernel = request.kernel;
  base.vmlinuxHeader = request.vmlinuxHeader;
  clang::GeneratePCHAction action;
  auto ok = runClang(kernelPchArguments(request, outputPath), compileFiles(base, true), false, true, action);
  if (!ok) return ok.takeError();
  if (!*ok) return makeError("internal error: cannot precompile the kernel types");
  return llvm::Error::success();
}

}  // namespace probecc
