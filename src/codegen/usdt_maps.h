#pragma once
// The preamble includes libbpf's usdt.bpf.h in every program; its two maps are marked used, so
// they would be created for programs without USDT probes too. This drops them from those.
#include <llvm/IR/Module.h>

namespace probecc {

void dropUnusedUsdtMaps(llvm::Module &module);

}  // namespace probecc
