#include "output/session.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "output/records.h"
#include "support/error.h"
#include "support/unique_fd.h"

namespace probecc {
namespace {

sigset_t sessionSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&set, signal);
  return set;
}

llvm::Expected<pid_t> startCommand(const std::string &command) {
  const pid_t child = fork();
  if (child < 0) return makeError("cannot run -c command: " + llvm::Twine(strerror(errno)));
  if (child == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    signal(SIGPIPE, SIG_DFL);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char *>(nullptr));
    _exit(127);
  }
  return child;
}

int exitStatusOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

UniqueFd durationTimer(double seconds, bool repeat) {
  UniqueFd timer(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
  itimerspec spec{};
  spec.it_value.tv_sec = static_cast<time_t>(seconds);
  spec.it_value.tv_nsec = static_cast<long>(std::fmod(seconds, 1.0) * 1e9);
  if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
  if (repeat) spec.it_interval = spec.it_value;
  timerfd_settime(timer.get(), 0, &spec, nullptr);
  return timer;
}

}  // namespace

void blockSessionSignals() {
  const sigset_t set = sessionSignals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a closed stdout ends the session through write errors instead
}

bool stopRequested() {
  sigset_t pending;
  if (sigpending(&pending) != 0) return false;
  for (int signal : {SIGINT, SIGTERM, SIGHUP})
    if (sigismember(&pending, signal) == 1) return true;
  return false;
}

llvm::Expected<int> runSession(SessionSources &sources, const SessionOptions &options, Diagnostics &diagnostics) {
  const sigset_t set = sessionSignals();
  UniqueFd signals(signalfd(-1, &set, SFD_CLOEXEC));
  if (!signals) return makeError("signalfd: " + llvm::Twine(strerror(errno)));
  UniqueFd timer, interval;
  if (options.durationSeconds) timer = durationTimer(*options.durationSeconds, false);
  if (options.intervalSeconds && sources.printMaps) interval = durationTimer(*options.intervalSeconds, true);

  pid_t child = -1;
  if (!options.command.empty()) {
    auto started = startCommand(options.command);
    if (!started) return started.takeError();
    child = *started;
  }

  OutputSink out(sources.renderer);
  std::string notes;
  bool outputFailed = false;
  const int self = getpid();
  auto onTraceLine = [&](std::string_view line, OutputSink &into) {
    // The kernel ends every trace event with '\n'; a message that ends with its own leaves an
    // empty line behind, which is noise, not output.
    if (line.empty()) return;
    // What probecc itself did while attaching (opening tracefs files, ...) is not the user's.
    auto fields = parseTraceLine(line);
    if (fields && fields->pid == self) return;
    into.render(TraceRecord{line, std::move(fields)});
  };
  if (sources.events) sources.events->onPrintkLine(onTraceLine);
  auto flush = [&] {
    if (!out.flush(stdout)) outputFailed = true;
    diagnostics.text(notes);
    notes.clear();
  };
  auto drain = [&] {
    sources.pipe.readAvailable([&](std::string_view line) { onTraceLine(line, out); });
    if (sources.events) {
      sources.events->consume();
      sources.events->reportLost();
      sources.events->takeOutput(out, notes);
    }
    flush();
  };

  std::vector<pollfd> fds = {{sources.pipe.fd(), POLLIN, 0}, {signals.get(), POLLIN, 0}};
  const size_t timerAt = fds.size();
  fds.push_back({timer ? timer.get() : -1, POLLIN, 0});
  fds.push_back({interval ? interval.get() : -1, POLLIN, 0});
  fds.push_back({options.processExitFd, POLLIN, 0});
  if (sources.events)
    for (int fd : sources.events->pollFds()) fds.push_back({fd, POLLIN, 0});

  int exitStatus = 0;
  for (;;) {
    // With event buffers, every wake-up (a record, or at most 100 ms) drains them: perf buffers
    // wake the reader only every 64 records, and a quiet buffer still reports its losses.
    const int ready = poll(fds.data(), fds.size(), sources.events ? 100 : -1);
    if (ready < 0 && errno != EINTR) return makeError("poll: " + llvm::Twine(strerror(errno)));
    if (fds[0].revents || sources.events) drain();
    if (outputFailed) break;  // e.g. `probecc ... | head`: stdout is gone, so is the user
    if (fds[timerAt + 1].revents) {
      uint64_t expirations;
      (void)!read(interval.get(), &expirations, sizeof expirations);
      sources.printMaps(out);
      flush();
    }
    if (fds[timerAt].revents || fds[timerAt + 2].revents) {  // the duration is over, or the -p process exited
      drain();
      break;
    }
    if (fds[1].revents) {
      signalfd_siginfo info{};
      if (read(signals.get(), &info, sizeof info) != sizeof info) continue;
      if (info.ssi_signo != SIGCHLD) {
        drain();
        break;
      }
      int status = 0;
      if (child > 0 && waitpid(child, &status, WNOHANG) == child) {
        drain();  // bpf_trace_printk and perf/ring buffer writes are synchronous: all there now
        exitStatus = exitStatusOf(status);
        child = -1;
        break;
      }
    }
  }
  if (child > 0) {
    kill(child, SIGTERM);
    int status = 0;
    waitpid(child, &status, 0);
  }
  return exitStatus;
}

}  // namespace probecc
