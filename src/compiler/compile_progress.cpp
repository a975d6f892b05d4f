#include "compiler/compile_progress.h"

#include <unistd.h>

namespace probecc {

CompileProgress::CompileProgress(bool onTerminal, std::string sourceName) : sourceName_(std::move(sourceName)) {
  if (onTerminal) thread_ = std::thread([this] { run(); });
}

CompileProgress::~CompileProgress() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void CompileProgress::step(std::string_view name) {
  std::lock_guard lock(mutex_);
  step_ = name;
}

void CompileProgress::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return done_; })) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start_).count();
    if (seconds < 2) continue;
    const std::string line = "\r\033[Kprobecc: compiling " + sourceName_ + ": " + step_ + " (" + std::to_string(seconds) + " s)";
    (void)!write(STDERR_FILENO, line.data(), line.size());
    shown_ = true;
  }
  if (shown_) (void)!write(STDERR_FILENO, "\r\033[K", 4);
}

}  // namespace probecc
