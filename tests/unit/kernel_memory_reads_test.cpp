// Loads through kernel pointers → bpf_probe_read_kernel, on hand-written IR shaped like Clang's -O2
// output for BPF, and once on IR that Clang and probecc's pipeline made from real C.
#include "codegen/kernel_memory_reads.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>

#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/ValueSymbolTable.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include "codegen/bpf_emitter.h"
#include "codegen/optimize.h"
#include "codegen/probe_arguments.h"
#include "codegen/probe_functions.h"
#include "frontend/clang_compiler.h"
#include "frontend/kernel_types.h"

using namespace probecc;

namespace {

constexpr uint64_t kProbeReadKernel = 113;

const char *const kHeader = R"(
target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"
target triple = "bpfel"
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare ptr @llvm.bpf.passthrough.p0.p0(i32, ptr)
)";

std::optional<uint64_t> helperId(const llvm::Instruction &inst) {
  const auto *call = llvm::dyn_cast<llvm::CallBase>(&inst);
  const auto *address = call ? llvm::dyn_cast<llvm::ConstantExpr>(call->getCalledOperand()) : nullptr;
  if (!address || address->getOpcode() != llvm::Instruction::IntToPtr) return std::nullopt;
  return llvm::cast<llvm::ConstantInt>(address->getOperand(0))->getZExtValue();
}

std::vector<llvm::CallBase *> helperCalls(llvm::Function &function, uint64_t id) {
  std::vector<llvm::CallBase *> calls;
  for (auto &inst : llvm::instructions(function))
    if (helperId(inst) == id) calls.push_back(llvm::cast<llvm::CallBase>(&inst));
  return calls;
}

// "" for success.
std::string errorText(llvm::Error error) { return error ? llvm::toString(std::move(error)) : ""; }

std::string verify(llvm::Module &module) {
  std::string problems;
  llvm::raw_string_ostream stream(problems);
  llvm::verifyModule(module, &stream);
  return problems;
}

class KernelMemoryReads : public ::testing::Test {
protected:
  llvm::Module &parse(const std::string &body) {
    llvm::SMDiagnostic diagnostic;
    module = llvm::parseAssemblyString(kHeader + body, diagnostic, context);
    if (!module) {
      std::string text;
      llvm::raw_string_ostream stream(text);
      diagnostic.print("test.ll", stream);
      ADD_FAILURE() << text;
      module = std::make_unique<llvm::Module>("empty", context);
    }
    return *module;
  }

  // Rewrites with `probe` as the one program; the result must still be valid IR.
  llvm::Error rewrite() {
    auto error = rewriteKernelMemoryReads(*module, {module->getFunction("probe")});
    EXPECT_EQ(verify(*module), "");
    return error;
  }

  llvm::Function &function(const char *name = "probe") { return *module->getFunction(name); }
  size_t reads(const char *name = "probe") { return helperCalls(function(name), kProbeReadKernel).size(); }

  // The value named `name` is now loaded from a slot that bpf_probe_read_kernel filled.
  bool readThroughHelper(const char *value, const char *name = "probe") {
    auto *load = llvm::dyn_cast_or_null<llvm::LoadInst>(function(name).getValueSymbolTable()->lookup(value));
    auto *slot = load ? llvm::dyn_cast<llvm::AllocaInst>(load->getPointerOperand()) : nullptr;
    if (!slot) return false;
    return llvm::any_of(slot->users(), [&](llvm::User *user) {
      auto *call = llvm::dyn_cast<llvm::CallBase>(user);
      return call && helperId(*call) == kProbeReadKernel && call->getArgOperand(0) == slot;
    });
  }

  // The value named `name` is still an ordinary load (from its own address, not a helper's slot).
  bool directLoad(const char *value) {
    auto *load = llvm::dyn_cast_or_null<llvm::LoadInst>(function().getValueSymbolTable()->lookup(value));
    return load && !load->getPointerOperand()->getName().starts_with("kernel.read");
  }

  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module;
};

}  // namespace

