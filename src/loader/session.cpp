#include "loader/session.h"

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

UniqueFd durationTimer(double seconds) {
  UniqueFd timer(timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
  itimerspec spec{};
  spec.it_value.tv_sec = static_cast<time_t>(seconds);
  spec.it_value.tv_nsec = static_cast<long>(std::fmod(seconds, 1.0) * 1e9);
  if (spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
  timerfd_settime(timer.get(), 0, &spec, nullptr);
  return timer;
}

}  // namespace

void blockSessionSignals() {
  const sigset_t set = sessionSignals();
  sigprocmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a closed stdout ends the session through write errors instead
}

llvm::Expected<int> runSession(TracePipe &pipe, const SessionOptions &options) {
  const sigset_t set = sessionSignals();
  UniqueFd signals(signalfd(-1, &set, SFD_CLOEXEC));
  if (!signals) return makeError("signalfd: " + llvm::Twine(strerror(errno)));
  UniqueFd timer;
  if (options.durationSeconds) timer = durationTimer(*options.durationSeconds);

  pid_t child = -1;
  if (!options.command.empty()) {
    auto started = startCommand(options.command);
    if (!started) return started.takeError();
    child = *started;
  }

  bool outputFailed = false;
  const int self = getpid();
  auto printLine = [&](std::string_view line) {
    // The kernel ends every trace event with '\n'; a message that ends with its own leaves an
    // empty line behind, which is noise, not output.
    if (outputFailed || line.empty()) return;
    // What probecc itself did while attaching (opening tracefs files, ...) is not the user's.
    auto fields = parseTraceLine(line);
    if (fields && fields->pid == self) return;
    std::string text;
    if (options.style == TraceStyle::Fields && fields)
      text = formatTraceFields(*fields);
    else
      text = std::string(line);
    text += '\n';
    if (fwrite(text.data(), 1, text.size(), stdout) != text.size()) outputFailed = true;
  };
  auto drain = [&] {
    pipe.readAvailable(printLine);
    if (fflush(stdout) != 0) outputFailed = true;
  };

  int exitStatus = 0;
  for (;;) {
    pollfd fds[3] = {{pipe.fd(), POLLIN, 0}, {signals.get(), POLLIN, 0}, {timer.get(), POLLIN, 0}};
    const int ready = poll(fds, timer ? 3 : 2, -1);
    if (ready < 0 && errno != EINTR) return makeError("poll: " + llvm::Twine(strerror(errno)));
    if (fds[0].revents) drain();
    if (outputFailed) break;  // e.g. `probecc ... | head`: stdout is gone, so is the user
    if (timer && fds[2].revents) {
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
        drain();  // bpf_trace_printk writes synchronously: the command's lines are all there
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
