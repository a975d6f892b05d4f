#include "loader/attach_at_target.h"

#include <cerrno>
#include <string>

namespace probecc {

bool attachesElsewhere(const bpf_program &program, const ProbeSpec &probe) {
  const char *section = bpf_program__section_name(&program);
  return section && probe.section() != section;
}

bpf_link *attachAtTarget(bpf_program &program, const ProbeSpec &probe) {
  switch (probe.kind) {
    case ProbeKind::Kprobe:
    case ProbeKind::Kretprobe: {
      LIBBPF_OPTS(bpf_kprobe_opts, options, .retprobe = probe.info().onReturn);
      return bpf_program__attach_kprobe_opts(&program, probe.target.c_str(), &options);
    }
    case ProbeKind::Tracepoint: {
      const auto slash = probe.target.find('/');
      if (slash == std::string::npos) break;
      return bpf_program__attach_tracepoint(&program, probe.target.substr(0, slash).c_str(),
                                            probe.target.substr(slash + 1).c_str());
    }
    case ProbeKind::RawTracepoint:
      return bpf_program__attach_raw_tracepoint(&program, probe.target.c_str());
    default:
      break;
  }
  errno = EOPNOTSUPP;
  return nullptr;
}

}  // namespace probecc
