#include "codegen/kernel_memory_reads.h"

#include <optional>
#include <utility>

#include <llvm/ADT/DenseSet.h>
#include <llvm/ADT/STLExtras.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>

#include "codegen/bpf_helper_calls.h"
#include "support/error.h"

namespace probecc {
namespace {

constexpr uint64_t kMapLookupElem = BPF_FUNC_map_lookup_elem;
constexpr uint64_t kMapUpdateElem = BPF_FUNC_map_update_elem;
constexpr uint64_t kGetCurrentTask = BPF_FUNC_get_current_task;
// The helpers that fill their first argument.
constexpr uint64_t kProbeReads[] = {BPF_FUNC_probe_read,        BPF_FUNC_probe_read_str,
                                    BPF_FUNC_probe_read_user,   BPF_FUNC_probe_read_kernel,
                                    BPF_FUNC_probe_read_user_str, BPF_FUNC_probe_read_kernel_str};

// The stack variable a pointer points into, if it points into one.
llvm::AllocaInst *stackVariable(llvm::Value *pointer) {
  return llvm::dyn_cast<llvm::AllocaInst>(llvm::getUnderlyingObject(pointer));
}

// Where kernel data is in a module: values read from kernel memory (and values computed from them),
// and the stack variables and maps holding such values. Context values, derived from a program's
// context argument or a lookup in such a map, are not kernel data themselves: programs load from
// them directly, and what they load is kernel data.
class KernelData {
public:
  KernelData(llvm::Module &module, llvm::ArrayRef<llvm::Function *> programs) {
    for (auto *program : programs) reach(program);
    for (auto &function : module) {
      if (!reaches(function)) continue;
      for (auto &inst : llvm::instructions(function))
        if (auto *call = llvm::dyn_cast<llvm::CallBase>(&inst))
          if (auto id = bpfHelperId(*call)) helpers.emplace_back(call, *id);
    }
    for (auto *program : programs)
      if (program && program->arg_size() > 0) add(program->getArg(0), Origin::Context);
    for (auto [call, id] : helpers) {
      if (id == kGetCurrentTask) add(call, Origin::Kernel);
      if (llvm::is_contained(kProbeReads, id) && call->arg_size() > 0) addStored(call->getArgOperand(0));
    }
    while (!pending.empty()) {
      auto [value, origin] = pending.pop_back_val();
      followUsers(value, origin);
    }
  }

  // The programs and every function they call.
  bool reaches(const llvm::Function &function) const { return reached.contains(&function); }
  bool isKernel(const llvm::Value *value) const { return kernel.contains(value); }

private:
  enum class Origin { Kernel, Context };

  void reach(llvm::Function *function) {
    if (!function || function->isDeclaration() || !reached.insert(function).second) return;
    for (auto &inst : llvm::instructions(*function))
      if (auto *call = llvm::dyn_cast<llvm::CallBase>(&inst)) reach(call->getCalledFunction());
  }

  void add(llvm::Value *value, Origin origin) {
    auto &values = origin == Origin::Kernel ? kernel : context;
    if (values.insert(value).second) pending.emplace_back(value, origin);
  }

  // Whatever is loaded from this stack variable (or copied out of it) is kernel data.
  void addStack(llvm::AllocaInst *variable) {
    if (!kernelStack.insert(variable).second) return;
    for (auto [call, id] : helpers)
      if (id == kMapUpdateElem && call->arg_size() > 2 && stackVariable(call->getArgOperand(2)) == variable)
        addMap(call->getArgOperand(0));
    for (auto &inst : llvm::instructions(*variable->getFunction())) {
      if (auto *load = llvm::dyn_cast<llvm::LoadInst>(&inst)) {
        if (stackVariable(load->getPointerOperand()) == variable) add(load, Origin::Kernel);
      } else if (auto *copy = llvm::dyn_cast<llvm::MemTransferInst>(&inst)) {
        if (stackVariable(copy->getRawSource()) == variable) addStored(copy->getRawDest());
      }
    }
  }

