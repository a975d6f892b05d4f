#pragma once
// BCC's `table.lookup_or_init(&key, &zero)` returns from the probe when the insert fails, so the
// pointer it yields is never NULL (the verifier needs that path to end). The preamble's method
// calls __probecc_return_from_probe() there (noreturn); once the methods are inlined, each such
// call becomes a `return 0` of the function it is in.
#include <llvm/IR/Module.h>

namespace probecc {

inline constexpr const char *kReturnFromProbe = "__probecc_return_from_probe";

void lowerProbeReturns(llvm::Module &module);

}  // namespace probecc
