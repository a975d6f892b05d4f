#pragma once
// What every phase knows about a probe: its kind (one table, probe_kinds.cpp, with a column for
// each question the phases ask of a kind) and the spec the frontend plans, the compiler keeps and
// the loader attaches.
#include <optional>
#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

#include "program/probe_target.h"

namespace probecc {

enum class ProbeKind {
  Kprobe, Kretprobe, Syscall, SyscallReturn, Tracepoint, RawTracepoint, TpBtf,
  Fentry, Fexit, Lsm, Uprobe, Uretprobe, Usdt, PerfEvent, Other,
};

// Where a probe's typed C arguments (after ctx) come from.
enum class ArgumentSource {
  None,               // the kind takes ctx alone (tracepoints: args->field)
  Registers,          // pt_regs of the probed function (kprobe, uprobe)
  SyscallInnerRegs,   // a syscall wrapper's pt_regs argument holds the user's registers
  SyscallEnterTracepoint,  // syscalls:sys_enter_NAME standing in for a kprobe: args[0..5]
  SyscallExitTracepoint,   // syscalls:sys_exit_NAME standing in for a kretprobe: ret
  BtfArray,           // fentry/fexit/lsm: ctx is an array of u64 arguments
  // raw_syscalls:sys_enter / sys_exit standing in for syscalls:sys_enter_* / sys_exit_*
  // tracepoints: the body reads the tracepoint's record, built on the stack (codegen/raw_syscalls.h)
  RawSyscallEnterRecord,
  RawSyscallExitRecord,
};

// What a kind's target names, and so where targets are looked up, listed and checked.
enum class TargetSpace {
  KernelFunction,  // /proc/kallsyms, available_filter_functions
  Syscall,         // a syscall's name, attached at its kernel function or tracepoint
  Tracepoint,      // "category/event" under tracefs events/
  RawTracepoint,   // a btf_trace_* name
  BtfFunction,     // a function in the kernel's BTF
  LsmHook,         // bpf_lsm_* in the kernel's BTF
  UserFunction,    // "path:symbol" in an ELF file
  UsdtProbe,       // "[path:][provider:]probe"
  PerfEvent,       // as perf_event_spec.h spells it
  None,
};

struct ProbeKindInfo {
  ProbeKind kind;
  std::string_view name;           // as users say it: "kprobe", "tracepoint", ...
  std::string_view sectionPrefix;  // libbpf's SEC() prefix, "kprobe/"
  TargetSpace targets;
  ArgumentSource arguments;        // before any syscall resolution
  bool onReturn;                   // runs when the target returns (PT_REGS_RC(ctx) is its value)
  bool readsKernelMemoryImplicitly;  // loads through kernel pointers become bpf_probe_read_kernel
  bool needsKprobes;               // the kernel must have CONFIG_KPROBES to attach it
  bool limitedByPid;               // -p PID narrows it to one process
  // The BTF-typed kind that runs at the same hook (kprobe → fentry, raw_tracepoint → tp_btf;
  // itself for those), so one of a pair of alternative programs can stand for the other. Other: none.
  ProbeKind btfTyped;
  bool targetAtAttach;             // the target is chosen when attaching: one program can serve several
  // Its links may be released from several threads at once (attach/attached_probes.h): each
  // release waits for an RCU grace period of its own, and those overlap. Not USDT: libbpf's USDT
  // manager, which every USDT link updates as it goes, is not thread-safe.
  bool releasesConcurrently;
};

const ProbeKindInfo &kindInfo(ProbeKind kind);
// A kind as -a and SEC() spell it ("kprobe", "tp", "raw_tp", "fentry", ...).
std::optional<ProbeKind> kindFromSpelling(std::string_view spelling);
// How -a spells a target of this kind, in words: "FUNC", "CAT:EVENT", "PATH:SYMBOL", ...
std::string_view targetPlaceholder(TargetSpace targets);

struct ProbeSpec {
  std::string function;  // the C function that runs
  ProbeKind kind = ProbeKind::Other;
  ProbeTarget target;    // parsed for its kind by parseTarget (probe_target.h)
  ArgumentSource arguments = ArgumentSource::None;
  // SyscallEnterTracepoint: how many arguments the syscall's tracepoint record holds (reading
  // past the record makes the kernel refuse the attach).
  unsigned syscallArgCount = 6;
  // false: a tail-call target (BPF_PROG_ARRAY_SLOTS), loaded with its caller's type, attached by nobody.
  bool attach = true;
  // Where the user wrote it, for errors: "FILE:LINE: " of the function, or "-a OPTION: ".
  std::string location{};
  // Planned from the program's SEC(): a libbpf tool's loader may choose such a target at run time
  // (SEC("kprobe/dummy_kprobe")), so a missing one says how to give it with -a.
  bool fromSection = false;
  // A raw_syscalls program (RawSyscall*Record): the syscalls tracepoint program whose targets it can
  // serve, and how many bytes of their record that program reads (nullopt: not known, so it serves
  // none; the kernel refuses a tracepoint whose record is shorter).
  std::string standsInFor{};
  std::optional<unsigned> recordBytesRead{};
  std::string section() const;  // the libbpf section that attaches it
  // Parses `text` as a target of this probe's kind (probe_target.h): the planner's one parse.
  llvm::Error setTarget(std::string_view text);
  const ProbeKindInfo &info() const { return kindInfo(kind); }
};

}  // namespace probecc
