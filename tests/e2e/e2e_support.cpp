#include "e2e_support.h"

#include <fcntl.h>
#include <linux/bpf.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>

namespace e2e {
namespace {

void readAll(int fd, std::string &into) {
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) into.append(buffer, n);
}

}  // namespace

RunResult probecc(const std::vector<std::string> &args, const RunOptions &options) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return {};
  const pid_t child = fork();
  if (child == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    for (const auto &variable : options.environment) putenv(const_cast<char *>(variable.c_str()));
    std::vector<char *> argv;
    for (const auto &arg : options.runUnder) argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(const_cast<char *>(options.binary.c_str()));
    for (const auto &arg : args) argv.push_back(const_cast<char *>(arg.c_str()));
    argv.push_back(nullptr);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (!options.input.empty()) (void)!write(in[1], options.input.data(), options.input.size());
  close(in[1]);

  RunResult result;
  fcntl(out[0], F_SETFL, O_NONBLOCK);
  fcntl(err[0], F_SETFL, O_NONBLOCK);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.timeoutSeconds);
  bool signalled = false;
  int status = 0;
  bool exited = false;
  while (!exited) {
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    poll(fds, 2, 50);
    readAll(out[0], result.out);
    readAll(err[0], result.err);
    if (!signalled && result.err.find("attached") != std::string::npos) {
      if (options.whenAttached) options.whenAttached(child);
      if (options.signalWhenAttached) kill(child, options.signalWhenAttached);
      signalled = true;
    }
    exited = waitpid(child, &status, WNOHANG) == child;
    if (!exited && std::chrono::steady_clock::now() > deadline) {
      kill(child, SIGKILL);
      waitpid(child, &status, 0);
      ADD_FAILURE() << "probecc did not finish within " << options.timeoutSeconds << "s";
      exited = true;
    }
  }
  readAll(out[0], result.out);
  readAll(err[0], result.err);
  close(out[0]);
  close(err[0]);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string uniquePath(const std::string &stem) {
  static int counter = 0;
  return "/tmp/probecc-e2e-" + stem + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

std::string buildTestProgram(const std::string &source) {
  const std::string path = uniquePath(source.substr(0, source.rfind('.')));
  const std::string command = "cc -O1 -o " + path + " " PROBECC_SOURCE_DIR "/tests/e2e/data/" + source;
  return std::system(command.c_str()) == 0 ? path : std::string();
}

std::string sharedFile(const std::string &relative) {
  const std::string path = std::string(PROBECC_SHARED_DIR) + "/" + relative;
  return std::filesystem::exists(path) ? path : "";
}

size_t countOf(const std::string &text, const std::string &what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

std::set<unsigned> loadedProgramIds() {
  std::set<unsigned> ids;
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  for (;;) {
    if (syscall(__NR_bpf, BPF_PROG_GET_NEXT_ID, &attr, sizeof attr) != 0) break;
    ids.insert(attr.next_id);
    attr.start_id = attr.next_id;
  }
  return ids;
}

void ProbeccTest::SetUp() { before_ = loadedProgramIds(); }

void ProbeccTest::TearDown() {
  // Programs unload asynchronously after their last fd closes: give the kernel a moment.
  std::set<unsigned> leaked;
  for (int attempt = 0; attempt < 20; ++attempt) {
    leaked.clear();
    for (unsigned id : loadedProgramIds())
      if (!before_.count(id)) leaked.insert(id);
    if (leaked.empty()) return;
    usleep(50 * 1000);
  }
  ADD_FAILURE() << leaked.size() << " BPF program(s) loaded by this test are still loaded";
}

}  // namespace e2e