  // A map holding kernel data (a kprobe saves a pointer for its kretprobe, as BCC tools do): its
  // lookups are like contexts, loaded from directly, and what is loaded from them is kernel data.
  void addMap(llvm::Value *map) {
    map = llvm::getUnderlyingObject(map);
    if (!kernelMaps.insert(map).second) return;
    for (auto [call, id] : helpers)
      if (id == kMapLookupElem && call->arg_size() > 0 && llvm::getUnderlyingObject(call->getArgOperand(0)) == map)
        add(call, Origin::Context);
  }

  void addReturned(llvm::Function *function, Origin origin) {
    auto &functions = origin == Origin::Kernel ? returnsKernel : returnsContext;
    if (!functions.insert(function).second) return;
    for (auto *user : function->users())
      if (auto *call = llvm::dyn_cast<llvm::CallBase>(user); call && call->getCalledFunction() == function)
        add(call, origin);
  }

  void followUsers(llvm::Value *value, Origin origin) {
    for (auto *user : value->users()) {
      auto *inst = llvm::dyn_cast<llvm::Instruction>(user);
      if (!inst) continue;
      if (auto *gep = llvm::dyn_cast<llvm::GetElementPtrInst>(inst)) {
        // Only the base: a kernel value as an index into a stack or map array stays a local address.
        if (gep->getPointerOperand() == value) add(gep, origin);
      } else if (auto *select = llvm::dyn_cast<llvm::SelectInst>(inst)) {
        if (select->getTrueValue() == value || select->getFalseValue() == value) add(select, origin);
      } else if (llvm::isa<llvm::CastInst, llvm::BinaryOperator, llvm::UnaryOperator, llvm::PHINode,
                           llvm::FreezeInst, llvm::ExtractValueInst, llvm::InsertValueInst,
                           llvm::ExtractElementInst, llvm::InsertElementInst, llvm::ShuffleVectorInst>(inst)) {
        add(inst, origin);
      } else if (llvm::isa<llvm::LoadInst>(inst)) {
        add(inst, Origin::Kernel);  // a load from the context, or pointer chasing
      } else if (auto *store = llvm::dyn_cast<llvm::StoreInst>(inst)) {
        if (origin == Origin::Kernel && store->getValueOperand() == value) addStored(store->getPointerOperand());
      } else if (auto *copy = llvm::dyn_cast<llvm::MemTransferInst>(inst)) {
        if (copy->getRawSource() == value) addStored(copy->getRawDest());
      } else if (llvm::isa<llvm::MemIntrinsic>(inst)) {
        // memset: only a write, which rewriteKernelMemoryReads() refuses.
      } else if (auto *call = llvm::dyn_cast<llvm::CallBase>(inst)) {
        followCall(*call, value, origin);
      } else if (llvm::isa<llvm::ReturnInst>(inst)) {
        addReturned(inst->getFunction(), origin);
      }
    }
  }

  // Kernel data written to the stack, or into a map's value.
  void addStored(llvm::Value *pointer) {
    auto *object = llvm::getUnderlyingObject(pointer);
    if (auto *variable = llvm::dyn_cast<llvm::AllocaInst>(object)) return addStack(variable);
    if (auto *lookup = llvm::dyn_cast<llvm::CallBase>(object);
        lookup && bpfHelperId(*lookup) == kMapLookupElem && lookup->arg_size() > 0)
      addMap(lookup->getArgOperand(0));
  }

  void followCall(llvm::CallBase &call, llvm::Value *argument, Origin origin) {
    // llvm.bpf.passthrough, llvm.preserve.*.access.index, llvm.umin, ...: computed from their arguments.
    if (llvm::isa<llvm::IntrinsicInst>(call)) {
      if (!call.getType()->isVoidTy()) add(&call, origin);
      return;
    }
    // BPF helpers' results (map lookups, ...) are not kernel data; internal functions' parameters are.
    auto *callee = call.getCalledFunction();
    if (!callee || callee->isDeclaration()) return;
    for (unsigned i = 0; i < call.arg_size() && i < callee->arg_size(); ++i)
      if (call.getArgOperand(i) == argument) add(callee->getArg(i), origin);
  }

