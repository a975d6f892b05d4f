#include "codegen/bpf_helper_calls.h"

#include <llvm/IR/Constants.h>

namespace probecc {

std::optional<uint64_t> bpfHelperId(const llvm::CallBase &call) {
  const auto *address = llvm::dyn_cast<llvm::ConstantExpr>(call.getCalledOperand());
  if (!address || address->getOpcode() != llvm::Instruction::IntToPtr) return std::nullopt;
  const auto *id = llvm::dyn_cast<llvm::ConstantInt>(address->getOperand(0));
  if (!id) return std::nullopt;
  return id->getZExtValue();
}

bool helperTakesContext(uint64_t id) {
  switch (id) {
    case BPF_FUNC_perf_event_output:
    case BPF_FUNC_get_stackid:
    case BPF_FUNC_get_stack:
    case BPF_FUNC_tail_call:
    case BPF_FUNC_perf_prog_read_value:
    case BPF_FUNC_override_return:
    case BPF_FUNC_read_branch_records:
    case BPF_FUNC_get_func_ip:
    case BPF_FUNC_get_attach_cookie:
    case BPF_FUNC_get_func_arg:
    case BPF_FUNC_get_func_ret:
    case BPF_FUNC_get_func_arg_cnt:
      return true;
    default:
      return false;
  }
}

llvm::CallInst *callProbeReadKernel(llvm::IRBuilder<> &builder, llvm::Value *destination, llvm::Value *size,
                                    llvm::Value *source) {
  auto *pointer = llvm::PointerType::getUnqual(builder.getContext());
  auto *type = llvm::FunctionType::get(builder.getInt64Ty(), {pointer, builder.getInt32Ty(), pointer}, false);
  auto *helper = llvm::ConstantExpr::getIntToPtr(builder.getInt64(BPF_FUNC_probe_read_kernel), pointer);
  auto *call = builder.CreateCall(type, helper,
                                  {builder.CreatePointerBitCastOrAddrSpaceCast(destination, pointer),
                                   builder.CreateZExtOrTrunc(size, builder.getInt32Ty()),
                                   builder.CreatePointerBitCastOrAddrSpaceCast(source, pointer)});
  call->setMemoryEffects(llvm::MemoryEffects::argMemOnly());
  call->setDoesNotThrow();
  return call;
}

}  // namespace probecc
