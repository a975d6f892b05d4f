#include "codegen/probe_arguments.h"

#include <llvm/ADT/StringSet.h>
#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>

#include "codegen/bpf_helper_calls.h"
#include "codegen/probe_functions.h"
#include "codegen/raw_syscalls.h"
#include "codegen/stand_in_context.h"
#include "codegen/syscall_argument_reads.h"
#include "support/error.h"

namespace probecc {
namespace {

struct Wrapper {
  llvm::Function *probe;  // takes ctx, has the probe's name
  llvm::IRBuilder<> &ir;
  llvm::Value *ctx;
};

llvm::Value *loadU64(Wrapper &w, llvm::Value *base, unsigned offset) {
  auto *address = w.ir.CreateConstInBoundsGEP1_64(w.ir.getInt8Ty(), base, offset);
  return w.ir.CreateLoad(w.ir.getInt64Ty(), address);
}

// A read through a kernel pointer must go through the helper. The slot lives only around the
// read, so all of a probe's argument reads share the same 8 bytes of the 512-byte stack.
llvm::Value *probeReadU64(Wrapper &w, llvm::Value *kernelAddress) {
  auto &entry = w.probe->getEntryBlock();
  llvm::IRBuilder<> atEntry(&entry, entry.getFirstInsertionPt());
  auto *slot = atEntry.CreateAlloca(w.ir.getInt64Ty());
  w.ir.CreateLifetimeStart(slot, w.ir.getInt64(8));
  w.ir.CreateStore(w.ir.getInt64(0), slot);
  callProbeReadKernel(w.ir, slot, w.ir.getInt32(8), kernelAddress);
  auto *value = w.ir.CreateLoad(w.ir.getInt64Ty(), slot);
  w.ir.CreateLifetimeEnd(slot, w.ir.getInt64(8));
  return value;
}

llvm::Expected<llvm::Value *> convertArgument(Wrapper &w, llvm::Value *raw, llvm::Type *type, const llvm::Function &body,
                                              unsigned index) {
  if (type->isPointerTy()) return w.ir.CreateIntToPtr(raw, type);
  if (type->isIntegerTy()) return w.ir.CreateZExtOrTrunc(raw, type);
  return makeError(sourceLocation(body) + body.getName() + ": argument " + llvm::Twine(index + 1) +
                   " must be an integer or a pointer: probe arguments arrive in registers");
}

// A zeroed pt_regs on the stack, for bodies written against pt_regs but run from a tracepoint.
llvm::Value *stackPtRegs(Wrapper &w) { return createStandInContext(*w.probe, x86_64PtRegs().size); }

void storeU64(Wrapper &w, llvm::Value *base, unsigned offset, llvm::Value *value) {
  w.ir.CreateStore(value, w.ir.CreateConstInBoundsGEP1_64(w.ir.getInt8Ty(), base, offset));
}

// The raw 64-bit arguments, and the ctx the body sees.
struct Arguments {
  std::vector<llvm::Value *> raw;
  llvm::Value *bodyCtx;
};

// `readInBody`: arguments the body reads itself where it uses them (syscall_argument_reads.h).
Arguments readArguments(Wrapper &w, const ProbeSpec &probe, unsigned count, const llvm::SmallBitVector &readInBody) {
  const auto &regs = x86_64PtRegs();
  Arguments args{{}, w.ctx};
  switch (probe.arguments) {
    case ArgumentSource::Registers:
      for (unsigned i = 0; i < count; ++i) args.raw.push_back(loadU64(w, w.ctx, regs.functionArgs[i]));
      break;
    case ArgumentSource::SyscallInnerRegs: {
      auto *inner = w.ir.CreateIntToPtr(loadU64(w, w.ctx, regs.functionArgs[0]), w.ir.getPtrTy());
      for (unsigned i = 0; i < count; ++i)
        args.raw.push_back(readInBody.test(i + 1) ? w.ir.getInt64(0)
                                                  : probeReadU64(w, w.ir.CreateConstInBoundsGEP1_64(
                                                                        w.ir.getInt8Ty(), inner, regs.syscallArgs[i])));
      break;
    }
    case ArgumentSource::SyscallEnterTracepoint: {
      // struct syscall_trace_enter { struct trace_entry ent; int nr; unsigned long args[6]; }
      args.bodyCtx = stackPtRegs(w);
      for (unsigned i = 0; i < 6; ++i) {
        auto *value = i < probe.syscallArgCount ? loadU64(w, w.ctx, 16 + 8 * i) : w.ir.getInt64(0);
        storeU64(w, args.bodyCtx, regs.syscallArgs[i], value);
        if (i == 3) storeU64(w, args.bodyCtx, regs.functionArgs[i], value);
        if (i < count) args.raw.push_back(value);
      }
      break;
    }
    case ArgumentSource::SyscallExitTracepoint:
      // struct syscall_trace_exit { struct trace_entry ent; long nr; long ret; }
      args.bodyCtx = stackPtRegs(w);
      storeU64(w, args.bodyCtx, regs.returnValue, loadU64(w, w.ctx, 16));
      // The exit record carries no arguments; the typed ones read as a kretprobe's would from the
      // stand-in pt_regs, whose argument registers are zero.
      args.raw.assign(count, w.ir.getInt64(0));
      break;
    case ArgumentSource::BtfArray:
      for (unsigned i = 0; i < count; ++i) args.raw.push_back(loadU64(w, w.ctx, 8 * i));
      break;
    case ArgumentSource::RawSyscallEnterRecord:
    case ArgumentSource::RawSyscallExitRecord:
      args.bodyCtx = buildRawSyscallRecord(w.ir, *w.probe, probe);
      break;
    case ArgumentSource::None:
      break;
  }
  return args;
}

// The wrapper's own debug info: a function of ctx alone, so BTF describes what the kernel calls.
void describeWrapper(llvm::Module &module, llvm::Function &body, llvm::Function &probe) {
  auto *bodyInfo = body.getSubprogram();
  if (!bodyInfo) return;
  llvm::DIBuilder di(module, true, bodyInfo->getUnit());
  const auto bodyTypes = bodyInfo->getType()->getTypeArray();
  llvm::SmallVector<llvm::Metadata *, 2> types{bodyTypes.size() > 0 ? bodyTypes[0] : nullptr};
  if (bodyTypes.size() > 1) types.push_back(bodyTypes[1]);
  auto *info = di.createFunction(bodyInfo->getFile(), probe.getName(), "", bodyInfo->getFile(), bodyInfo->getLine(),
                                 di.createSubroutineType(di.getOrCreateTypeArray(types)), bodyInfo->getScopeLine(),
                                 llvm::DINode::FlagPrototyped,
                                 llvm::DISubprogram::SPFlagDefinition | llvm::DISubprogram::SPFlagOptimized);
  // BTF names each parameter from its debug variable; the kernel rejects unnamed ones.
  if (bodyTypes.size() > 1)
    di.createParameterVariable(info, "ctx", 1, bodyInfo->getFile(), bodyInfo->getLine(),
                               llvm::cast_or_null<llvm::DIType>(bodyTypes[1]), true);
  probe.setSubprogram(info);
  di.finalizeSubprogram(info);
}

llvm::Error wrap(llvm::Module &module, llvm::Function &body, const ProbeSpec &probe) {
  const unsigned typedCount = body.arg_size() - 1;
  if (typedCount > 6)
    return makeError(sourceLocation(body) + probe.function + " takes " + llvm::Twine(typedCount) +
                     " arguments after ctx; a probe can read at most 6 (PT_REGS_PARM1..6)");
  if (typedCount > 0 && probe.arguments == ArgumentSource::None)
    return makeError(sourceLocation(body) + probe.function + ": a " + std::string(kindInfo(probe.kind).name) +
                     " probe takes only its context argument" +
                     (probe.kind == ProbeKind::Tracepoint ? " (read the tracepoint's fields as args->field)" : ""));

  llvm::SmallBitVector readInBody(typedCount + 1);
  if (probe.arguments == ArgumentSource::SyscallInnerRegs) readInBody = readSyscallArgumentsWhereUsed(body, typedCount);

  const std::string name = probe.function;
  body.setName("__probecc_body_" + name);
  body.setLinkage(llvm::GlobalValue::InternalLinkage);
  body.removeFnAttr(llvm::Attribute::NoInline);
  body.removeFnAttr(llvm::Attribute::OptimizeNone);
  body.addFnAttr(llvm::Attribute::AlwaysInline);

  auto &context = module.getContext();
  auto *type = llvm::FunctionType::get(body.getReturnType(), {llvm::PointerType::getUnqual(context)}, false);
  auto *wrapper = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, name, module);
  wrapper->addFnAttrs(llvm::AttrBuilder(context, body.getAttributes().getFnAttrs()));
  wrapper->removeFnAttr(llvm::Attribute::AlwaysInline);
  describeWrapper(module, body, *wrapper);
  // A program array's slots name the program, which is the wrapper now.
  body.replaceUsesWithIf(wrapper, [](llvm::Use &use) { return llvm::isa<llvm::Constant>(use.getUser()); });

