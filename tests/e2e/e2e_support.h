#pragma once
// Running the real probecc binary against the running kernel, and checking it left nothing behind.
#include <gtest/gtest.h>

#include <sys/types.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace e2e {

struct RunResult {
  int status = -1;  // exit status, or 128+signal
  std::string out, err;
};

// Set by name ({.timeoutSeconds = 120}); every member has an initialiser, which also keeps GCC 12
// from warning about the members such an initialiser leaves out.
struct RunOptions {
  std::string input{};          // standard input
  int timeoutSeconds = 60;
  int signalWhenAttached = 0;   // sent once stderr says "attached" (needs -v)
  std::function<void(pid_t probecc)> whenAttached{};  // runs once stderr says "attached" (needs -v)
  std::vector<std::string> runUnder{};     // a command probecc's path and args are appended to (setpriv ...)
  std::vector<std::string> environment{};  // NAME=VALUE set for probecc (a bare NAME: unset)
  std::string binary = PROBECC_BINARY;  // another copy of probecc (e.g. one without its compiler library)
};

// Runs probecc with `args` (no shell involved) under a timeout.
RunResult probecc(const std::vector<std::string> &args, const RunOptions &options = {});

// A path under /tmp unique to this test run, for files whose removal a probe watches.
std::string uniquePath(const std::string &stem);

// Builds tests/e2e/data/SOURCE with cc into a unique path; "" when it cannot be built.
std::string buildTestProgram(const std::string &source);

std::string sharedFile(const std::string &relative);  // ../shared/<relative>, "" if absent

// How many times `what` occurs in `text` (e.g. "error:" in what probecc said).
size_t countOf(const std::string &text, const std::string &what);

// IDs of the BPF programs loaded in the kernel right now.
std::set<unsigned> loadedProgramIds();

// Fixture: fails a test that leaves one of its programs loaded.
class ProbeccTest : public testing::Test {
protected:
  void SetUp() override;
  void TearDown() override;

private:
  std::set<unsigned> before_;
};

}  // namespace e2e
