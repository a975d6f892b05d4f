#pragma once
// Errors travel as llvm::Error / llvm::Expected values up to main(), the one place that prints them.
#include <llvm/ADT/Twine.h>
#include <llvm/Support/Error.h>

namespace probecc {

// An error with a message for the user.
llvm::Error makeError(const llvm::Twine &message);

// A failure whose explanation was already printed (e.g. Clang's diagnostics): report nothing more.
class AlreadyReported : public llvm::ErrorInfo<AlreadyReported> {
public:
  static char ID;
  void log(llvm::raw_ostream &os) const override { os << "failed (already reported)"; }
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }
};

// Prints an error as "probecc: error: ..." (nothing for AlreadyReported); returns the exit code to use.
int reportError(llvm::Error error);

}  // namespace probecc
