#include "driver/compiler_library.h"

#include <dlfcn.h>

#include <filesystem>
#include <system_error>

#include "program/compiler_interface.h"
#include "support/error.h"
#include "support/file_identity.h"

namespace probecc {
namespace fs = std::filesystem;

std::string compilerLibraryPath() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (const fs::path &candidate : {exe.parent_path() / kCompilerLibraryName,
                                   exe.parent_path().parent_path() / "lib" / "probecc" / kCompilerLibraryName})
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  return "";
}

std::string compilerIdentity() {
  const std::string path = compilerLibraryPath();
  return path.empty() ? "no compiler library\n" : fileIdentity(path);
}

namespace {

// The library's entry point `symbol`, loaded on first use (never unloaded: LLVM registers
// exit-time destructors, and the process is short-lived).
template <typename Function> llvm::Expected<Function *> compilerEntry(const char *symbol) {
  const std::string path = compilerLibraryPath();
  if (path.empty())
    return makeError(llvm::Twine("cannot find ") + kCompilerLibraryName +
                     " next to the probecc executable or in ../lib/probecc/");
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) return makeError(llvm::Twine("cannot load the compiler: ") + dlerror());
  auto version = reinterpret_cast<const char *(*)()>(dlsym(library, kVersionSymbol));
  auto entry = reinterpret_cast<Function *>(dlsym(library, symbol));
  if (!version || !entry || llvm::StringRef(version()) != PROBECC_VERSION)
    return makeError(path + " does not belong to probecc " + PROBECC_VERSION);
  return entry;
}

// Calls the library's `entry` with `request`'s bytes and reads back its answer.
template <typename Entry> llvm::Expected<CompileOutcome> ask(Entry *entry, const ProgramRequest &request) {
  const std::string bytes = serializeRequest(request);
  std::string answer;
  entry(bytes.data(), bytes.size(),
        [](void *into, const char *data, size_t size) { static_cast<std::string *>(into)->assign(data, size); }, &answer);
  return deserializeOutcome(answer);
}

}  // namespace

llvm::Expected<CompileOutcome> compileWithLibrary(const ProgramRequest &request) {
  auto compile = compilerEntry<decltype(probecc_compile_program)>(kCompileSymbol);
  if (!compile) return compile.takeError();
  return ask(*compile, request);
}

llvm::Expected<CompiledProgram> programOf(CompileOutcome outcome) {
  if (outcome.program) return std::move(*outcome.program);
  if (outcome.alreadyReported) return llvm::make_error<AlreadyReported>();
  return makeError(outcome.error);
}

llvm::Error buildKernelTypesWithLibrary(const ProgramRequest &request) {
  auto build = compilerEntry<decltype(probecc_build_kernel_types)>(kBuildKernelTypesSymbol);
  if (!build) return build.takeError();
  auto outcome = ask(*build, request);
  if (!outcome) return outcome.takeError();
  return outcome->error.empty() ? llvm::Error::success() : makeError(outcome->error);
}

}  // namespace probecc
