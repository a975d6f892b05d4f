#pragma once
// What this kernel can probe, by name: read on first use from tracefs, /proc/kallsyms and the
// kernel's BTF, each list sorted, for wildcard expansion, listing (-l) and did-you-mean.
#include <optional>
#include <string>
#include <vector>

#include "kernel/libbpf_handles.h"

struct btf;

namespace probecc {

// One line of -l: a probe as -a spells it ("tracepoint:sched:sched_switch"), with -v its BTF
// signature and a tracepoint's record fields (nullopt: the kind has none, or no -v).
struct ListedTarget {
  std::string probe;
  std::string signature;
  std::optional<std::vector<std::string>> fields;
};

class KernelTargets {
public:
  explicit KernelTargets(std::string tracefs, std::string btfPath = "/sys/kernel/btf/vmlinux",
                         std::string kallsymsPath = "/proc/kallsyms");
  KernelTargets(const KernelTargets &) = delete;
  KernelTargets &operator=(const KernelTargets &) = delete;

  // Functions the function tracer can hook (available_filter_functions): what kprobe_multi can
  // attach to, and what wildcards expand to. Empty when the file is unreadable (no ftrace).
  const std::vector<std::string> &ftraceFunctions();
  bool hasFtraceFunctions() { return !ftraceFunctions().empty(); }
  // Kernel text symbols from /proc/kallsyms (without __pfx_/__cfi_ padding and .cold parts).
  const std::vector<std::string> &kernelFunctions();
  // What a kprobe may name: ftraceFunctions() where readable, else kernelFunctions().
  const std::vector<std::string> &kprobeFunctions();
  const std::vector<std::string> &tracepoints();     // "category/event"
  const std::vector<std::string> &rawTracepoints();  // vmlinuxTracepoints() and the trace events' names
  // vmlinux's tracepoints, each with a btf_trace_NAME typedef in its BTF (no syscalls:*, no
  // dynamic or module events): the ones a raw tracepoint can attach to by name
  const std::vector<std::string> &vmlinuxTracepoints();
  const std::vector<std::string> &btfFunctions();    // BTF FUNCs: fentry/fexit targets
  const std::vector<std::string> &syscalls();        // "openat", from kallsyms and syscalls:sys_enter_*
  const btf *vmlinuxBtf();                           // nullptr without BTF
  const std::string &tracefs() const { return tracefs_; }
  const std::string &btfPath() const { return btfPath_; }

  static bool contains(const std::vector<std::string> &sorted, const std::string &name);

private:
  std::string tracefs_, btfPath_, kallsymsPath_;
  std::optional<std::vector<std::string>> ftrace_, kallsyms_, tracepoints_, raw_, vmlinuxTracepoints_, btfFunctions_,
      syscalls_;
  bool btfLoaded_ = false;
  BtfPtr btf_;
};

}  // namespace probecc