  llvm::DenseSet<const llvm::Function *> reached, returnsKernel, returnsContext;
  llvm::DenseSet<const llvm::Value *> kernel, context, kernelMaps;
  llvm::DenseSet<const llvm::AllocaInst *> kernelStack;
  llvm::SmallVector<std::pair<llvm::CallBase *, uint64_t>> helpers;  // BPF helper calls, with their ids
  llvm::SmallVector<std::pair<llvm::Value *, Origin>> pending;  // added, users not followed yet
};

// "file.c:7:12: " of an instruction, for errors that point at the user's code.
std::string sourceLocation(const llvm::Instruction &inst) {
  const llvm::DILocation *location = inst.getDebugLoc().get();
  if (!location) return "";
  return (location->getFilename() + ":" + llvm::Twine(location->getLine()) + ":" +
          llvm::Twine(location->getColumn()) + ": ")
      .str();
}

// The pointer an instruction writes through, if it writes memory as a store would.
llvm::Value *writtenPointer(llvm::Instruction &inst) {
  if (auto *store = llvm::dyn_cast<llvm::StoreInst>(&inst)) return store->getPointerOperand();
  if (auto *rmw = llvm::dyn_cast<llvm::AtomicRMWInst>(&inst)) return rmw->getPointerOperand();
  if (auto *exchange = llvm::dyn_cast<llvm::AtomicCmpXchgInst>(&inst)) return exchange->getPointerOperand();
  if (auto *memory = llvm::dyn_cast<llvm::MemIntrinsic>(&inst)) return memory->getRawDest();
  return nullptr;
}

// `load T, ptr %p` → bpf_probe_read_kernel(&slot, sizeof(T), %p); load T, ptr %slot. The slot lives
// only around the read, so the back end can give every slot the same bytes of the 512-byte stack.
void readThroughHelper(llvm::LoadInst &load) {
  auto &function = *load.getFunction();
  const auto &layout = function.getParent()->getDataLayout();
  auto *type = load.getType();
  llvm::IRBuilder<> entry(&function.getEntryBlock(), function.getEntryBlock().getFirstInsertionPt());
  auto *slot = entry.CreateAlloca(type, nullptr, "kernel.read");

  llvm::IRBuilder<> builder(&load);  // with the load's debug location
  auto *slotSize = builder.getInt64(layout.getTypeAllocSize(type));
  builder.CreateLifetimeStart(slot, slotSize);
  callProbeReadKernel(builder, slot, builder.getInt32(layout.getTypeStoreSize(type)), load.getPointerOperand());
  auto *value = builder.CreateLoad(type, slot);
  builder.CreateLifetimeEnd(slot, slotSize);
  value->takeName(&load);
  load.replaceAllUsesWith(value);
  load.eraseFromParent();
}

// memcpy(dst, kernel, n) → bpf_probe_read_kernel(dst, n, kernel)
void copyThroughHelper(llvm::MemTransferInst &copy) {
  llvm::IRBuilder<> builder(&copy);
  callProbeReadKernel(builder, copy.getRawDest(), copy.getLength(), copy.getRawSource());
  copy.eraseFromParent();
}

}  // namespace

llvm::Error rewriteKernelMemoryReads(llvm::Module &module, llvm::ArrayRef<llvm::Function *> programs) {
  const KernelData data(module, programs);
  llvm::SmallVector<llvm::LoadInst *> loads;
  llvm::SmallVector<llvm::MemTransferInst *> copies;
  for (auto &function : module) {
    if (!data.reaches(function)) continue;
    for (auto &inst : llvm::instructions(function)) {
      if (auto *written = writtenPointer(inst); written && data.isKernel(written))
        return makeError(sourceLocation(inst) +
                         "cannot write kernel memory through a pointer read from the probe's arguments or "
                         "from kernel memory: probes may only read kernel memory; copy the value into a local "
                         "variable and change that");
      if (auto *load = llvm::dyn_cast<llvm::LoadInst>(&inst); load && data.isKernel(load->getPointerOperand()))
        loads.push_back(load);
      if (auto *copy = llvm::dyn_cast<llvm::MemTransferInst>(&inst); copy && data.isKernel(copy->getRawSource()))
        copies.push_back(copy);
    }
  }
  for (auto *load : loads) readThroughHelper(*load);
  for (auto *copy : copies) copyThroughHelper(*copy);
  return llvm::Error::success();
}

}  // namespace probecc
