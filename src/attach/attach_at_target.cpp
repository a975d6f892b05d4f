#include "attach/attach_at_target.h"

#include <linux/perf_event.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

namespace probecc {
namespace {

// libbpf's bpf_program__attach_tracepoint opens the perf event itself and keeps it to itself; the
// event is opened here instead (as libbpf opens it: every process, CPU 0's context) so that a
// second reference to it can be held apart from the link.
Attachment attachTracepoint(bpf_program &program, const std::string &categorySlashEvent, const std::string &tracefs) {
  std::ifstream idFile(tracefs + "/events/" + categorySlashEvent + "/id");
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

}  // namespace

bool attachesElsewhere(const bpf_program &program, const ProbeSpec &probe) {
  const char *section = bpf_program__section_name(&program);
  return section && probe.section() != section;
}

Attachment attachAtTarget(bpf_program &program, const ProbeSpec &probe, KernelContext &kernel) {
  switch (probe.kind) {
    case ProbeKind::Kprobe:
    case ProbeKind::Kretprobe: {
      LIBBPF_OPTS(bpf_kprobe_opts, options, .retprobe = probe.info().onReturn);
      return {BpfLinkPtr(bpf_program__attach_kprobe_opts(&program, probe.target.c_str(), &options)), {}};
    }
    case ProbeKind::Tracepoint:
      if (probe.target.find('/') == std::string::npos) break;
      return attachTracepoint(program, probe.target, kernel.tracefs());
    case ProbeKind::RawTracepoint:
      return {BpfLinkPtr(bpf_program__attach_raw_tracepoint(&program, probe.target.c_str())), {}};
    default:
      break;
  }
  errno = EOPNOTSUPP;
  return {};
}

}  // namespace probecc
