#pragma once
// How syscalls appear in the kernel: their entry points (arch-prefixed functions holding the
// user's pt_regs, or plain sys_NAME), the functions that implement them, and their
// syscalls:sys_enter_NAME / sys_exit_NAME tracepoints.
#include <string>
#include <string_view>

#include "program/probe_kinds.h"
#include "program/syscall_support.h"

namespace probecc {

// The syscall entry-point prefix from /proc/kallsyms ("__x64_sys_" on x86_64 kernels with wrappers).
std::string syscallPrefixFromKallsyms(const std::string &kallsymsPath = "/proc/kallsyms");

// The syscall an entry point enters ("openat" for __x64_sys_openat or sys_openat), or "".
std::string syscallOfEntryPoint(std::string_view function);
// The syscall a probe is on ("openat" for syscall__openat or kprobe____x64_sys_openat), or "".
std::string syscallOf(const ProbeSpec &probe);
// The syscall a kernel function most likely implements (do_unlinkat, ksys_read, __x64_sys_openat
// → unlinkat, read, openat): for hints only.
std::string syscallImplementedBy(std::string_view function);

// "syscalls/sys_enter_NAME" (or sys_exit_NAME).
std::string syscallTracepoint(std::string_view syscall, bool onReturn);
// "NAME" for "syscalls/sys_enter_NAME", else "".
std::string syscallOfTracepoint(std::string_view categorySlashEvent);
// How many arguments the syscall's sys_enter record holds (those after __syscall_nr, at most 6).
unsigned syscallArgumentCount(const std::string &tracefs, std::string_view syscall);

}  // namespace probecc