TEST_F(KernelMemoryReads, PointerFromPtRegsIsReadThroughHelperAndChasedTwoLevels) {
  parse(R"(
define i32 @probe(ptr %ctx) {
  %parm1.addr = getelementptr i8, ptr %ctx, i64 112
  %parm1 = load i64, ptr %parm1.addr
  %file = inttoptr i64 %parm1 to ptr
  %dentry.addr = getelementptr i8, ptr %file, i64 24
  %dentry = load ptr, ptr %dentry.addr
  %len.addr = getelementptr i8, ptr %dentry, i64 36
  %len = load i32, ptr %len.addr
  ret i32 %len
}
)");
  ASSERT_EQ(errorText(rewrite()), "");
  EXPECT_EQ(reads(), 2u);
  EXPECT_TRUE(directLoad("parm1"));  // from the context itself
  EXPECT_TRUE(readThroughHelper("dentry"));
  EXPECT_TRUE(readThroughHelper("len"));
  // The size read is the loaded type's; the source is the original address.
  auto calls = helperCalls(function(), kProbeReadKernel);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(llvm::cast<llvm::ConstantInt>(calls[0]->getArgOperand(1))->getZExtValue(), 8u);
  EXPECT_EQ(calls[0]->getArgOperand(2)->getName(), "dentry.addr");
  EXPECT_EQ(llvm::cast<llvm::ConstantInt>(calls[1]->getArgOperand(1))->getZExtValue(), 4u);
  EXPECT_TRUE(calls[0]->onlyAccessesArgMemory());
  // Slots live only around their read.
  size_t lifetimes = 0;
  for (auto &inst : llvm::instructions(function()))
    if (auto *intrinsic = llvm::dyn_cast<llvm::IntrinsicInst>(&inst))
      lifetimes += intrinsic->isLifetimeStartOrEnd();
  EXPECT_EQ(lifetimes, 4u);
}

TEST_F(KernelMemoryReads, LoadsFromTheContextStackAndMapValuesStayDirect) {
  parse(R"(
@counts = global ptr null, section ".maps"
define i64 @probe(ptr %ctx) {
  %key = alloca i64
  %regs.addr = getelementptr i8, ptr %ctx, i64 80
  %regs = load i64, ptr %regs.addr
  store i64 7, ptr %key
  %local = load i64, ptr %key
  %value = call ptr inttoptr (i64 1 to ptr)(ptr @counts, ptr %key)
  %count = load i64, ptr %value
  %next = add i64 %count, 1
  store i64 %next, ptr %value
  %sum = add i64 %regs, %local
  ret i64 %sum
}
)");
  ASSERT_EQ(errorText(rewrite()), "");
  EXPECT_EQ(reads(), 0u);
  EXPECT_TRUE(directLoad("regs"));
  EXPECT_TRUE(directLoad("local"));
  EXPECT_TRUE(directLoad("count"));
}

TEST_F(KernelMemoryReads, KernelValueAsIndexOfStackArrayStaysLocal) {
  parse(R"(
define i8 @probe(ptr %ctx) {
  %buffer = alloca [16 x i8]
  %arg = load i64, ptr %ctx
  %index = and i64 %arg, 15
  %element = getelementptr i8, ptr %buffer, i64 %index
  store i8 1, ptr %element
  %byte = load i8, ptr %element
  ret i8 %byte
}
)");
  ASSERT_EQ(errorText(rewrite()), "");
  EXPECT_EQ(reads(), 0u);
}

TEST_F(KernelMemoryReads, TaintFlowsThroughPhiAndSelect) {
  parse(R"(
define i32 @probe(ptr %ctx, i1 %which) {
entry:
  %a = load ptr, ptr %ctx
  %b.addr = getelementptr i8, ptr %ctx, i64 8
  %b = load ptr, ptr %b.addr
  br i1 %which, label %left, label %right
left:
  br label %join
right:
  br label %join
join:
  %phi = phi ptr [ %a, %left ], [ %b, %right ]
  %x = load i32, ptr %phi
  %chosen = select i1 %which, ptr %a, ptr %b
  %y = load i32, ptr %chosen
  %sum = add i32 %x, %y
  ret i32 %sum
}
)");
  ASSERT_EQ(errorText(rewrite()), "");
  EXPECT_EQ(reads(), 2u);
  EXPECT_TRUE(readThroughHelper("x"));
  EXPECT_TRUE(readThroughHelper("y"));
}

