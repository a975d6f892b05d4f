#include "attach/perf_events.h"

#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>

#include <llvm/ADT/StringRef.h>

#include "attach/attach.h"
#include "program/perf_event_spec.h"
#include "attach/target_process.h"
#include "support/error.h"
#include "support/unique_fd.h"

namespace probecc {
namespace {

// Where one perf event counts: a CPU (every process on it) or a thread (on any CPU).
struct Scope {
  pid_t thread;
  int cpu;
};

std::vector<int> onlineCpus() {
  std::ifstream file("/sys/devices/system/cpu/online");
  std::string text;
  std::getline(file, text);
  return parseCpuList(text);
}

perf_event_attr attributesOf(const PerfEventSpec &event) {
  perf_event_attr attr{};
  attr.size = sizeof attr;
  attr.type = event.type;
  attr.config = event.config;
  if (event.frequency) {
    attr.freq = 1;
    attr.sample_freq = event.frequency;
  } else {
    attr.sample_period = event.period;
  }
  return attr;
}

std::optional<std::string> explainPerfEvent(const ProbeSpec &probe, int error, KernelContext &) {
  const auto *event = probe.target.as<PerfEventSpec>();
  if (!event) return std::nullopt;
  if ((error == ENOENT || error == EOPNOTSUPP || error == ENODEV) && event->isHardware())
    return "this machine counts no such hardware event (no hardware PMU offers it, as usual in virtual "
           "machines); software events work everywhere: perf:software:cpu-clock:99hz, profile:hz:99";
  if (error == ENOENT)
    return "the kernel knows no such event (type " + std::to_string(event->type) + ", config " +
           std::to_string(event->config) + ")";
  if (error == EINVAL && event->frequency) {
    std::ifstream limit("/proc/sys/kernel/perf_event_max_sample_rate");
    std::string rate;
    std::getline(limit, rate);
    return "the kernel refused the event; a frequency above perf_event_max_sample_rate (" + rate + " here) is refused";
  }
  return std::nullopt;
}

llvm::Error attachPerfEvent(bpf_program &program, const ProbeSpec &probe, const AttachEnv &env, AttachedProbes &into) {
  const auto *event = probe.target.as<PerfEventSpec>();
  if (!event)
    return makeError(probe.function + " is a perf_event program: say which event runs it, e.g. -a profile:hz:99=" +
                     probe.function + " or -a perf:software:page-faults:1=" + probe.function);
  const pid_t pid = env.pid;
  std::vector<Scope> scopes;
  const auto cpus = onlineCpus();
  if (cpus.empty()) return makeError("cannot read the online CPUs from /sys/devices/system/cpu/online");
  if (event->oneCpu) scopes.push_back({-1, cpus.front()});
  else if (pid > 0)
    for (pid_t thread : threadsOf(pid)) scopes.push_back({thread, -1});
  else
    for (int cpu : cpus) scopes.push_back({-1, cpu});
  if (scopes.empty()) return makeError(explainAttachFailure(probe, -ESRCH, env.kernel));

  auto attr = attributesOf(*event);
  std::vector<BpfLinkPtr> links;
  for (const auto &scope : scopes) {
    UniqueFd fd(static_cast<int>(syscall(SYS_perf_event_open, &attr, scope.thread, scope.cpu, -1, PERF_FLAG_FD_CLOEXEC)));
    if (!fd) {
      if (errno == ESRCH && scope.thread > 0 && scope.thread != pid) continue;  // a thread that just ended
      return makeError(explainAttachFailure(probe, -errno, env.kernel));
    }
    BpfLinkPtr link(bpf_program__attach_perf_event(&program, fd.get()));
    if (!link) return makeError(explainAttachFailure(probe, -errno, env.kernel));
    fd.release();  // the link closes it
    links.push_back(std::move(link));
  }
  // all or none: the links go into the session only once every CPU's (or thread's) event attached
  for (auto &link : links) into.add(Attachment{std::move(link), {}}, probe.kind);
  return llvm::Error::success();
}

}  // namespace

std::vector<int> parseCpuList(std::string_view text) {
  std::vector<int> cpus;
  llvm::SmallVector<llvm::StringRef, 8> ranges;
  llvm::StringRef(text).trim().split(ranges, ',', -1, false);
  for (auto range : ranges) {
    auto [first, last] = range.split('-');
    unsigned from = 0, to = 0;
    if (first.getAsInteger(10, from)) continue;
    if (last.empty()) to = from;
    else if (last.getAsInteger(10, to)) continue;
    for (unsigned cpu = from; cpu <= to; ++cpu) cpus.push_back(static_cast<int>(cpu));
  }
  return cpus;
}

//                             attach           at one target  wildcards  exists?  list     explain           refusal
const AttachKind kPerfEventRow{attachPerfEvent, nullptr,       nullptr,   nullptr, nullptr, explainPerfEvent, nullptr};

}  // namespace probecc
