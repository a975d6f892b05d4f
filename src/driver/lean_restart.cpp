#include "driver/lean_restart.h"

#include <sys/mman.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/unique_fd.h"

namespace probecc {
namespace {
// Its value: the file descriptor of the memfd holding the script's text.
constexpr const char *kMarker = "PROBECC_RESTARTED_FROM_CACHE";

std::optional<std::string> readAll(int fd) {
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t n = pread(fd, buffer, sizeof buffer, static_cast<off_t>(text.size()));
    if (n < 0) return std::nullopt;
    if (n == 0) return text;
    text.append(buffer, static_cast<size_t>(n));
  }
}

bool writeAll(int fd, const std::string &text) {
  for (size_t at = 0; at < text.size();) {
    const ssize_t n = write(fd, text.data() + at, text.size() - at);
    if (n <= 0) return false;
    at += static_cast<size_t>(n);
  }
  return true;
}
}  // namespace

Restart takeRestartMarker() {
  Restart restart;
  const char *marker = std::getenv(kMarker);
  if (!marker) return restart;
  restart.restarted = true;
  int fd = -1;
  const std::string_view value(marker);
  if (std::from_chars(value.data(), value.data() + value.size(), fd).ec == std::errc() && fd > STDERR_FILENO) {
    restart.scriptText = readAll(fd);
    close(fd);
  }
  unsetenv(kMarker);
  return restart;
}

void restartFromCache(const std::string &scriptText) {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string cmdline(std::istreambuf_iterator<char>(in), {});
  in.close();  // not inherited by the new probecc (nor by its -c command)
  std::vector<char *> argv;
  for (size_t at = 0; at < cmdline.size(); at = cmdline.find('\0', at) + 1)
    argv.push_back(const_cast<char *>(cmdline.c_str() + at));
  if (argv.empty()) return;
  argv.push_back(nullptr);
  // Not close-on-exec: the restarted process inherits it, reads it and closes it.
  UniqueFd script(memfd_create("probecc-script", 0));
  if (!script || !writeAll(script.get(), scriptText)) return;
  std::fflush(stdout);
  std::fflush(stderr);
  setenv(kMarker, std::to_string(script.get()).c_str(), 1);
  execv("/proc/self/exe", argv.data());
  unsetenv(kMarker);  // exec failed: carry on in this process
}

}  // namespace probecc
