#include "codegen/private_printk.h"

#include <llvm/ADT/SmallPtrSet.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/Transforms/Utils/BasicBlockUtils.h>
#include <llvm/Transforms/Utils/ModuleUtils.h>

#include "codegen/bpf_helper_calls.h"
#include "codegen/trace_printk_formats.h"
#include "program/map_names.h"
#include "support/printk_format.h"

namespace probecc {
namespace {

using namespace printk_record;

class RecordWriter {
public:
  RecordWriter(llvm::IRBuilder<> &builder, llvm::Value *record) : b_(builder), record_(record) {}
  llvm::Value *at(size_t offset) { return b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), record_, offset); }
  // The record is 8-aligned and every field naturally aligned: one store each, never split into
  // bytes (shifting a pointer apart is something the verifier refuses).
  void store(size_t offset, llvm::Value *value) {
    const auto bytes = value->getType()->getPrimitiveSizeInBits() / 8;
    b_.CreateAlignedStore(value, at(offset), llvm::Align(std::min<uint64_t>(bytes, 8)));
  }

  // A helper call by id; every argument and the result are 64-bit or pointers.
  llvm::Value *helper(uint64_t id, llvm::ArrayRef<llvm::Value *> arguments) {
    std::vector<llvm::Type *> types;
    for (auto *argument : arguments) types.push_back(argument->getType());
    auto *type = llvm::FunctionType::get(b_.getInt64Ty(), types, false);
    auto *pointer = llvm::PointerType::getUnqual(b_.getContext());
    return b_.CreateCall(type, llvm::ConstantExpr::getIntToPtr(b_.getInt64(id), pointer), arguments);
  }

private:
  llvm::IRBuilder<> &b_;
  llvm::Value *record_;
};

llvm::Value *asU64(llvm::IRBuilder<> &b, llvm::Value *value) {
  if (value->getType()->isPointerTy()) return b.CreatePtrToInt(value, b.getInt64Ty());
  if (value->getType()->isIntegerTy()) return b.CreateSExtOrTrunc(value, b.getInt64Ty());
  return b.getInt64(0);
}

// A string as the kernel's %s takes it on x86: a kernel address, else a user one (either copy
// zeroes the slot when it fails, so an unreadable string prints as nothing).
void copyString(llvm::IRBuilder<> &b, RecordWriter &w, size_t offset, llvm::Value *source, PrintkConversion::Copy copy) {
  auto *destination = w.at(offset);
  auto *size = b.getInt32(kStringSize);
  if (copy == PrintkConversion::Copy::UserString) {
    w.helper(BPF_FUNC_probe_read_user_str, {destination, size, source});
    return;
  }
  auto *read = w.helper(BPF_FUNC_probe_read_kernel_str, {destination, size, source});
  if (copy == PrintkConversion::Copy::KernelString) return;
  auto *failed = b.CreateICmpSLT(read, b.getInt64(0));
  auto *then = llvm::SplitBlockAndInsertIfThen(failed, b.GetInsertPoint(), false);
  llvm::IRBuilder<> inner(then);
  inner.SetCurrentDebugLocation(b.getCurrentDebugLocation());
  RecordWriter(inner, destination).helper(BPF_FUNC_probe_read_user_str, {destination, size, source});
  b.SetInsertPoint(then->getParent()->getSingleSuccessor()->getFirstNonPHI());
}

struct Channel {
  llvm::GlobalVariable *map, *lost, *self;
};

