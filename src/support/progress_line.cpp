#include "support/progress_line.h"

namespace probecc {

void ProgressLine::start(std::string what, size_t total) {
  finish();
  what_ = std::move(what);
  total_ = total;
  started_ = Clock::now();
}

void ProgressLine::update(size_t done) {
  if (!enabled_ || total_ == 0) return;
  const auto now = Clock::now();
  if (now - started_ < std::chrono::milliseconds(500)) return;
  if (visible_ && now - shown_ < std::chrono::milliseconds(100) && done < total_) return;
  shown_ = now;
  visible_ = true;
  diagnostics_.text("\rprobecc: " + what_ + " " + std::to_string(done) + "/" + std::to_string(total_) + "\033[K");
}

void ProgressLine::clear() {
  if (visible_) diagnostics_.text("\r\033[K");
  visible_ = false;
}

void ProgressLine::finish() {
  clear();
  total_ = 0;
}

}  // namespace probecc
