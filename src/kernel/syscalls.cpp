#include "kernel/syscalls.h"

#include <algorithm>
#include <array>
#include <fstream>

#include "kernel/arch.h"
#include "kernel/tracefs.h"

namespace probecc {
namespace {

// Entry points without an arch prefix (kernels without syscall wrappers).
constexpr std::string_view kPlainPrefix = "sys_";
// What else implements a syscall, tried after the entry points.
constexpr std::array<std::string_view, 6> kImplementationPrefixes{"__ia32_sys_", "__se_sys_", "__do_sys_",
                                                                  "ksys_", "do_sys_", "do_"};
constexpr std::string_view kEnterPrefix = "syscalls/sys_enter_";
constexpr std::string_view kExitPrefix = "syscalls/sys_exit_";

std::string afterPrefix(std::string_view name, std::string_view prefix) {
  return name.starts_with(prefix) && name.size() > prefix.size() ? std::string(name.substr(prefix.size())) : "";
}

}  // namespace

std::string syscallPrefixFromKallsyms(const std::string &kallsymsPath) {
  std::ifstream kallsyms(kallsymsPath);
  std::string address, type, symbol;
  // Every kernel has a bpf syscall; its name shows the prefix (BCC looks the same way).
  while (kallsyms >> address >> type >> symbol) {
    kallsyms.ignore(256, '\n');
    if (!symbol.ends_with("sys_bpf")) continue;
    for (const auto &arch : knownArches())
      if (symbol == std::string(arch.syscallPrefix) + "bpf") return std::string(arch.syscallPrefix);
  }
  return std::string(kPlainPrefix);
}

std::string syscallOfEntryPoint(std::string_view function) {
  for (const auto &arch : knownArches())
    if (auto name = afterPrefix(function, arch.syscallPrefix); !name.empty()) return name;
  return afterPrefix(function, kPlainPrefix);
}

std::string syscallOf(const ProbeSpec &probe) {
  const auto *name = probe.target.as<KernelName>();
  if (!name) return "";
  if (probe.info().targets == TargetSpace::Syscall) return name->name;
  return probe.info().targets == TargetSpace::KernelFunction ? syscallOfEntryPoint(name->name) : "";
}

std::string syscallImplementedBy(std::string_view function) {
  if (auto name = syscallOfEntryPoint(function); !name.empty()) return name;
  for (auto prefix : kImplementationPrefixes)
    if (auto name = afterPrefix(function, prefix); !name.empty()) return name;
  return std::string(function);
}

std::string syscallTracepoint(std::string_view syscall, bool onReturn) {
  return std::string(onReturn ? kExitPrefix : kEnterPrefix) + std::string(syscall);
}

std::string syscallOfTracepoint(std::string_view categorySlashEvent) {
  return afterPrefix(categorySlashEvent, kEnterPrefix);
}

unsigned syscallArgumentCount(const std::string &tracefs, std::string_view syscall) {
  std::ifstream format(tracepointFormatPath(tracefs, syscallTracepoint(syscall, false)));
  unsigned count = 0;
  for (std::string line; std::getline(format, line);) {
    const auto at = line.find("offset:");
    if (line.find("field:") != std::string::npos && at != std::string::npos && std::stoul(line.substr(at + 7)) >= 16)
      ++count;
  }
  return std::min(count, 6u);
}

}  // namespace probecc