TEST_F(KernelMemoryReads, TaintFlowsThroughStackVariables) {
  parse(R"(
define i32 @probe(ptr %ctx) {
  %saved = alloca ptr
  %copied = alloca ptr
  %filled = alloca ptr
  %task = load ptr, ptr %ctx
  store ptr %task, ptr %saved
  %back = load ptr, ptr %saved
  %x = load i32, ptr %back
  call void @llvm.memcpy.p0.p0.i64(ptr %copied, ptr %saved, i64 8, i1 false)
  %again = load ptr, ptr %copied
  %y = load i32, ptr %again
  %parent.addr = getelementptr i8, ptr %task, i64 16
  %ignored = call i64 inttoptr (i64 4 to ptr)(ptr %filled, i32 8, ptr %parent.addr)
  %parent = load ptr, ptr %filled
  %z = load i32, ptr %parent
  %xy = add i32 %x, %y
  %sum = add i32 %xy, %z
  ret i32 %sum
}
)");
  ASSERT_EQ(errorText(rewrite()), "");
  EXPECT_TRUE(directLoad("back"));
  EXPECT_TRUE(directLoad("again"));
  EXPECT_TRUE(directLoad("parent"));
  EXPECT_TRUE(readThroughHelper("x"));
  EXPECT_TRUE(readThroughHelper("y"));
  EXPECT_TRUE(readThroughHelper("z"));
  EXPECT_EQ(reads(), 3u);
}

TEST_F(KernelMemoryReads, InternalFunctionsGetKernelParametersAndReturnKernelValues) {
  parse(R"(
define internal ptr @dentry_of(ptr %file, ptr %local) noinline {
  %dentry.addr = getelementptr i8, ptr %file, i64 24
  %dentry = load ptr, ptr %dentry.addr
  %unused = load i32, ptr %local
  ret ptr %dentry
}
define i32 @probe(ptr %ctx) {
  %local = alloca i32
  store i32 0, ptr %local
  %file = load ptr, ptr %ctx
  %dentry = call ptr @dentry_of(ptr %file, ptr %local)
  %len = load i32, ptr %dentry
  ret i32 %len
}
)");
  ASSERT_EQ(errorText(rewrite()), "");
  EXPECT_TRUE(readThroughHelper("dentry", "dentry_of"));
  EXPECT_EQ(reads("dentry_of"), 1u);  // not %local's load
  EXPECT_TRUE(readThroughHelper("len"));
}

TEST_F(KernelMemoryReads, PointersSavedInAMapByOneProbeAreKernelPointersInAnother) {
  parse(R"(
@currsock = global ptr null, section ".maps"
@counts = global ptr null, section ".maps"
define i32 @entry(ptr %ctx) {
  %tid = alloca i32
  %saved = alloca ptr
  store i32 1, ptr %tid
  %sk.addr = getelementptr i8, ptr %ctx, i64 112
  %sk = load ptr, ptr %sk.addr
  store ptr %sk, ptr %saved
  %ignored = call i64 inttoptr (i64 2 to ptr)(ptr @currsock, ptr %tid, ptr %saved, i64 0)
  ret i32 0
}
define i32 @probe(ptr %ctx) {
  %tid = alloca i32
  store i32 1, ptr %tid
  %skpp = call ptr inttoptr (i64 1 to ptr)(ptr @currsock, ptr %tid)
  %skp = load ptr, ptr %skpp
  %dport.addr = getelementptr i8, ptr %skp, i64 12
  %dport = load i16, ptr %dport.addr
  %count.ptr = call ptr inttoptr (i64 1 to ptr)(ptr @counts, ptr %tid)
  %count = load ptr, ptr %count.ptr
  %other = load i16, ptr %count
  %sum = add i16 %dport, %other
  %result = zext i16 %sum to i32
  ret i32 %result
}
)");
  ASSERT_EQ(errorText(rewriteKernelMemoryReads(*module, {module->getFunction("entry"), module->getFunction("probe")})),
            "");
  EXPECT_EQ(verify(*module), "");
  EXPECT_TRUE(directLoad("skp"));  // from the map's value
  EXPECT_TRUE(readThroughHelper("dport"));
  EXPECT_TRUE(directLoad("other"));  // @counts never held kernel pointers
  EXPECT_EQ(reads(), 1u);
}

TEST_F(KernelMemoryReads, MemcpyFromKernelPointerBecomesOneHelperCall) {
  parse(R"(
define i64 @probe(ptr %ctx) {
  %comm = alloca [16 x i8]
  %task = load ptr, ptr %ctx
  %comm.addr = getelementptr i8, ptr %task, i64 1000
  call void @llvm.memcpy.p0.p0.i64(ptr %comm, ptr %comm.addr, i64 16, i1 false)
  %first = load i64, ptr %comm
  ret i64 %first
}
)");
  ASSERT_EQ(errorText(rewrite()), "");
  auto calls = helperCalls(function(), kProbeReadKernel);
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0]->getArgOperand(0)->getName(), "comm");
  EXPECT_EQ(llvm::cast<llvm::ConstantInt>(calls[0]->getArgOperand(1))->getZExtValue(), 16u);
  EXPECT_EQ(calls[0]->getArgOperand(2)->getName(), "comm.addr");
  for (auto &inst : llvm::instructions(function())) EXPECT_FALSE(llvm::isa<llvm::MemTransferInst>(inst));
  EXPECT_TRUE(directLoad("first"));
}

