#pragma once
// The BPF back end: a TargetMachine for BPF, retargeting host-parsed modules, and emitting an
// object (ELF with BTF), assembly or IR text into memory.
#include <memory>
#include <string>

#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>
#include <llvm/Target/TargetMachine.h>

#include "program/emit_kind.h"

namespace probecc {

llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createBpfTargetMachine();

// A module parsed with the host triple (kernel headers) becomes a BPF module.
void retargetToBpf(llvm::Module &module, const llvm::TargetMachine &target);

llvm::Expected<llvm::SmallVector<char, 0>> emit(llvm::Module &module, llvm::TargetMachine &target, EmitKind kind);

}  // namespace probecc
