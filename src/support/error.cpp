#include "support/error.h"

namespace probecc {

char AlreadyReported::ID = 0;
char LocatedError::ID = 0;

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

}  // namespace probecc