TEST_F(KernelMemoryReads, CurrentTaskAndCoreAccessesAreRead) {
  parse(R"(
@"llvm.task_struct:0:2384$0:75" = external global i64
define i32 @probe(ptr %ctx) {
  %current = call i64 inttoptr (i64 35 to ptr)()
  %task = inttoptr i64 %current to ptr
  %offset = load i64, ptr @"llvm.task_struct:0:2384$0:75"
  %field = getelementptr i8, ptr %task, i64 %offset
  %relocated = call ptr @llvm.bpf.passthrough.p0.p0(i32 0, ptr %field)
  %pid = load i32, ptr %relocated
  ret i32 %pid
}
)");
  ASSERT_EQ(errorText(rewrite()), "");
  EXPECT_EQ(reads(), 1u);
  EXPECT_TRUE(readThroughHelper("pid"));
  EXPECT_TRUE(directLoad("offset"));
}

TEST_F(KernelMemoryReads, RawTracepointArgumentsAreKernelPointers) {
  parse(R"(
define i32 @probe(ptr %ctx) {
  %arg1.addr = getelementptr [0 x i64], ptr %ctx, i64 0, i64 1
  %arg1 = load i64, ptr %arg1.addr
  %regs = inttoptr i64 %arg1 to ptr
  %field.addr = getelementptr i8, ptr %regs, i64 120
  %field = load i64, ptr %field.addr
  %value = trunc i64 %field to i32
  ret i32 %value
}
)");
  ASSERT_EQ(errorText(rewrite()), "");
  EXPECT_TRUE(directLoad("arg1"));
  EXPECT_TRUE(readThroughHelper("field"));
}

TEST_F(KernelMemoryReads, WriteThroughKernelPointerIsAnErrorAtItsSourceLine) {
  parse(R"(
define void @probe(ptr %ctx) !dbg !2 {
  %file = load ptr, ptr %ctx, !dbg !7
  %flags = load i32, ptr %file, !dbg !7
  store i32 0, ptr %file, !dbg !8
  ret void
}
!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!5, !6}
!0 = distinct !DICompileUnit(language: DW_LANG_C99, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "file.c", directory: "/tmp")
!2 = distinct !DISubprogram(name: "probe", scope: !1, file: !1, line: 3, type: !3, scopeLine: 3, spFlags: DISPFlagDefinition, unit: !0)
!3 = !DISubroutineType(types: !4)
!4 = !{}
!5 = !{i32 2, !"Debug Info Version", i32 3}
!6 = !{i32 7, !"Dwarf Version", i32 5}
!7 = !DILocation(line: 5, column: 9, scope: !2)
!8 = !DILocation(line: 7, column: 12, scope: !2)
)");
  const auto message = errorText(rewrite());
  EXPECT_EQ(message.rfind("file.c:7:12: ", 0), 0u) << message;
  EXPECT_NE(message.find("cannot write kernel memory"), std::string::npos) << message;
  EXPECT_EQ(reads(), 0u);  // refused before changing anything
}

TEST_F(KernelMemoryReads, MemsetAndAtomicsThroughKernelPointerAreErrors) {
  parse(R"(
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
define void @probe(ptr %ctx) {
  %file = load ptr, ptr %ctx
  call void @llvm.memset.p0.i64(ptr %file, i8 0, i64 8, i1 false)
  ret void
}
define void @other(ptr %ctx) {
  %file = load ptr, ptr %ctx
  %old = atomicrmw add ptr %file, i64 1 seq_cst
  ret void
}
)");
  EXPECT_NE(errorText(rewrite()).find("cannot write"), std::string::npos);
  EXPECT_NE(errorText(rewriteKernelMemoryReads(*module, {module->getFunction("other")})).find("cannot write"),
            std::string::npos);
}

