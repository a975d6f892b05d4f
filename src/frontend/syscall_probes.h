#pragma once
// Syscall probes (syscall__NAME, kprobe__sys_NAME, kprobe____x64_sys_NAME, -a syscall:NAME, and
// kprobes on a syscall's kernel function) attach where this kernel allows: the syscall's kernel
// function under its arch prefix, or, on kernels without kprobes, the syscall's tracepoint.
#include <string>
#include <vector>

#include "frontend/probe_plan.h"

namespace probecc {

struct SyscallSupport {
  bool kprobes = true;      // CONFIG_KPROBES: kprobes can attach
  std::string tracefs;      // for the syscalls:sys_enter_* tracepoints
  std::string prefix;       // the kernel's syscall function prefix: "__x64_sys_", "sys_", ...
};

// The syscall function prefix from /proc/kallsyms ("__x64_sys_" on x86_64 kernels with wrappers).
std::string syscallPrefixFromKallsyms(const std::string &kallsymsPath = "/proc/kallsyms");

// The syscall a probe is on ("openat" for syscall__openat or kprobe____x64_sys_openat), or "".
std::string syscallOf(const ProbeSpec &probe);

// Rewrites syscall probes in place; returns a note for each probe moved to a tracepoint.
std::vector<std::string> resolveSyscallProbes(std::vector<ProbeSpec> &probes, const SyscallSupport &support);

}  // namespace probecc
