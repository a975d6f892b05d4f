#pragma once
// A compile that takes long (a program of thousands of statements) says what it is doing on a
// terminal, once a second, on one line it clears when done: "probecc: compiling probe.c: optimise
// (12 s)". Nothing is written for a compile of under 2 s, nor when stderr is not a terminal.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace probecc {

class CompileProgress {
public:
  CompileProgress(bool onTerminal, std::string sourceName);
  ~CompileProgress();
  CompileProgress(const CompileProgress &) = delete;
  CompileProgress &operator=(const CompileProgress &) = delete;
  void step(std::string_view name);

private:
  void run();
  std::string sourceName_, step_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false, shown_ = false;
  std::thread thread_;
};

}  // namespace probecc
