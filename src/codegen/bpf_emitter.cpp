#include "codegen/bpf_emitter.h"

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include "codegen/extern_debug_info.h"
#include "support/error.h"

namespace probecc {

llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createBpfTargetMachine() {
  LLVMInitializeBPFTargetInfo();
  LLVMInitializeBPFTarget();
  LLVMInitializeBPFTargetMC();
  LLVMInitializeBPFAsmPrinter();
  // Inline asm (barriers, libbpf-tools' `asm volatile("" ::: "memory")`) is parsed by the target's
  // asm parser while the object is written; the disassembler serves --emit asm's listings.
  LLVMInitializeBPFAsmParser();
  LLVMInitializeBPFDisassembler();
  const std::string triple = "bpfel";
  std::string message;
  const auto *target = llvm::TargetRegistry::lookupTarget(triple, message);
  if (!target) return makeError("LLVM has no BPF target: " + message);
  llvm::TargetOptions options;
  // v3: ALU32 and JMP32, which every kernel with BTF (5.x+) verifies.
  return std::unique_ptr<llvm::TargetMachine>(target->createTargetMachine(
      triple, "v3", "", options, llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
}

void retargetToBpf(llvm::Module &module, const llvm::TargetMachine &target) {
  module.setTargetTriple(target.getTargetTriple().str());
  module.setDataLayout(target.createDataLayout());
  for (auto &function : module) {
    function.removeFnAttr("target-cpu");
    function.removeFnAttr("target-features");
    function.removeFnAttr("tune-cpu");
  }
  describeExternVariables(module);
}

llvm::Expected<llvm::SmallVector<char, 0>> emit(llvm::Module &module, llvm::TargetMachine &target, EmitKind kind) {
  llvm::SmallVector<char, 0> out;
  llvm::raw_svector_ostream stream(out);
  if (kind == EmitKind::LlvmIr) {
    module.print(stream, nullptr);
    return out;
  }
  llvm::legacy::PassManager passes;
  const auto fileType = kind == EmitKind::Object ? llvm::CodeGenFileType::ObjectFile
                                                 : llvm::CodeGenFileType::AssemblyFile;
  if (target.addPassesToEmitFile(passes, stream, nullptr, fileType))
    return makeError("internal error: the BPF back end cannot emit this file type");
  passes.run(module);
  return out;
}

}  // namespace probecc
