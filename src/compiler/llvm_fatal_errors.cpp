#include "compiler/llvm_fatal_errors.h"

#include <csignal>
#include <optional>
#include <cstring>

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/CrashRecoveryContext.h>
#include <llvm/Support/ErrorHandling.h>
#include <llvm/Support/Process.h>

#include "support/error.h"

namespace probecc {
namespace {

constexpr llvm::StringLiteral kCrashed = "LLVM crashed";

// What LLVM's fatal errors mean for a probe's author, by a part of LLVM's message.
struct KnownFatalError {
  llvm::StringLiteral pattern, meaning;
};
constexpr KnownFatalError kKnownFatalErrors[] = {
    {"Branch target out of insn range",
     "a jump spans more than 32767 BPF instructions (BPF's jump offsets are 16-bit): a loop unrolled too far or a "
     "function too long; unroll less (#pragma unroll 8), loop with a bound the verifier follows, or use bpf_loop()"},
    {"Unsupported dynamic stack allocation", "BPF has no variable-length arrays or alloca(): give the array a constant size"},
    {"Looks like the BPF stack limit is exceeded", "its stack is over BPF's 512 bytes: keep large buffers in a map value"},
};

struct FatalError {
  std::string reason;
};

// LLVM's handler may not return (report_fatal_error would exit after it). Leaving through
// sys::Process::Exit hands control to the CrashRecoveryContext around the work, which jumps back
// to RunSafely; this is how Clang's own driver survives the fatal errors of its in-process cc1.
void onFatalError(void *context, const char *reason, bool) {
  static_cast<FatalError *>(context)->reason = reason;
  llvm::sys::Process::Exit(1);
}

}  // namespace

bool isLlvmCrash(const std::string &message) { return message.find(kCrashed.str()) != std::string::npos; }

llvm::Error runSurvivingLlvmFatalErrors(llvm::function_ref<llvm::Error()> work, const std::string &sourceName,
                                        const std::string &step) {
  // Why not let LLVM abort: a probe's author would see "LLVM ERROR: ..." and a core dump instead
  // of an error naming their program. Why a longjmp is acceptable: the state the work abandons is
  // only this compile's (its module, Clang's instance), which is leaked, never used again.
  FatalError fatal;
  std::optional<llvm::Error> result;  // none if the work did not get to return
  {
    llvm::CrashRecoveryContext::Enable();  // also turns a crash signal inside the work into a return
    llvm::ScopedFatalErrorHandler handler(onFatalError, &fatal);
    llvm::CrashRecoveryContext context;
    const bool survived = context.RunSafely([&] { result.emplace(work()); });
    llvm::CrashRecoveryContext::Disable();  // the process's own signal handlers (a sanitizer's) again
    if (survived && result) return std::move(*result);
    if (!survived) {
      if (llvm::CrashRecoveryContext::isCrash(context.RetCode) || fatal.reason.empty()) {
        const int signal = context.RetCode > 128 ? context.RetCode - 128 : 0;
        return llvm::make_error<LocatedError>(sourceName + ": error: internal error: " + kCrashed.str() +
                                              " in compile step " + step + " (" +
                                              (signal ? strsignal(signal) : "no signal") +
                                              "); please report it with this program");
      }
    }
  }
  std::string message = sourceName + ": error: LLVM cannot compile this program (compile step " + step + "): " +
                        fatal.reason;
  for (const auto &known : kKnownFatalErrors)
    if (llvm::StringRef(fatal.reason).contains(known.pattern)) message += "\nhint: " + known.meaning.str();
  return llvm::make_error<LocatedError>(std::move(message));
}

}  // namespace probecc
