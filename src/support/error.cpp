#include "support/error.h"

#include <llvm/Support/raw_ostream.h>

namespace probecc {

char AlreadyReported::ID = 0;
char LocatedError::ID = 0;

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

int reportError(llvm::Error error) {
  llvm::handleAllErrors(
      std::move(error), [](const AlreadyReported &) {},
      [](const LocatedError &e) { llvm::errs() << e.message() << "\n"; },
      [](const llvm::ErrorInfoBase &e) { llvm::errs() << "probecc: error: " << e.message() << "\n"; });
  return 1;
}

}  // namespace probecc
