#include "compiler_library.h"

#include <dlfcn.h>
#include <sys/stat.h>

#include <filesystem>
#include <system_error>

#include "compiler_interface.h"
#include "support/error.h"

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
  struct stat st {};
  if (path.empty() || stat(path.c_str(), &st) != 0) return "no compiler library";
  return path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

llvm::Expected<CompiledProgram> compileWithLibrary(ProgramRequest request) {
  const std::string path = compilerLibraryPath();
  if (path.empty())
    return makeError(llvm::Twine("cannot find ") + kCompilerLibraryName +
                     " next to the probecc executable or in ../lib/probecc/");
  // Never unloaded: LLVM registers exit-time destructors, and the process is short-lived.
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) return makeError(llvm::Twine("cannot load the compiler: ") + dlerror());
  auto version = reinterpret_cast<const char *(*)()>(dlsym(library, kVersionSymbol));
  auto compile = reinterpret_cast<decltype(&probecc_compile_program)>(dlsym(library, kCompileSymbol));
  if (!version || !compile || llvm::StringRef(version()) != PROBECC_VERSION)
    return makeError(path + " does not belong to probecc " + PROBECC_VERSION);
  CompileOutcome outcome;
  compile(&request, &outcome);
  if (outcome.program) return std::move(*outcome.program);
  if (outcome.alreadyReported) return llvm::make_error<AlreadyReported>();
  return makeError(outcome.error);
}

}  // namespace probecc
