// The entry points of libprobecc-compiler.so (see compiler_interface.h).
#include <malloc.h>

#include "driver/compiler_interface.h"
#include "support/error.h"

extern "C" __attribute__((visibility("default"))) void probecc_compile_program(probecc::ProgramRequest *request,
                                                                               probecc::CompileOutcome *outcome) {
  auto program = probecc::compileProgram(std::move(*request), &outcome->kernelPchMissing);
  if (program) {
    outcome->program = std::move(*program);
  } else {
    llvm::handleAllErrors(
        program.takeError(), [&](const probecc::AlreadyReported &) { outcome->alreadyReported = true; },
        [&](const llvm::ErrorInfoBase &e) { outcome->error = e.message(); });
  }
  // Clang's and LLVM's allocations are gone; give the freed heap back before tracing starts.
  malloc_trim(0);
}

extern "C" __attribute__((visibility("default"))) void probecc_build_kernel_types(const probecc::ProgramRequest *request,
                                                                                  probecc::CompileOutcome *outcome) {
  if (auto error = probecc::buildKernelTypes(*request)) outcome->error = llvm::toString(std::move(error));
}

extern "C" __attribute__((visibility("default"))) const char *probecc_compiler_version() { return PROBECC_VERSION; }
