#pragma once
// Errors travel as llvm::Error / llvm::Expected values up to main(), which prints them through the
// run's Diagnostics (support/diagnostics.h).
#include <llvm/ADT/Twine.h>
#include <llvm/Support/Error.h>

#include <string>

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

// An error whose message already says where, in the compiler's form ("FILE:LINE:COL: error: ..."):
// printed as it is.
class LocatedError : public llvm::ErrorInfo<LocatedError> {
public:
  static char ID;
  explicit LocatedError(std::string message) : message_(std::move(message)) {}
  void log(llvm::raw_ostream &os) const override { os << message_; }
  std::error_code convertToErrorCode() const override { return llvm::inconvertibleErrorCode(); }

private:
  std::string message_;
};

}  // namespace probecc
