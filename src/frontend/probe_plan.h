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
  Fentry, Fexit, Lsm, Uprobe, Uretprobe, Other,
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

struct ProbeSpec {
  std::string function;  // the C function that runs
  ProbeKind kind = ProbeKind::Other;
  std::string target;    // kprobe: function; tracepoint: "category/event"; uprobe: "path:symbol"
  std::string section() const;  // the libbpf section that attaches it
};

// A function named by BCC's convention (kprobe__do_unlinkat, tracepoint__sched__sched_switch, ...).
// nullopt: an ordinary function. Error: a probe prefix with a malformed rest.
llvm::Expected<std::optional<ProbeSpec>> planFromName(std::string_view function);

// A function with an explicit libbpf section, SEC("kprobe/do_unlinkat"). Unknown sections are Other.
ProbeSpec planFromSection(std::string_view function, std::string_view section);

// An explicit attachment from the command line: "kprobe:FUNC=fn", "tracepoint:CAT:EVENT=fn",
// "syscall:NAME=fn", "uprobe:PATH:SYMBOL=fn", ... (see attachOptionHelp()).
llvm::Expected<ProbeSpec> planFromAttachOption(std::string_view option);
std::string attachOptionHelp();

}  // namespace probecc
