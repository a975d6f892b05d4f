// The compile pipeline as `--emit obj` runs it (nothing loaded): any C text gives an object or an
// error, never a crash, an abort or a sanitizer report. Kernel types from the running kernel's BTF.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "btf_kernel.h"
#include "compiler/compile_program.h"
#include "compiler/llvm_fatal_errors.h"
#include "support/diagnostics.h"

using namespace probecc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string source(reinterpret_cast<const char *>(data), size);
  // A device or /proc file #included would be read forever (the user's own doing, not a bug).
  if (source.find("/dev/") != std::string::npos || source.find("/proc/") != std::string::npos) return -1;
  // LLVM 19's BPF CO-RE passes keep state from one compile to the next in a process: a second
  // compile with a CO-RE access reads memory the first one freed (ASan shows it on the tutorial
  // program compiled twice). probecc compiles one program per process, so CO-RE accesses are left
  // to the unit and e2e tests, which compile each once.
  for (const char *coRe : {"CORE_READ", "bpf_core_", "preserve_", "btf_type_id", "BPF_KSYSCALL"})
    if (source.find(coRe) != std::string::npos) return -1;
  ProgramRequest request;
  request.script = {"fuzz.c", std::move(source)};
  request.kernel = btfKernelTypes();
  request.emitKind = EmitKind::Object;
  request.syscalls = {true, "", "__x64_sys_"};
  std::string messages;
  llvm::raw_string_ostream out(messages);
  Diagnostics diagnostics(false, out);
  auto program = compileProgram(std::move(request), diagnostics);
  if (!program) {
    const std::string error = llvm::toString(program.takeError());
    if (isLlvmCrash(error)) {  // turned into an error for the user; for the fuzzer it is the crash it is
      fprintf(stderr, "%s\n", error.c_str());
      abort();
    }
  }
  return 0;
}
