#include "support/diagnostics.h"

#include "support/error.h"

namespace probecc {

int Diagnostics::error(llvm::Error error) {
  llvm::handleAllErrors(
      std::move(error), [](const AlreadyReported &) {},
      [&](const LocatedError &e) { out_ << e.message() << "\n"; },
      [&](const llvm::ErrorInfoBase &e) { line("error: " + e.message()); });
  return 1;
}

}  // namespace probecc
