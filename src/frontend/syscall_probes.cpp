#include "frontend/syscall_probes.h"

#include <unistd.h>

#include <array>
#include <fstream>

namespace probecc {
namespace {

constexpr std::array kSyscallPrefixes{"__x64_sys_", "__arm64_sys_", "__s390x_sys_", "__riscv_sys_", "sys_"};

// The argument fields of a syscalls:sys_enter_* record: those after __syscall_nr, at offset 16 on.
unsigned countSyscallArgs(const std::string &formatPath) {
  std::ifstream format(formatPath);
  unsigned count = 0;
  for (std::string line; std::getline(format, line);) {
    const auto at = line.find("offset:");
    if (line.find("field:") != std::string::npos && at != std::string::npos && std::stoul(line.substr(at + 7)) >= 16)
      ++count;
  }
  return std::min(count, 6u);
}

bool isReturnProbe(ProbeKind kind) { return kind == ProbeKind::Kretprobe || kind == ProbeKind::SyscallReturn; }

}  // namespace

std::string syscallPrefixFromKallsyms(const std::string &kallsymsPath) {
  std::ifstream kallsyms(kallsymsPath);
  std::string address, type, symbol;
  // Every kernel has a bpf syscall; its name shows the prefix (BCC looks the same way).
  while (kallsyms >> address >> type >> symbol) {
    kallsyms.ignore(256, '\n');
    if (symbol.ends_with("sys_bpf"))
      for (const char *prefix : kSyscallPrefixes)
        if (symbol == std::string(prefix) + "bpf") return prefix;
  }
  return "sys_";
}

std::string syscallOf(const ProbeSpec &probe) {
  switch (probe.kind) {
    case ProbeKind::Syscall:
    case ProbeKind::SyscallReturn:
      return probe.target;
    case ProbeKind::Kprobe:
    case ProbeKind::Kretprobe:
      for (std::string_view prefix : kSyscallPrefixes)
        if (probe.target.starts_with(prefix) && probe.target.size() > prefix.size())
          return probe.target.substr(prefix.size());
      return "";
    default:
      return "";
  }
}

std::vector<std::string> resolveSyscallProbes(std::vector<ProbeSpec> &probes, const SyscallSupport &support) {
  std::vector<std::string> notes;
  for (auto &probe : probes) {
    const std::string name = syscallOf(probe);
    if (name.empty()) continue;
    const bool onReturn = isReturnProbe(probe.kind);
    if (support.kprobes) {
      probe.kind = onReturn ? ProbeKind::Kretprobe : ProbeKind::Kprobe;
      probe.target = support.prefix + name;
      // With syscall wrappers the function's only argument is the user's pt_regs.
      if (!onReturn)
        probe.arguments = support.prefix == "sys_" ? ArgumentSource::Registers : ArgumentSource::SyscallInnerRegs;
      continue;
    }
    const std::string event = std::string(onReturn ? "sys_exit_" : "sys_enter_") + name;
    if (access((support.tracefs + "/events/syscalls/" + event + "/id").c_str(), F_OK) != 0) continue;
    notes.push_back(probe.function + ": this kernel has no kprobes; using tracepoint syscalls:" + event +
                    " instead (same arguments" + (onReturn ? ", PT_REGS_RC(ctx) is the return value)" : ")"));
    probe.kind = ProbeKind::Tracepoint;
    probe.target = "syscalls/" + event;
    probe.arguments = onReturn ? ArgumentSource::SyscallExitTracepoint : ArgumentSource::SyscallEnterTracepoint;
    if (!onReturn) probe.syscallArgCount = countSyscallArgs(support.tracefs + "/events/syscalls/" + event + "/format");
  }
  return notes;
}

}  // namespace probecc
