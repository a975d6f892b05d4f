#include "kernel/privileges.h"

#include <fcntl.h>
#include <linux/capability.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>

#include "support/capabilities.h"
#include "support/error.h"

namespace probecc {
namespace {

// What attaching each kind takes beyond CAP_BPF. Every kind probecc attaches is a tracing program
// (the kernel's is_perfmon_prog_type) and opens perf events or tracing links: CAP_PERFMON.
// Tracepoints are found by their tracefs id (events/CAT/EVENT/id), which only root may read where
// tracefs has its default mode 0700.
struct KindNeeds {
  ProbeKind kind;
  bool perfmon, tracefs;
};
constexpr bool R = true, _ = false;
constexpr std::array kNeeds{
    KindNeeds{ProbeKind::Kprobe, R, _},     KindNeeds{ProbeKind::Kretprobe, R, _},
    KindNeeds{ProbeKind::Syscall, R, _},    KindNeeds{ProbeKind::SyscallReturn, R, _},
    KindNeeds{ProbeKind::Tracepoint, R, R}, KindNeeds{ProbeKind::RawTracepoint, R, _},
    KindNeeds{ProbeKind::TpBtf, R, _},      KindNeeds{ProbeKind::Fentry, R, _},
    KindNeeds{ProbeKind::Fexit, R, _},      KindNeeds{ProbeKind::Lsm, R, _},
    KindNeeds{ProbeKind::Uprobe, R, _},     KindNeeds{ProbeKind::Uretprobe, R, _},
    KindNeeds{ProbeKind::Usdt, R, _},       KindNeeds{ProbeKind::PerfEvent, R, _},
    KindNeeds{ProbeKind::Other, _, _},
};

KindNeeds needsOf(const ProbeSpec &probe) {
  KindNeeds needs{probe.kind, _, _};
  for (const auto &row : kNeeds)
    if (row.kind == probe.kind) needs = row;
  // A syscall probe on a kernel without kprobes runs from the syscall's tracepoint.
  if (probe.arguments == ArgumentSource::SyscallEnterTracepoint || probe.arguments == ArgumentSource::SyscallExitTracepoint)
    needs.tracefs = true;
  return needs;
}

std::string describe(const ProbeSpec &probe) {
  std::string text = probe.function + " (" + std::string(probe.info().name);
  // appended apart: GCC 12 warns (-Wrestrict, falsely) of " " + a temporary string
  if (!probe.target.empty()) text.append(" ").append(probe.target.text());
  return text + ")";
}

llvm::Error missing(const ProbeSpec &probe, const std::string &what) {
  return makeError(describe(probe) + " needs " + what + ", which probecc does not have (it has: " + heldCapabilities() +
                   "); run it as root or give it the capabilities README's \"Capabilities\" lists");
}

}  // namespace

llvm::Error checkLoadPrivilege(const std::string &scriptName) {
  if (hasCapability(CAP_BPF) || hasCapability(CAP_SYS_ADMIN)) return llvm::Error::success();
  return makeError("loading the programs of " + scriptName + " needs CAP_BPF (or CAP_SYS_ADMIN), which probecc does not have (it has: " +
                   heldCapabilities() + "); run it as root or give it the capabilities README's \"Capabilities\" lists");
}

llvm::Error checkProbePrivileges(const std::vector<ProbeSpec> &probes, const std::string &tracefs, bool tracePipe) {
  if (probes.empty()) return llvm::Error::success();
  const bool admin = hasCapability(CAP_SYS_ADMIN);
  if (!admin && !hasCapability(CAP_BPF)) return missing(probes.front(), "CAP_BPF (or CAP_SYS_ADMIN) to be loaded");
  const bool perfmon = admin || hasCapability(CAP_PERFMON);
  const std::string events = tracefs + "/events";
  const bool tracefsReadable = faccessat(AT_FDCWD, events.c_str(), R_OK | X_OK, AT_EACCESS) == 0;
  const int tracefsError = errno;
  for (const auto &probe : probes) {
    if (!probe.attach) continue;
    const auto needs = needsOf(probe);
    if (needs.perfmon && !perfmon) return missing(probe, "CAP_PERFMON (or CAP_SYS_ADMIN) to be loaded and attached");
    if (needs.tracefs && !tracefsReadable)
      return makeError(describe(probe) + " needs to read tracefs for the tracepoint's id, and " + events + " is not readable (" +
                       std::strerror(tracefsError) + "): give probecc CAP_DAC_READ_SEARCH, or mount tracefs with a " +
                       "group it is in (mount -o remount,gid=GID,mode=0750 " + tracefs + ")");
  }
  if (tracePipe && faccessat(AT_FDCWD, (tracefs + "/trace_pipe").c_str(), R_OK, AT_EACCESS) != 0)
    return makeError("--trace-pipe needs to read " + tracefs + "/trace_pipe (" + std::strerror(errno) +
                     "): give probecc CAP_DAC_READ_SEARCH, or leave --trace-pipe out");
  return llvm::Error::success();
}

void dropCapabilitiesAfterAttach(Diagnostics &diagnostics) {
  if (auto error = keepOnlyCapabilities({CAP_SYSLOG, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH}))
    diagnostics.warning("keeping every capability: " + llvm::toString(std::move(error)));
  else
    diagnostics.verbose("attached; capabilities kept: " + heldCapabilities());
}

}  // namespace probecc