  llvm::IRBuilder<> ir(llvm::BasicBlock::Create(context, "entry", wrapper));
  if (auto *info = wrapper->getSubprogram())
    ir.SetCurrentDebugLocation(llvm::DILocation::get(context, info->getLine(), 0, info));
  Wrapper w{wrapper, ir, wrapper->getArg(0)};
  auto args = readArguments(w, probe, typedCount, readInBody);
  std::vector<llvm::Value *> callArgs{args.bodyCtx};
  for (unsigned i = 0; i < typedCount; ++i) {
    auto value = convertArgument(w, args.raw[i], body.getArg(i + 1)->getType(), body, i);
    if (!value) return value.takeError();
    callArgs.push_back(*value);
  }
  auto *result = ir.CreateCall(&body, callArgs);
  if (type->getReturnType()->isVoidTy())
    ir.CreateRetVoid();
  else
    ir.CreateRet(result);
  return llvm::Error::success();
}

}  // namespace

const PtRegsLayout &x86_64PtRegs() {
  static constexpr PtRegsLayout layout{{112, 104, 96, 88, 72, 64}, {112, 104, 96, 56, 72, 64}, 80, 168};
  return layout;
}

llvm::Error lowerProbeArguments(llvm::Module &module, const std::vector<ProbeSpec> &probes) {
  llvm::StringSet<> wrapped;  // probes that share a function share its wrapper too
  for (const auto &probe : probes) {
    auto *body = module.getFunction(probe.function);
    if (!body || body->isDeclaration() || !wrapped.insert(probe.function).second) continue;
    const bool fromTracepoint = probe.arguments == ArgumentSource::SyscallEnterTracepoint ||
                                probe.arguments == ArgumentSource::SyscallExitTracepoint ||
                                probe.arguments == ArgumentSource::RawSyscallEnterRecord ||
                                probe.arguments == ArgumentSource::RawSyscallExitRecord;
    // A body without parameters ignores its context: nothing to adapt.
    if (body->arg_size() > 1 || (body->arg_size() == 1 && fromTracepoint))
      if (auto error = wrap(module, *body, probe)) return error;
  }
  return llvm::Error::success();
}

}  // namespace probecc
