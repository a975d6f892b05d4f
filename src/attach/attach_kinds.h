#pragma once
// One row per probe kind with what the loader does for it, in the spirit of libbpf's SEC_DEF
// table: attach it, attach it at one target, expand a wildcard, say whether a target exists (and
// what is near), list the targets there are, explain a refusal. program/probe_kinds.cpp names the
// kinds; these rows are their behaviour, one file per family (attach_kernel_functions.cpp,
// attach_tracepoints.cpp, attach_user.cpp, perf_events.cpp). Adding a kind is adding a row.
#include <sys/types.h>

#include <optional>
#include <string>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "attach/attached_probes.h"
#include "kernel/kernel_context.h"
#include "kernel/kernel_targets.h"
#include "program/probe_kinds.h"

namespace probecc {

struct ExpandedProbe;
class TargetLister;

struct AttachEnv {
  KernelContext &kernel;
  pid_t pid = -1;  // -p: uprobes, USDT probes and perf events fire in this process only
};

// The kernel's link that attaches many targets of the kind at once, where it has one.
enum class MultiLink { None, Kprobe, Uprobe };

struct AttachKind {
  // A planned probe whole (not a wildcard's, which attach target by target): its links into
  // `into`, or an error that says why (explainAttachFailure's words).
  llvm::Error (*attach)(bpf_program &, const ProbeSpec &, const AttachEnv &, AttachedProbes &into);
  // One concrete target (a wildcard's match, the own target of a probe sharing its program):
  // empty with errno set when refused. nullptr: the kind's programs are loaded for one target each.
  Attachment (*attachTarget)(bpf_program &, const ProbeSpec &, const AttachEnv &);
  // A wildcard's matches into expanded.targets (and those known not to attach into
  // expanded.untraceable, with why). nullptr: the kind takes no wildcards.
  llvm::Error (*expand)(ExpandedProbe &, KernelTargets &);
  // "no tracepoint sched:sched_swich; did you mean sched:sched_switch?", or nullopt when the target
  // exists or cannot be checked. nullptr: never checked.
  std::optional<std::string> (*missing)(const ProbeSpec &, KernelTargets &);
  // -l: the targets matching `pattern`, to the lister. nullptr: not listable.
  llvm::Error (*list)(TargetLister &, ProbeKind, const std::string &pattern);
  // Why attaching failed with `error` (positive errno), where the kind knows better than strerror:
  // in full for one target, briefly ("not traceable") for a wildcard's count of refusals.
  std::optional<std::string> (*explain)(const ProbeSpec &, int error, KernelContext &kernel);
  std::optional<std::string> (*refusal)(int error);
  MultiLink multi = MultiLink::None;  // a wildcard's targets go through it (attach_targets.h)
};

const AttachKind &attachKind(ProbeKind kind);
// Whether the table has a row of its own for `kind` (every kind should: a unit test asks).
bool hasAttachRow(ProbeKind kind);

// The rows' shared pieces.
// Attach as libbpf's section says (bpf_program__attach), unless the probe shares its program with
// another and attaches elsewhere (attachesElsewhere): then at its own target.
llvm::Error attachBySection(bpf_program &, const ProbeSpec &, const AttachEnv &, AttachedProbes &into);
// Attach at the probe's own target (row.attachTarget), explained on failure.
llvm::Error attachAtOwnTarget(bpf_program &, const ProbeSpec &, const AttachEnv &, AttachedProbes &into);
// Whether `probe` is not the one `program`'s section attaches (see codegen/shared_probe_functions.h).
bool attachesElsewhere(const bpf_program &program, const ProbeSpec &probe);

// The rows of each family (the files named above).
extern const AttachKind kKernelFunctionRow, kSyscallRow, kBtfFunctionRow, kLsmRow;
extern const AttachKind kTracepointRow, kRawTracepointRow, kTpBtfRow;
extern const AttachKind kUprobeRow, kUsdtRow, kPerfEventRow, kSectionRow;

}  // namespace probecc
