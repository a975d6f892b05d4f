// The data-driven cases of tests/cases/ (format: tests/cases/README.md) that are meant for this
// host (RUNS_ON host or both), each run by tests/cases/run-case.sh as the QEMU guest runs its own.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "e2e_support.h"

using namespace e2e;
namespace fs = std::filesystem;

namespace {

const fs::path kCases = fs::path(PROBECC_SOURCE_DIR) / "tests/cases";

std::string readFile(const fs::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// What `bash` prints; its exit status in *status.
std::string shell(const std::string &command, int *status = nullptr) {
  FILE *pipe = popen(command.c_str(), "r");
  std::string out;
  char buffer[4096];
  for (size_t n; pipe && (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int raw = pipe ? pclose(pipe) : -1;
  if (status) *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

std::vector<std::string> hostCases() {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto &entry : fs::directory_iterator(kCases, error)) {
    if (entry.path().extension() != ".case") continue;
    const std::string runsOn = shell("bash -c 'set +u; TAG=x RUNS_ON=guest; . \"" + entry.path().string() +
                                     "\" >/dev/null 2>&1; echo -n \"$RUNS_ON\"'");
    if (runsOn == "host" || runsOn == "both") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

class Case : public ProbeccTest, public testing::WithParamInterface<std::string> {};

TEST_P(Case, Passes) {
  const std::string name = GetParam();
  const fs::path results = fs::temp_directory_path() / ("probecc-cases-" + std::to_string(getpid()));
  const std::string command = "PROBECC_BIN=" PROBECC_BINARY " PROJECT_DIR=" PROBECC_SOURCE_DIR
                              " SHARED_DIR=" PROBECC_SHARED_DIR " " + (kCases / "run-case.sh").string() + " " +
                              (kCases / (name + ".case")).string() + " " + results.string();
  int status = -1;
  shell(command, &status);
  auto result = [&](const char *extension) { return readFile(results / (name + extension)); };
  if (status == 2) GTEST_SKIP() << result(".reason");
  EXPECT_EQ(status, 0) << result(".reason") << "command: " << result(".cmd") << "stdout:\n"
                       << result(".out") << "stderr:\n" << result(".err");
  fs::remove_all(results);
}

INSTANTIATE_TEST_SUITE_P(Cases, Case, testing::ValuesIn(hostCases()),
                         [](const testing::TestParamInfo<std::string> &info) {
                           std::string name = info.param;
                           for (char &c : name)
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

}  // namespace
