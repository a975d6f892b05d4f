#pragma once
// Syscall probes (syscall__NAME, kprobe__sys_NAME, kprobe____x64_sys_NAME, -a syscall:NAME, and
// kprobes on a syscall's kernel function) attach where this kernel allows: the syscall's kernel
// function under its arch prefix, or, on kernels without kprobes, the syscall's tracepoint.
#include <string>
#include <vector>

#include "kernel/syscalls.h"
#include "program/probe_kinds.h"

namespace probecc {

// Rewrites syscall probes in place; returns a note for each probe moved to a tracepoint.
std::vector<std::string> resolveSyscallProbes(std::vector<ProbeSpec> &probes, const SyscallSupport &support);

}  // namespace probecc
