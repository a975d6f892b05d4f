#pragma once
// BCC naming → probe plan: which C functions are probes, of what kind, attached where.
// One table (probe_plan.cpp) maps BCC name prefixes, libbpf SEC() prefixes and -a spellings to kinds.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <llvm/Support/Error.h>

namespace probecc {

enum class ProbeKind {
  Kprobe, Kretprobe, Syscall, SyscallReturn, Tracepoint, RawTracepoint, TpBtf,
  Fentry, Fexit, Lsm, Uprobe, Uretprobe, Usdt, PerfEvent, Other,
};

struct ProbeKindInfo {
  ProbeKind kind;
  std::string_view name;           // as users say it: "kprobe", "tracepoint", ...
  std::string_view sectionPrefix;  // libbpf's SEC() prefix, "kprobe/"
  bool readsKernelMemoryImplicitly;  // loads through kernel pointers become bpf_probe_read_kernel
  bool argsFromRegisters;          // typed C arguments come from pt_regs
  bool needsKprobes;               // the kernel must have CONFIG_KPROBES to attach it
};

const ProbeKindInfo &kindInfo(ProbeKind kind);
// A kind as -a and SEC() spell it ("kprobe", "tp", "raw_tp", "fentry", ...).
std::optional<ProbeKind> kindFromSpelling(std::string_view spelling);

// Where a probe's typed C arguments (after ctx) come from.
enum class ArgumentSource {
  None,               // the kind takes ctx alone (tracepoints: args->field)
  Registers,          // pt_regs of the probed function (kprobe, uprobe)
  SyscallInnerRegs,   // a syscall wrapper's pt_regs argument holds the user's registers
  SyscallEnterTracepoint,  // syscalls:sys_enter_NAME standing in for a kprobe: args[0..5]
  SyscallExitTracepoint,   // syscalls:sys_exit_NAME standing in for a kretprobe: ret
  BtfArray,           // fentry/fexit/lsm: ctx is an array of u64 arguments
};

struct ProbeSpec {
  std::string function;  // the C function that runs
  ProbeKind kind = ProbeKind::Other;
  std::string target;    // kprobe: function; tracepoint: "category/event"; uprobe: "path:symbol";
                         // usdt: "[path:][provider:]probe"; perf event: as perf_event_spec.h spells it
  ArgumentSource arguments = ArgumentSource::None;
  // SyscallEnterTracepoint: how many arguments the syscall's tracepoint record holds (reading
  // past the record makes the kernel refuse the attach).
  unsigned syscallArgCount = 6;
  // false: a tail-call target (BPF_PROG_ARRAY_SLOTS), loaded with its caller's type, attached by nobody.
  bool attach = true;
  // Where the user wrote it, for errors: "FILE:LINE: " of the function, or "-a OPTION: ".
  std::string location{};
  std::string section() const;  // the libbpf section that attaches it
};

// The argument source a kind has before any syscall resolution.
ArgumentSource defaultArguments(ProbeKind kind);

// A function named by BCC's convention (kprobe__do_unlinkat, tracepoint__sched__sched_switch, ...).
// nullopt: an ordinary function. Error: a probe prefix with a malformed rest.
llvm::Expected<std::optional<ProbeSpec>> planFromName(std::string_view function);

// A function with an explicit libbpf section, SEC("kprobe/do_unlinkat"). Unknown sections are Other.
ProbeSpec planFromSection(std::string_view function, std::string_view section);

// An explicit attachment from the command line: "kprobe:FUNC=fn", "tracepoint:CAT:EVENT=fn",
// "syscall:NAME=fn", "uprobe:PATH:SYMBOL=fn", ... (see attachOptionHelp()).
llvm::Expected<ProbeSpec> planFromAttachOption(std::string_view option);
std::string attachOptionHelp();

// What to say about a program with nothing to attach.
std::string noProbeMessage();

}  // namespace probecc
