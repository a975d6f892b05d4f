#pragma once
// Debug info (so BTF) for extern variables such as libbpf's __kconfig externs: Clang describes
// them only when it compiles for the BPF target, and with kernel headers probecc compiles for the
// host and retargets, so libbpf would find no BTF for them and refuse the object.
#include <llvm/IR/Module.h>

namespace probecc {

void describeExternVariables(llvm::Module &module);

}  // namespace probecc
