#include "codegen/raw_syscalls.h"

#include <algorithm>
#include <set>

#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>

#include "codegen/bpf_helper_calls.h"
#include "codegen/probe_arguments.h"
#include "codegen/shared_probe_functions.h"
#include "codegen/stand_in_context.h"
#include "program/raw_syscalls_filter.h"

namespace probecc {
namespace {

constexpr unsigned kRecordSize = 64;         // trace_entry (8), nr (int, padded to 8), args[6]
constexpr unsigned kPtRegsOrigAx = 120;      // the syscall number, for sys_exit
constexpr unsigned kPtRegsCs = 136;
constexpr uint64_t kUser64CodeSegment = 0x33;  // __USER_CS: not an ia32 syscall
constexpr uint64_t kBpfFuncTailCall = 12;

// "enter"/"exit" when every target of `probe` is a syscalls:sys_enter_* (sys_exit_*) tracepoint.
std::optional<bool> onSyscallExit(const ProbeSpec &probe) {
  if (probe.kind != ProbeKind::Tracepoint || probe.arguments != ArgumentSource::None || !probe.attach) return {};
  const auto *tracepoint = probe.target.as<TracepointName>();
  if (!tracepoint || tracepoint->category != "syscalls") return {};
  if (tracepoint->event.starts_with("sys_enter_")) return false;
  if (tracepoint->event.starts_with("sys_exit_")) return true;
  return {};
}

// A bpf_tail_call from a raw tracepoint program cannot reach tracepoint programs.
bool tailCalls(const llvm::Module &module) {
  for (const auto &function : module)
    for (const auto &block : function)
      for (const auto &inst : block)
        if (const auto *call = llvm::dyn_cast<llvm::CallBase>(&inst))
          if (bpfHelperId(*call) == kBpfFuncTailCall) return true;
  return false;
}

std::string standInName(const std::string &function, bool exit) {
  return function + (exit ? "__raw_sys_exit" : "__raw_sys_enter");
}

llvm::Value *loadCtxU64(llvm::IRBuilder<> &ir, llvm::Value *ctx, unsigned index) {
  return ir.CreateLoad(ir.getInt64Ty(), ir.CreateConstInBoundsGEP1_64(ir.getInt64Ty(), ctx, index));
}

// A u64 of the kernel's pt_regs, through the helper (raw tracepoint arguments are plain numbers).
llvm::Value *readRegister(llvm::IRBuilder<> &ir, llvm::Function &program, llvm::Value *regs, unsigned offset) {
  auto &entry = program.getEntryBlock();
  llvm::IRBuilder<> atEntry(&entry, entry.getFirstInsertionPt());
  auto *slot = atEntry.CreateAlloca(ir.getInt64Ty());
  ir.CreateLifetimeStart(slot, ir.getInt64(8));  // one slot's worth of stack for all the reads
  ir.CreateStore(ir.getInt64(0), slot);
  callProbeReadKernel(ir, slot, ir.getInt32(8), ir.CreateConstInBoundsGEP1_64(ir.getInt8Ty(), regs, offset));
  auto *value = ir.CreateLoad(ir.getInt64Ty(), slot);
  ir.CreateLifetimeEnd(slot, ir.getInt64(8));
  return value;
}

struct Extent {
  bool known = true;
  uint64_t bytes = 0;
};

// How far into the object `pointer` points at (from `offset`) the function reads.
void measureReads(const llvm::Value *pointer, uint64_t offset, const llvm::DataLayout &layout, Extent &extent) {
  for (const auto *user : pointer->users()) {
    if (!extent.known) return;
    if (const auto *gep = llvm::dyn_cast<llvm::GetElementPtrInst>(user)) {
      llvm::APInt delta(64, 0);
      if (gep->getPointerOperand() != pointer || !gep->accumulateConstantOffset(layout, delta)) {
        extent.known = false;
        return;
      }
      measureReads(gep, offset + delta.getZExtValue(), layout, extent);
    } else if (const auto *load = llvm::dyn_cast<llvm::LoadInst>(user)) {
      extent.bytes = std::max(extent.bytes, offset + layout.getTypeStoreSize(load->getType()).getFixedValue());
    } else if (const auto *copy = llvm::dyn_cast<llvm::MemTransferInst>(user); copy && copy->getSource() == pointer &&
                                                                             copy->getDest() != pointer) {
      const auto *length = llvm::dyn_cast<llvm::ConstantInt>(copy->getLength());
      if (!length) extent.known = false;
      else extent.bytes = std::max(extent.bytes, offset + length->getZExtValue());
    } else if (const auto *call = llvm::dyn_cast<llvm::CallBase>(user); call && bpfHelperId(*call)) {
      // the context handed to a helper (bpf_perf_event_output(ctx, ...)): not a read of the record
    } else if (llvm::isa<llvm::LifetimeIntrinsic>(user)) {
    } else {
      extent.known = false;  // stored, compared, selected, passed on: the kernel's count may differ
    }
  }
}

}  // namespace

void addRawSyscallStandIns(llvm::Module &module, std::vector<ProbeSpec> &probes) {
  const bool tailCallTargets = std::any_of(probes.begin(), probes.end(), [](const ProbeSpec &p) { return !p.attach; });
  if (tailCallTargets || tailCalls(module)) return;
  std::set<std::string> made;
  const size_t count = probes.size();
  for (size_t i = 0; i < count; ++i) {
    const auto exit = onSyscallExit(probes[i]);
    if (!exit) continue;
    const ProbeSpec probe = probes[i];  // probes grows below
    auto *function = module.getFunction(probe.function);
    if (!function || function->isDeclaration() || function->arg_size() != 1) continue;
    const std::string name = standInName(probe.function, *exit);
    if (!made.insert(name).second) continue;
    copyFunction(*function, name);
    auto *bytes = llvm::ArrayType::get(llvm::Type::getInt8Ty(module.getContext()), kRawSyscallsFilterBytes);
    // Not constant to LLVM (the loader fills it), so no load of it is folded to zero.
    auto *filter = new llvm::GlobalVariable(module, bytes, false, llvm::GlobalValue::ExternalLinkage,
                                            llvm::ConstantAggregateZero::get(bytes), "probecc_filter_" + name);
    filter->setExternallyInitialized(true);
    filter->setSection(rawSyscallsFilterSection(name));
    filter->setAlignment(llvm::Align(8));
    ProbeSpec standIn;
    standIn.function = name;
    standIn.kind = ProbeKind::RawTracepoint;
    standIn.target = KernelName{*exit ? "sys_exit" : "sys_enter"};
    standIn.arguments = *exit ? ArgumentSource::RawSyscallExitRecord : ArgumentSource::RawSyscallEnterRecord;
    standIn.location = probe.location;
    standIn.standsInFor = probe.function;
    probes.push_back(std::move(standIn));
  }
}

llvm::Value *buildRawSyscallRecord(llvm::IRBuilder<> &ir, llvm::Function &program, const ProbeSpec &probe) {
  auto &context = program.getContext();
  llvm::Value *ctx = program.getArg(0);
  const bool exit = probe.arguments == ArgumentSource::RawSyscallExitRecord;
  // raw_syscalls: sys_enter(struct pt_regs *regs, long id), sys_exit(struct pt_regs *regs, long ret)
  llvm::Value *regsValue = loadCtxU64(ir, ctx, 0);
  llvm::Value *regs = ir.CreateIntToPtr(regsValue, ir.getPtrTy());
  llvm::Value *second = loadCtxU64(ir, ctx, 1);
  llvm::Value *number = exit ? readRegister(ir, program, regs, kPtRegsOrigAx) : second;

  auto *filtered = llvm::BasicBlock::Create(context, "not.served", &program);
  auto *checkBit = llvm::BasicBlock::Create(context, "filter", &program);
  auto *checkMode = llvm::BasicBlock::Create(context, "mode", &program);
  auto *serve = llvm::BasicBlock::Create(context, "serve", &program);
  ir.CreateCondBr(ir.CreateICmpULT(number, ir.getInt64(kRawSyscallsFilterBits)), checkBit, filtered);

  ir.SetInsertPoint(checkBit);
  auto *filter = program.getParent()->getGlobalVariable("probecc_filter_" + probe.function);
  auto *byte = ir.CreateLoad(ir.getInt8Ty(), ir.CreateInBoundsGEP(ir.getInt8Ty(), filter, ir.CreateLShr(number, 3)));
  auto *bit = ir.CreateAnd(ir.CreateLShr(ir.CreateZExt(byte, ir.getInt64Ty()), ir.CreateAnd(number, 7)), 1);
  ir.CreateCondBr(ir.CreateICmpNE(bit, ir.getInt64(0)), checkMode, filtered);

  // The syscall tracepoints leave out ia32 syscalls (their numbers are another table's); so does
  // this, by the code segment (a 64-bit task's int $0x80 is the one case it cannot tell).
  ir.SetInsertPoint(checkMode);
  auto *segment = readRegister(ir, program, regs, kPtRegsCs);
  ir.CreateCondBr(ir.CreateICmpEQ(segment, ir.getInt64(kUser64CodeSegment)), serve, filtered);

  ir.SetInsertPoint(filtered);
  if (program.getReturnType()->isVoidTy())
    ir.CreateRetVoid();
  else
    ir.CreateRet(llvm::Constant::getNullValue(program.getReturnType()));

  ir.SetInsertPoint(serve);
  auto *record = createStandInContext(program, kRecordSize);
  auto store = [&](unsigned offset, llvm::Value *value) {
    ir.CreateStore(value, ir.CreateConstInBoundsGEP1_64(ir.getInt8Ty(), record, offset));
  };
  // Where the kernel puts a pt_regs pointer for BPF (the syscall's before Linux 6.10, the tracing
  // call's since): nothing but the stack helpers reads it, and they take the real context here.
  store(0, regsValue);
  store(8, ir.CreateTrunc(number, ir.getInt32Ty()));
  if (exit) {
    store(16, second);
  } else {
    for (unsigned i = 0; i < 6; ++i) store(16 + 8 * i, readRegister(ir, program, regs, x86_64PtRegs().syscallArgs[i]));
  }
  return record;
}

void measureRecordReads(llvm::Module &module, std::vector<ProbeSpec> &probes) {
  for (auto &probe : probes) {
    if (probe.standsInFor.empty()) continue;
    const auto *program = module.getFunction(probe.standsInFor);
    if (!program || program->arg_size() == 0) continue;
    Extent extent;
    measureReads(program->getArg(0), 0, module.getDataLayout(), extent);
    if (extent.known) probe.recordBytesRead = static_cast<unsigned>(extent.bytes);
  }
}

}  // namespace probecc
