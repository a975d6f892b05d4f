#pragma once
// What loading and attaching the probes needs of the process, checked before the kernel answers
// EPERM: CAP_BPF for any BPF program and map, CAP_PERFMON for tracing programs and their perf
// events (CAP_SYS_ADMIN stands for both), read access to tracefs for tracepoints. A missing one is
// one error naming it and the probe that needs it. Once attached, probecc keeps only what the
// session still uses.
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

#include "program/probe_kinds.h"
#include "support/diagnostics.h"

namespace probecc {

// Loading any program needs CAP_BPF (or CAP_SYS_ADMIN): checked before compiling `scriptName`.
llvm::Error checkLoadPrivilege(const std::string &scriptName);

llvm::Error checkProbePrivileges(const std::vector<ProbeSpec> &probes, const std::string &tracefs, bool tracePipe);

// Drops every capability but CAP_SYSLOG (kernel symbol names, read from /proc/kallsyms when a
// stack or probecc_ksym_t value is first printed), CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (user
// stacks: another process's /proc/PID/maps and binaries). Maps, buffers and links are fds already.
void dropCapabilitiesAfterAttach(Diagnostics &diagnostics);

}  // namespace probecc