TEST_F(KernelMemoryReads, DebugLocationIsKeptAndSecondRunChangesNothing) {
  parse(R"(
define i32 @probe(ptr %ctx) !dbg !2 {
  %task = load ptr, ptr %ctx, !dbg !7
  %pid = load i32, ptr %task, !dbg !7
  ret i32 %pid
}
!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!5, !6}
!0 = distinct !DICompileUnit(language: DW_LANG_C99, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "file.c", directory: "/tmp")
!2 = distinct !DISubprogram(name: "probe", scope: !1, file: !1, line: 3, type: !3, scopeLine: 3, spFlags: DISPFlagDefinition, unit: !0)
!3 = !DISubroutineType(types: !4)
!4 = !{}
!5 = !{i32 2, !"Debug Info Version", i32 3}
!6 = !{i32 7, !"Dwarf Version", i32 5}
!7 = !DILocation(line: 5, column: 9, scope: !2)
)");
  ASSERT_EQ(errorText(rewrite()), "");
  auto calls = helperCalls(function(), kProbeReadKernel);
  ASSERT_EQ(calls.size(), 1u);
  ASSERT_TRUE(calls[0]->getDebugLoc());
  EXPECT_EQ(calls[0]->getDebugLoc().getLine(), 5u);
  EXPECT_EQ(calls[0]->getDebugLoc().getCol(), 9u);
  auto *pid = llvm::cast<llvm::Instruction>(function().getValueSymbolTable()->lookup("pid"));
  EXPECT_EQ(pid->getDebugLoc().getLine(), 5u);

  const auto instructions = function().getInstructionCount();
  ASSERT_EQ(errorText(rewrite()), "");
  EXPECT_EQ(reads(), 1u);
  EXPECT_EQ(function().getInstructionCount(), instructions);
}

TEST_F(KernelMemoryReads, FunctionsNotReachedFromProgramsAreUntouched) {
  parse(R"(
define i32 @probe(ptr %ctx) {
  ret i32 0
}
define i32 @uprobe(ptr %ctx) {
  %p = load ptr, ptr %ctx
  %v = load i32, ptr %p
  ret i32 %v
}
)");
  ASSERT_EQ(errorText(rewrite()), "");
  EXPECT_EQ(reads("uprobe"), 0u);
}

// Real Clang output through probecc's pipeline (the pass is called here, not from the pipeline).
TEST(KernelMemoryReadsFromC, KprobeFieldChainsCompileToHelperReads) {
  if (!std::filesystem::exists("/sys/kernel/btf/vmlinux"))
    GTEST_SKIP() << "needs /sys/kernel/btf/vmlinux for kernel types";
  KernelTypesRequest types;
  types.preferBtf = true;
  auto kernel = discoverKernelTypes(types);
  ASSERT_TRUE(static_cast<bool>(kernel)) << llvm::toString(kernel.takeError());
  auto header = dumpVmlinuxHeader(kernel->btfPath);
  ASSERT_TRUE(static_cast<bool>(header)) << llvm::toString(header.takeError());
  CompileRequest request{{"probe.c", R"(
static __attribute__((noinline)) u32 name_length(struct dentry *dentry) { return dentry->d_name.len; }
int kprobe__vfs_read(struct pt_regs *ctx) {
  struct file *file = (struct file *)PT_REGS_PARM1(ctx);
  struct dentry *dentry = file->f_path.dentry;
  struct task_struct *task = (struct task_struct *)bpf_get_current_task();
  char name[16];
  __builtin_memcpy(name, task->comm, sizeof(name));
  bpf_trace_printk("%s %d %d\n", name, name_length(dentry), task->real_parent->tgid);
  return 0;
}
)"},
                         *kernel, *header, "", {}, {}, false, {}};
  auto compiled = compileToIR(request);
  ASSERT_TRUE(static_cast<bool>(compiled)) << llvm::toString(compiled.takeError());
  auto &module = *compiled->module;
  auto probes = planProbes(module, {});
  ASSERT_TRUE(static_cast<bool>(probes)) << llvm::toString(probes.takeError());
  auto target = createBpfTargetMachine();
  ASSERT_TRUE(static_cast<bool>(target)) << llvm::toString(target.takeError());
  retargetToBpf(module, **target);
  ASSERT_EQ(errorText(lowerProbeArguments(module, *probes)), "");
  applyProbePlan(module, *probes);
  optimize(module, **target);

  auto *probe = module.getFunction("kprobe__vfs_read");
  ASSERT_TRUE(probe);
  ASSERT_EQ(errorText(rewriteKernelMemoryReads(module, {probe})), "");
  EXPECT_EQ(verify(module), "");
  // file->f_path.dentry, task->comm (memcpy), task->real_parent, ->tgid, and d_name.len in the helper
  size_t reads = 0;
  for (auto &function : module) reads += helperCalls(function, kProbeReadKernel).size();
  EXPECT_GE(reads, 5u);
  auto object = emit(module, **target, EmitKind::Object);
  ASSERT_TRUE(static_cast<bool>(object)) << llvm::toString(object.takeError());
  EXPECT_FALSE(object->empty());
}
