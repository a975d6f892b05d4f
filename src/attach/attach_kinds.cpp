#include "attach/attach_kinds.h"

#include <array>
#include <cerrno>

#include "attach/attach.h"
#include "support/error.h"

namespace probecc {
namespace {

using K = ProbeKind;

struct Row {
  ProbeKind kind;
  const AttachKind &behaviour;
};
// Return probes share their entry twin's row: the kind table's onReturn tells them apart.
const std::array kRows{
    Row{K::Kprobe, kKernelFunctionRow},   Row{K::Kretprobe, kKernelFunctionRow},
    Row{K::Syscall, kSyscallRow},         Row{K::SyscallReturn, kSyscallRow},
    Row{K::Tracepoint, kTracepointRow},   Row{K::RawTracepoint, kRawTracepointRow},
    Row{K::TpBtf, kTpBtfRow},             Row{K::Fentry, kBtfFunctionRow},
    Row{K::Fexit, kBtfFunctionRow},       Row{K::Lsm, kLsmRow},
    Row{K::Uprobe, kUprobeRow},           Row{K::Uretprobe, kUprobeRow},
    Row{K::Usdt, kUsdtRow},               Row{K::PerfEvent, kPerfEventRow},
    Row{K::Other, kSectionRow},
};

}  // namespace

// A section probecc does not know: libbpf attaches it as the section says.
const AttachKind kSectionRow{attachBySection, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr};

bool hasAttachRow(ProbeKind kind) {
  for (const auto &row : kRows)
    if (row.kind == kind) return true;
  return false;
}

const AttachKind &attachKind(ProbeKind kind) {
  for (const auto &row : kRows)
    if (row.kind == kind) return row.behaviour;
  return kSectionRow;
}

bool attachesElsewhere(const bpf_program &program, const ProbeSpec &probe) {
  const char *section = bpf_program__section_name(&program);
  return section && probe.section() != section;
}

llvm::Error attachAtOwnTarget(bpf_program &program, const ProbeSpec &probe, const AttachEnv &env,
                              AttachedProbes &into) {
  const auto &row = attachKind(probe.kind);
  Attachment attachment = row.attachTarget ? row.attachTarget(program, probe, env) : Attachment{};
  if (!row.attachTarget) errno = EOPNOTSUPP;
  if (!attachment) return makeError(explainAttachFailure(probe, -errno, env.kernel));
  into.add(std::move(attachment), probe.kind);
  return llvm::Error::success();
}

llvm::Error attachBySection(bpf_program &program, const ProbeSpec &probe, const AttachEnv &env, AttachedProbes &into) {
  if (attachesElsewhere(program, probe)) return attachAtOwnTarget(program, probe, env, into);
  Attachment attachment{BpfLinkPtr(bpf_program__attach(&program)), {}};
  if (!attachment) return makeError(explainAttachFailure(probe, -errno, env.kernel));
  into.add(std::move(attachment), probe.kind);
  return llvm::Error::success();
}

}  // namespace probecc
