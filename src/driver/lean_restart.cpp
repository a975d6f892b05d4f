#include "driver/lean_restart.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace probecc {
namespace {
constexpr const char *kMarker = "PROBECC_RESTARTED_FROM_CACHE";
}  // namespace

bool takeRestartMarker() {
  const bool restarted = std::getenv(kMarker) != nullptr;
  unsetenv(kMarker);
  return restarted;
}

void restartFromCache() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string cmdline(std::istreambuf_iterator<char>(in), {});
  in.close();  // not inherited by the new probecc (nor by its -c command)
  std::vector<char *> argv;
  for (size_t at = 0; at < cmdline.size(); at = cmdline.find('\0', at) + 1)
    argv.push_back(const_cast<char *>(cmdline.c_str() + at));
  if (argv.empty()) return;
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  setenv(kMarker, "1", 1);
  execv("/proc/self/exe", argv.data());
  unsetenv(kMarker);  // exec failed: carry on in this process
}

}  // namespace probecc
