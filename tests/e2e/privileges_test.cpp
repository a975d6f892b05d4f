// Issue 20: least privilege. probecc as user nobody with the capabilities README's "Capabilities"
// lists traces; without them, one error names the capability missing and the probe needing it;
// the compile cache is the user's own.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "e2e_support.h"

using namespace e2e;

namespace {

constexpr const char *kTracepointProgram = R"(
int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args) {
  char name[64];
  bpf_probe_read_user_str(name, sizeof(name), (void *)args->args[1]);
  if (name[0] != '/' || name[1] != 't' || name[2] != 'm' || name[3] != 'p') return 0;
  bpf_trace_printk("removed %s\n", name);
  return 0;
}
)";

// setpriv's command line for user nobody with exactly `capabilities` ("+bpf,+perfmon"; "" for none).
std::vector<std::string> asNobody(const std::string &capabilities) {
  std::vector<std::string> command{"setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"};
  if (!capabilities.empty()) {
    command.push_back("--inh-caps=" + capabilities);
    command.push_back("--ambient-caps=" + capabilities);
  } else {
    command.push_back("--inh-caps=-all");
  }
  return command;
}

// A cache directory's parent that nobody owns, removed at the end.
struct NobodysHome {
  NobodysHome() {
    char dir[] = "/tmp/probecc-e2e-nobody-XXXXXX";
    path = mkdtemp(dir);
    const passwd *nobody = getpwnam("nobody");
    if (nobody) chown(path.c_str(), nobody->pw_uid, nobody->pw_gid);
    uid = nobody ? nobody->pw_uid : 65534;
  }
  ~NobodysHome() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::string path;
  uid_t uid;
};

}  // namespace

using Privileges = ProbeccTest;

TEST_F(Privileges, NobodyWithBpfPerfmonAndTracefsReadAccessTraces) {
  if (system("command -v setpriv >/dev/null") != 0) GTEST_SKIP() << "setpriv (util-linux) is not installed";
  NobodysHome home;
  const std::string victim = uniquePath("nobody-unlink");
  RunOptions options{.timeoutSeconds = 120,
                     .runUnder = asNobody("+bpf,+perfmon,+dac_read_search"),
                     // no PROBECC_CACHE_DIR (ctest sets one for root's tests; glibc's putenv of a
                     // bare name removes it): nobody's own cache is the one under test
                     .environment = {"XDG_CACHE_HOME=" + home.path, "HOME=" + home.path, "PROBECC_CACHE_DIR"}};
  auto r = probecc({"-e", kTracepointProgram, "-c", "touch " + victim + " && rm " + victim}, options);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("removed " + victim), std::string::npos) << r.out << r.err;

  // The compile cache is nobody's own, 0700, and holds the program it just compiled
  struct stat st {};
  const std::string cache = home.path + "/probecc";
  ASSERT_EQ(stat(cache.c_str(), &st), 0) << r.err;
  EXPECT_EQ(st.st_uid, home.uid);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  bool programCached = false;
  for (const auto &entry : std::filesystem::directory_iterator(cache)) {
    struct stat file {};
    stat(entry.path().c_str(), &file);
    EXPECT_EQ(file.st_uid, home.uid) << entry.path();
    programCached |= entry.path().extension() == ".obj";
  }
  EXPECT_TRUE(programCached);
  // and a second run uses it (no compiler: nothing to say with -v about kernel types)
  auto again = probecc({"-v", "-e", kTracepointProgram, "-c", "true"}, options);
  EXPECT_EQ(again.status, 0) << again.err;
  EXPECT_NE(again.err.find("capabilities kept: CAP_DAC_READ_SEARCH"), std::string::npos) << again.err;
}

TEST_F(Privileges, WithoutCapabilitiesOneErrorNamesTheCapabilityAndTheProbe) {
  if (system("command -v setpriv >/dev/null") != 0) GTEST_SKIP() << "setpriv (util-linux) is not installed";
  NobodysHome home;
  RunOptions none{.runUnder = asNobody(""), .environment = {"XDG_CACHE_HOME=" + home.path}};
  auto r = probecc({"-e", kTracepointProgram, "-c", "true"}, none);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("probecc: error: loading the programs of <-e> needs CAP_BPF (or CAP_SYS_ADMIN), which probecc "
                       "does not have (it has: none)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // one line
  EXPECT_EQ(r.err.find("mount"), std::string::npos) << r.err;  // tracefs is mounted: no word of mounting it

  RunOptions bpfOnly{.runUnder = asNobody("+bpf"), .environment = {"XDG_CACHE_HOME=" + home.path}};
  auto noPerfmon = probecc({"-e", "RAW_TRACEPOINT_PROBE(sched_process_exec) { return 0; }", "-c", "true"}, bpfOnly);
  EXPECT_EQ(noPerfmon.status, 1);
  EXPECT_NE(noPerfmon.err.find("probecc: error: raw_tracepoint__sched_process_exec (raw_tracepoint sched_process_exec) "
                               "needs CAP_PERFMON (or CAP_SYS_ADMIN) to be loaded and attached, which probecc does not "
                               "have (it has: CAP_BPF)"),
            std::string::npos)
      << noPerfmon.err;

  RunOptions noTracefs{.runUnder = asNobody("+bpf,+perfmon"), .environment = {"XDG_CACHE_HOME=" + home.path}};
  auto unreadable = probecc({"-e", kTracepointProgram, "-c", "true"}, noTracefs);
  EXPECT_EQ(unreadable.status, 1);
  EXPECT_NE(unreadable.err.find("needs to read tracefs"), std::string::npos) << unreadable.err;
  EXPECT_NE(unreadable.err.find("CAP_DAC_READ_SEARCH"), std::string::npos) << unreadable.err;
}

TEST_F(Privileges, ARootOwnedCacheIsNeverWrittenByAnotherUser) {
  if (system("command -v setpriv >/dev/null") != 0) GTEST_SKIP() << "setpriv (util-linux) is not installed";
  char dir[] = "/tmp/probecc-e2e-rootcache-XXXXXX";
  const std::string rootCache = mkdtemp(dir);
  chmod(rootCache.c_str(), 0755);
  NobodysHome home;
  auto r = probecc({"-e", kTracepointProgram, "-c", "true"},
                   {.runUnder = asNobody("+bpf,+perfmon,+dac_read_search"),
                    .environment = {"PROBECC_CACHE_DIR=" + rootCache, "XDG_CACHE_HOME=" + home.path}});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("belongs to uid 0, not to uid"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::is_empty(rootCache));
  struct stat st {};
  stat(rootCache.c_str(), &st);
  EXPECT_EQ(st.st_uid, 0u);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  std::filesystem::remove_all(rootCache);
}
