#pragma once
// How syscall probes can attach on this kernel (kernel/syscalls.h finds out).
#include <string>

namespace probecc {

struct SyscallSupport {
  bool kprobes = true;      // CONFIG_KPROBES: kprobes can attach
  std::string tracefs;      // for the syscalls:sys_enter_* tracepoints
  std::string prefix;       // the kernel's syscall function prefix: "__x64_sys_", "sys_", ...
};

}  // namespace probecc
