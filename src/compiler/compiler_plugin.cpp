// The entry points of libprobecc-compiler.so (see compiler_interface.h).
#include <malloc.h>

#include "compiler/compile_program.h"
#include "program/compiler_interface.h"
#include "support/error.h"

namespace {

using namespace probecc;

// A located error ("FILE:LINE: error: ...") is printed as it is, with the compile's messages.
void answerWith(llvm::Error error, CompileOutcome &outcome, llvm::raw_ostream &messages) {
  llvm::handleAllErrors(
      std::move(error), [&](const AlreadyReported &) { outcome.alreadyReported = true; },
      [&](const LocatedError &e) {
        messages << e.message() << "\n";
        outcome.alreadyReported = true;
      },
      [&](const llvm::ErrorInfoBase &e) { outcome.error = e.message(); });
}

void answer(const CompileOutcome &outcome, probecc_answer_fn reply, void *context) {
  const std::string bytes = serializeOutcome(outcome);
  reply(context, bytes.data(), bytes.size());
}

}  // namespace

extern "C" __attribute__((visibility("default"))) void probecc_compile_program(const char *bytes, size_t size,
                                                                               probecc_answer_fn reply, void *context) {
  CompileOutcome outcome;
  llvm::raw_string_ostream messages(outcome.messages);
  if (auto request = deserializeRequest(llvm::StringRef(bytes, size))) {
    Diagnostics diagnostics(request->verbose, messages);
    auto program = compileProgram(std::move(*request), diagnostics, &outcome.kernelPchMissing);
    if (program) outcome.program = std::move(*program);
    else answerWith(program.takeError(), outcome, messages);
  } else {
    answerWith(request.takeError(), outcome, messages);
  }
  messages.flush();
  answer(outcome, reply, context);
  // Clang's and LLVM's allocations are gone; give the freed heap back before tracing starts.
  malloc_trim(0);
}

extern "C" __attribute__((visibility("default"))) void probecc_build_kernel_types(const char *bytes, size_t size,
                                                                                  probecc_answer_fn reply, void *context) {
  CompileOutcome outcome;
  llvm::raw_string_ostream messages(outcome.messages);
  auto request = deserializeRequest(llvm::StringRef(bytes, size));
  Diagnostics diagnostics(false, messages);
  if (!request) answerWith(request.takeError(), outcome, messages);
  else if (auto error = buildKernelTypes(*request, diagnostics)) answerWith(std::move(error), outcome, messages);
  messages.flush();
  answer(outcome, reply, context);
}

extern "C" __attribute__((visibility("default"))) const char *probecc_compiler_version() { return PROBECC_VERSION; }
