#pragma once
// Once a program is compiled and cached, the process still maps Clang and LLVM (their libraries
// cannot be unloaded: they are marked NODELETE), about 90 MB while tracing. Re-executing probecc
// with the same arguments turns the run into a cache hit that traces in a few MB.
#include <optional>
#include <string>

namespace probecc {

// Whether this process is such a restart, and if so the script text the first run read: the
// restart never reads the user's path again (a FIFO, /dev/stdin or <(...) is read once, and a
// file changed meanwhile is not half-old, half-new). Removes the marker from the environment, so
// commands probecc runs do not inherit it. Call once, at startup.
struct Restart {
  bool restarted = false;
  std::optional<std::string> scriptText;
};
Restart takeRestartMarker();

// Replaces the process with a fresh probecc (same arguments, from /proc/self/cmdline), marked as
// a restart and handed `scriptText` (in a memfd); returns only if that failed.
void restartFromCache(const std::string &scriptText);

}  // namespace probecc