void rewriteCall(llvm::CallBase &call, const ParsedPrintkFormat &format, uint32_t id, const Channel &channel) {
  llvm::LLVMContext &context = call.getContext();
  const auto layout = printkRecordLayout(format);
  llvm::IRBuilder<> b(&call);
  b.SetCurrentDebugLocation(call.getDebugLoc());
  RecordWriter none(b, nullptr);
  auto *pointer = llvm::PointerType::getUnqual(context);
  // probecc's own process prints nothing: reading the ring would print more, without end, when a
  // probe fires in what probecc does (a uprobe on malloc).
  auto *pidTgid = none.helper(BPF_FUNC_get_current_pid_tgid, {});
  auto *self = b.CreateAlignedLoad(b.getInt32Ty(), channel.self, llvm::Align(4));
  auto *fromSelf = b.CreateICmpEQ(b.CreateTrunc(b.CreateLShr(pidTgid, 32), b.getInt32Ty()), self);
  b.SetInsertPoint(llvm::SplitBlockAndInsertIfThen(b.CreateNot(fromSelf), &call, false));
  auto *reserved = none.helper(BPF_FUNC_ringbuf_reserve, {channel.map, b.getInt64(layout.size), b.getInt64(0)});
  auto *record = b.CreateIntToPtr(reserved, pointer);
  llvm::Instruction *fillAt = nullptr, *lostAt = nullptr;
  llvm::SplitBlockAndInsertIfThenElse(b.CreateIsNotNull(record), &*b.GetInsertPoint(), &fillAt, &lostAt);

  b.SetInsertPoint(lostAt);
  b.CreateAtomicRMW(llvm::AtomicRMWInst::Add, channel.lost, b.getInt64(1), llvm::MaybeAlign(8),
                    llvm::AtomicOrdering::Monotonic);

  b.SetInsertPoint(fillAt);
  RecordWriter w(b, record);
  w.store(kTimestamp, w.helper(BPF_FUNC_ktime_get_ns, {}));
  w.store(kPid, b.CreateTrunc(pidTgid, b.getInt32Ty()));
  w.store(kFormatId, b.getInt32(id));
  w.store(kCpu, b.CreateTrunc(w.helper(BPF_FUNC_get_smp_processor_id, {}), b.getInt32Ty()));
  w.store(kCpu + 4, b.getInt32(0));
  w.helper(BPF_FUNC_get_current_comm, {w.at(kComm), b.getInt64(kCommSize)});
  size_t argument = 0;
  for (const auto &piece : format.pieces) {
    if (!piece.hasConversion) continue;
    llvm::Value *value = call.getArgOperand(2 + argument);
    w.store(kArgs + 8 * argument, asU64(b, value));
    const auto &conversion = piece.conversion;
    const size_t offset = layout.copyOffsets[argument];
    auto *source = value->getType()->isPointerTy() ? value : b.CreateIntToPtr(asU64(b, value), pointer);
    if (conversion.copy == PrintkConversion::Copy::Bytes)
      callProbeReadKernel(b, w.at(offset), b.getInt32(conversion.copySize), source);
    else if (conversion.copy != PrintkConversion::Copy::None)
      copyString(b, w, offset, source, conversion.copy);
    ++argument;
  }
  for (; argument < kMaxArgs; ++argument) w.store(kArgs + 8 * argument, b.getInt64(0));
  w.helper(BPF_FUNC_ringbuf_submit, {record, b.getInt64(0)});

  // What bpf_trace_printk returns is rarely used; 0 stands for "printed".
  call.replaceAllUsesWith(llvm::ConstantInt::get(call.getType(), 0));
  call.eraseFromParent();
}

void removeChannel(llvm::Module &module, const Channel &channel) {
  const llvm::GlobalVariable *globals[] = {channel.map, channel.lost, channel.self};
  llvm::removeFromUsedLists(module, [&](llvm::Constant *used) { return llvm::is_contained(globals, used); });
  llvm::SmallPtrSet<llvm::Metadata *, 4> removed;
  for (auto *global : {channel.map, channel.lost, channel.self}) {
    if (!global) continue;
    global->removeDeadConstantUsers();  // what folded calls left behind still counts as a use
    if (!global->use_empty()) continue;
    llvm::SmallVector<llvm::DIGlobalVariableExpression *, 1> debugInfo;
    global->getDebugInfo(debugInfo);
    removed.insert(debugInfo.begin(), debugInfo.end());
    global->eraseFromParent();
  }
  // Their debug info goes too, or the object would still describe them.
  for (auto *unit : module.debug_compile_units()) {
    llvm::SmallVector<llvm::Metadata *, 16> kept;
    for (auto *expression : unit->getGlobalVariables())
      if (!removed.contains(expression)) kept.push_back(expression);
    unit->replaceGlobalVariables(llvm::MDTuple::get(module.getContext(), kept));
  }
}

}  // namespace

std::vector<std::string> routePrintkToRingBuffer(llvm::Module &module, bool enabled) {
  const Channel channel{module.getGlobalVariable(kPrintkMapName),
                        module.getGlobalVariable(std::string(kLostCounterPrefix) + kPrintkMapUserName),
                        module.getGlobalVariable(kPrintkSelfName)};
  std::vector<std::pair<llvm::CallBase *, std::string>> calls;
  if (enabled && channel.map && channel.lost && channel.self)
    for (auto &function : module)
      for (auto &block : function)
        for (auto &instruction : block)
          if (auto *call = llvm::dyn_cast<llvm::CallBase>(&instruction))
            if (auto format = tracePrintkFormat(*call)) calls.emplace_back(call, std::move(*format));
  if (calls.empty()) {
    removeChannel(module, channel);
    return {};
  }
  // Format ids by text: a program of 10,000 bpf_trace_printk calls has as many formats, which a
  // linear search compared 50 million times.
  std::vector<std::string> formats;
  llvm::StringMap<uint32_t> ids;
  for (auto &[call, text] : calls) {
    const auto [known, added] = ids.try_emplace(text, static_cast<uint32_t>(formats.size()));
    if (added) formats.push_back(text);
    rewriteCall(*call, parsePrintkFormat(text), known->second, channel);
  }
  return formats;
}

}  // namespace probecc
