#pragma once
// "probecc: detaching 120/360 tracepoints" on stderr, rewritten in place, while attaching or
// detaching takes longer than half a second, and only on a terminal (not under -f json): a session
// that ends at once says nothing, a slow one is never a silent wait.
#include <chrono>
#include <string>

#include "support/diagnostics.h"

namespace probecc {

class ProgressLine {
public:
  // enabled: stderr is a terminal and the output is not JSON.
  ProgressLine(Diagnostics &diagnostics, bool enabled) : diagnostics_(diagnostics), enabled_(enabled) {}
  ProgressLine(const ProgressLine &) = delete;
  ProgressLine &operator=(const ProgressLine &) = delete;
  ~ProgressLine() { finish(); }

  // Starts timing a step ("attaching", "detaching") of `total` things.
  void start(std::string what, size_t total);
  // Shows done/total, once the step has taken half a second, at most ten times a second.
  void update(size_t done);
  // Clears the line, if one was shown; the next update() shows it again.
  void clear();
  // Clears the line: the step is over.
  void finish();

private:
  using Clock = std::chrono::steady_clock;
  Diagnostics &diagnostics_;
  bool enabled_;
  std::string what_;
  size_t total_ = 0;
  Clock::time_point started_{}, shown_{};
  bool visible_ = false;
};

}  // namespace probecc
