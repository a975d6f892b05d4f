// The rows of tracepoint kinds: tracepoints (tracefs events), raw tracepoints and tp_btf
// (attach_kinds.h).
#include <linux/perf_event.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>

#include "attach/attach_kinds.h"
#include "attach/attach_targets.h"
#include "attach/target_listing.h"
#include "kernel/tracefs.h"
#include "support/closest_names.h"
#include "support/name_pattern.h"

namespace probecc {
namespace {

// tracepoint

// libbpf's bpf_program__attach_tracepoint opens the perf event itself and keeps it to itself; the
// event is opened here instead (as libbpf opens it: every process, CPU 0's context) so that a
// second reference to it can be held apart from the link (attached_probes.h says why). So
// tracepoints always attach here, never by their section.
Attachment attachTracepoint(bpf_program &program, const ProbeSpec &probe, const AttachEnv &env) {
  const auto *tracepoint = probe.target.as<TracepointName>();
  if (!tracepoint || tracepoint->category.empty()) {
    errno = EOPNOTSUPP;
    return {};
  }
  std::ifstream idFile(env.kernel.tracefs() + "/events/" + probe.target.text() + "/id");
  int id = -1;
  if (!(idFile >> id)) {
    errno = ENOENT;
    return {};
  }
  perf_event_attr attr{};
  attr.type = PERF_TYPE_TRACEPOINT;
  attr.size = sizeof attr;
  attr.config = static_cast<__u64>(id);
  UniqueFd event(static_cast<int>(syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC)));
  if (!event) return {};
  UniqueFd held(fcntl(event.get(), F_DUPFD_CLOEXEC, 0));
  if (!held) return {};
  // On success the link owns `event` (bpf_link__destroy closes it); `held` keeps the event alive.
  BpfLinkPtr link(bpf_program__attach_perf_event(&program, event.get()));
  if (!link) return {};
  event.release();
  return {std::move(link), std::move(held)};
}

llvm::Error expandTracepoints(ExpandedProbe &expanded, KernelTargets &kernel) {
  addMatches(expanded.probe.kind, kernel.tracepoints(), expanded.probe.target.text(), true, expanded.targets);
  return llvm::Error::success();
}

std::string withColons(std::string tracepoint) {
  std::replace(tracepoint.begin(), tracepoint.end(), '/', ':');
  return tracepoint;
}

std::optional<std::string> missingTracepoint(const ProbeSpec &probe, KernelTargets &targets) {
  if (tracepointExists(targets.tracefs(), probe.target.text())) return std::nullopt;
  auto near = closestNames(probe.target.text(), targets.tracepoints());
  for (auto &name : near) name = withColons(name);
  return "no tracepoint " + probe.target.shown() + didYouMean(near);
}

llvm::Error listTracepoints(TargetLister &lister, ProbeKind kind, const std::string &pattern) {
  std::string slashed = pattern;
  if (const auto colon = slashed.find(':'); colon != std::string::npos) slashed[colon] = '/';
  for (const auto &name : lister.targets().tracepoints())
    if (matchesPattern(slashed, name, true)) lister.emit(kind, withColons(name), "", lister.fieldsOf(name));
  return llvm::Error::success();
}

std::optional<std::string> explainTracepoint(const ProbeSpec &probe, int error, KernelContext &kernel) {
  if (error != EACCES) return std::nullopt;
  return "the program reads past the end of the tracepoint's record (see " +
         tracepointFormatPath(kernel.tracefs(), probe.target.text()) + ")";
}

std::optional<std::string> tracepointRefusal(int error) {
  if (error == EACCES) return "refused: the program reads past their record";
  return std::nullopt;
}

// raw_tracepoint and tp_btf: a btf_trace_* name

Attachment attachRawTracepoint(bpf_program &program, const ProbeSpec &probe, const AttachEnv &) {
  return {BpfLinkPtr(bpf_program__attach_raw_tracepoint(&program, probe.target.text().c_str())), {}};
}

llvm::Error expandRawTracepoints(ExpandedProbe &expanded, KernelTargets &kernel) {
  addMatches(expanded.probe.kind, kernel.rawTracepoints(), expanded.probe.target.text(), false, expanded.targets);
  return llvm::Error::success();
}

std::optional<std::string> missingRawTracepoint(const ProbeSpec &probe, KernelTargets &targets) {
  const std::string name = probe.target.text();
  if (KernelTargets::contains(targets.rawTracepoints(), name)) return std::nullopt;
  return "no raw tracepoint '" + name + "'" + didYouMean(closestNames(name, targets.rawTracepoints()));
}

llvm::Error listRawTracepoints(TargetLister &lister, ProbeKind kind, const std::string &pattern) {
  for (const auto &name : lister.targets().rawTracepoints())
    if (matchesPattern(pattern, name)) lister.emit(kind, name, lister.signatureOf("btf_trace_" + name, name));
  return llvm::Error::success();
}

std::optional<std::string> explainRawTracepoint(const ProbeSpec &probe, int error, KernelContext &) {
  if (error != ENOENT && error != EINVAL) return std::nullopt;
  return "no raw tracepoint '" + probe.target.text() + "'";
}

std::optional<std::string> rawTracepointRefusal(int error) {
  if (error == EINVAL) return "refused: the program reads past their arguments";
  return std::nullopt;
}

}  // namespace

//                              attach             at one target        wildcards             exists?               list                explain               refusal
const AttachKind kTracepointRow{attachAtOwnTarget, attachTracepoint,    expandTracepoints,    missingTracepoint,    listTracepoints,    explainTracepoint,    tracepointRefusal};
const AttachKind kRawTracepointRow{attachBySection, attachRawTracepoint, expandRawTracepoints, missingRawTracepoint, listRawTracepoints, explainRawTracepoint, rawTracepointRefusal};
// tp_btf programs are loaded for one target each (their BTF type is the target's): no wildcards.
const AttachKind kTpBtfRow{attachBySection, nullptr, nullptr, missingRawTracepoint, listRawTracepoints, explainRawTracepoint, nullptr};

}  // namespace probecc
