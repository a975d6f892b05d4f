// Issue 6: the compile cache seen from the real binary (PROBECC_CACHE_DIR pointing at a fresh
// directory per test): precompiled kernel types, object-cache hits without the compiler, and
// entries or directories that must not be trusted.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "e2e_support.h"

using namespace e2e;
namespace fs = std::filesystem;

namespace {

constexpr uid_t kNobody = 65534;

std::string tracepointProgram(const std::string &message) {
  return "int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args) {\n"
         "  bpf_trace_printk(\"" + message + " %s\\n\", (char *)args->args[1]);\n"
         "  return 0;\n"
         "}\n";
}

// A program that reaches a type it does not name (task->mm is a struct mm_struct) does not compile
// against just the types it names: it uses the precompiled kernel types when the cache has them
// (a small program compiles against the types it names).
std::string largeProgram(const std::string &message) {
  return "int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args) {\n"
         "  struct task_struct *task = (struct task_struct *)bpf_get_current_task();\n"
         "  bpf_trace_printk(\"" + message + " %s %lu\\n\", (char *)args->args[1], task->mm->arg_start);\n"
         "  return 0;\n"
         "}\n";
}
constexpr const char *kUsedPch = "compiling against the precompiled kernel types";
constexpr const char *kUsedNamedTypes = "compiling against the kernel types the program names";

std::string removeCommand(const std::string &path) { return "touch " + path + " && rm " + path; }

bool contains(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

constexpr const char *kBuildingTypes = "building kernel type cache";
constexpr const char *kInBackground = "in the background";
constexpr const char *kBuiltByAnother = "is being built by another probecc";
constexpr const char *kLockName = "kernel-types.lock";  // held while a builder runs

size_t occurrences(const std::string &text, const std::string &part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// Other processes that have `path` open (a builder keeps its lock file open until it exits).
std::vector<pid_t> processesWithOpen(const std::string &path) {
  std::vector<pid_t> found;
  std::error_code ec;
  for (const auto &process : fs::directory_iterator("/proc", ec)) {
    const std::string name = process.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos || std::stoi(name) == getpid()) continue;
    for (const auto &fd : fs::directory_iterator(process.path() / "fd", ec))
      if (fs::read_symlink(fd.path(), ec) == path) {
        found.push_back(std::stoi(name));
        break;
      }
  }
  return found;
}

// Fields of /proc/PID/stat after the command name (field 3 onwards).
std::vector<std::string> statFields(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  const std::string stat(std::istreambuf_iterator<char>(in), {});
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::vector<std::string> fields;
  for (std::string field; rest >> field;) fields.push_back(field);
  return fields;
}
constexpr const char *kLoadedFromCache = "loaded the compiled program from";
constexpr const char *kRejected = "rejecting cache entry";

class Cache : public ProbeccTest {
protected:
  void SetUp() override {
    ProbeccTest::SetUp();
    char path[] = "/tmp/probecc-e2e-cache-XXXXXX";
    ASSERT_NE(mkdtemp(path), nullptr);
    root_ = path;
    dir_ = root_ + "/cache";
    if (const char *old = getenv("PROBECC_CACHE_DIR")) saved_ = old;
    setenv("PROBECC_CACHE_DIR", dir_.c_str(), 1);
  }
  void TearDown() override {
    EXPECT_TRUE(waitForBuilder());
    if (saved_) setenv("PROBECC_CACHE_DIR", saved_->c_str(), 1);
    else unsetenv("PROBECC_CACHE_DIR");
    fs::remove_all(root_);
    ProbeccTest::TearDown();
  }

  std::vector<std::string> entries(const std::string &extension) const {
    std::vector<std::string> found;
    for (const auto &entry : fs::directory_iterator(dir_))
      if (entry.path().extension() == extension) found.push_back(entry.path().string());
    return found;
  }
  std::vector<std::string> leftovers() const {
    std::vector<std::string> found;
    for (const auto &entry : fs::directory_iterator(dir_))
      if (contains(entry.path().filename().string(), ".tmp.")) found.push_back(entry.path().string());
    return found;
  }
  // A dry run (compile + verifier) of `program`.
  RunResult check(const std::string &program, std::vector<std::string> extra = {}) {
    extra.insert(extra.end(), {"-v", "-n", "-e", program});
    return probecc(extra);
  }
  // The same, then waits for the kernel type cache builder it may have started.
  RunResult checkAndWait(const std::string &program) {
    auto result = check(program);
    EXPECT_TRUE(waitForBuilder());
    return result;
  }
  std::string lockPath() const { return dir_ + "/" + kLockName; }
  // Waits (up to a minute) until no kernel type cache builder holds the lock.
  bool waitForBuilder() const {
    const int fd = open(lockPath().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return true;
    bool free = false;
    for (int i = 0; i < 600 && !free; ++i) {
      free = flock(fd, LOCK_EX | LOCK_NB) == 0;
      if (!free) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    close(fd);
    return free;
  }

  std::string root_, dir_;
  std::optional<std::string> saved_;
};

TEST_F(Cache, ColdRunBuildsTypesThenRepeatedRunLoadsTheObject) {
  const auto program = tracepointProgram("probecc-e2e cache-cold");
  auto cold = checkAndWait(program);
  ASSERT_EQ(cold.status, 0) << cold.err;
  EXPECT_TRUE(contains(cold.err, kBuildingTypes)) << cold.err;
  EXPECT_TRUE(contains(cold.err, kInBackground)) << cold.err;
  EXPECT_EQ(entries(".pch").size(), 1u);
  EXPECT_EQ(entries(".obj").size(), 1u);
  struct stat st {};
  ASSERT_EQ(stat(dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);

  const auto victim = uniquePath("cache-hit");
  auto hit = probecc({"-v", "-e", program, "-c", removeCommand(victim)});
  ASSERT_EQ(hit.status, 0) << hit.err;
  EXPECT_TRUE(contains(hit.err, kLoadedFromCache)) << hit.err;
  EXPECT_FALSE(contains(hit.err, kBuildingTypes)) << hit.err;
  EXPECT_TRUE(contains(hit.out, "probecc-e2e cache-cold " + victim)) << hit.out;
}

TEST_F(Cache, EditingTheSnippetRecompilesWithThePrecompiledTypes) {
  ASSERT_EQ(checkAndWait(largeProgram("probecc-e2e cache-old")).status, 0);
  const auto victim = uniquePath("cache-edit");
  auto edited = probecc({"-v", "-e", largeProgram("probecc-e2e cache-new"), "-c", removeCommand(victim)});
  ASSERT_EQ(edited.status, 0) << edited.err;
  EXPECT_FALSE(contains(edited.err, kBuildingTypes)) << edited.err;
  EXPECT_TRUE(contains(edited.err, kUsedPch)) << edited.err;
  EXPECT_TRUE(contains(edited.out, "probecc-e2e cache-new " + victim)) << edited.out;
  EXPECT_EQ(entries(".obj").size(), 2u);
  EXPECT_EQ(entries(".pch").size(), 1u);
}

TEST_F(Cache, DefinesAndIncludeDirsApplyAfterThePrecompiledTypes) {
  ASSERT_EQ(checkAndWait(largeProgram("probecc-e2e cache-types")).status, 0);
  const std::string program =
      "#include \"probecc_e2e_message.h\"\n"
      "int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args) {\n"
      "  struct task_struct *task = (struct task_struct *)bpf_get_current_task();\n"
      "  if (!task->mm->arg_start) return 0;\n"
      "  bpf_trace_printk(PREFIX MESSAGE \" %s\\n\", (char *)args->args[1]);\n"
      "  return 0;\n"
      "}\n";
  const std::string include = root_ + "/include";
  fs::create_directories(include);
  std::ofstream(include + "/probecc_e2e_message.h") << "#define PREFIX \"probecc-e2e \"\n";
  for (const std::string message : {"first", "second"}) {
    const auto victim = uniquePath("cache-define");
    auto r = probecc({"-v", "-I", include, "-DMESSAGE=\"" + message + "\"", "-e", program, "-c", removeCommand(victim)});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_FALSE(contains(r.err, "precompiled header")) << r.err;  // Clang accepted the header
    EXPECT_TRUE(contains(r.err, kUsedPch)) << r.err;
    EXPECT_TRUE(contains(r.out, "probecc-e2e " + message + " " + victim)) << r.out << r.err;
  }
  EXPECT_EQ(entries(".obj").size(), 3u);  // a different -D is a different entry
}

TEST_F(Cache, TamperedObjectIsRejectedAndRebuilt) {
  const auto program = tracepointProgram("probecc-e2e cache-tamper");
  ASSERT_EQ(checkAndWait(program).status, 0);
  const auto object = entries(".obj").at(0);
  {
    std::fstream file(object, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(100);
    file.put('\x5a');
  }
  auto r = check(program);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, kRejected)) << r.err;
  EXPECT_FALSE(contains(r.err, kLoadedFromCache)) << r.err;
  auto again = check(program);
  EXPECT_TRUE(contains(again.err, kLoadedFromCache)) << again.err;  // the rebuilt entry is valid
}

TEST_F(Cache, SmallProgramsCompileAgainstTheTypesTheyNameEvenWithPrecompiledTypes) {
  ASSERT_EQ(checkAndWait(tracepointProgram("probecc-e2e cache-small-1")).status, 0);
  ASSERT_EQ(entries(".pch").size(), 1u);
  auto small = check(tracepointProgram("probecc-e2e cache-small-2"));
  ASSERT_EQ(small.status, 0) << small.err;
  EXPECT_TRUE(contains(small.err, kUsedNamedTypes)) << small.err;
  auto large = check(largeProgram("probecc-e2e cache-large"));
  ASSERT_EQ(large.status, 0) << large.err;
  EXPECT_TRUE(contains(large.err, kUsedPch)) << large.err;
}

TEST_F(Cache, TruncatedPrecompiledTypesAreRejectedAndRebuilt) {
  ASSERT_EQ(checkAndWait(largeProgram("probecc-e2e cache-trunc-1")).status, 0);
  const auto pch = entries(".pch").at(0);
  fs::resize_file(pch, fs::file_size(pch) / 2);
  auto r = checkAndWait(largeProgram("probecc-e2e cache-trunc-2"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, kRejected)) << r.err;
  EXPECT_TRUE(contains(r.err, kBuildingTypes)) << r.err;
  EXPECT_EQ(entries(".pch").size(), 1u);
}

TEST_F(Cache, ForeignOwnedEntryIsRejectedAndRebuilt) {
  const auto program = tracepointProgram("probecc-e2e cache-owner");
  ASSERT_EQ(checkAndWait(program).status, 0);
  const auto object = entries(".obj").at(0);
  ASSERT_EQ(chown(object.c_str(), kNobody, kNobody), 0);
  auto r = check(program);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, kRejected)) << r.err;
  struct stat st {};
  ASSERT_EQ(stat(object.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, geteuid());
}

TEST_F(Cache, DirectoryWithWrongModeOrOwnerIsRebuilt) {
  const auto program = tracepointProgram("probecc-e2e cache-dir");
  ASSERT_EQ(checkAndWait(program).status, 0);
  ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);
  auto open = checkAndWait(program);
  ASSERT_EQ(open.status, 0) << open.err;
  EXPECT_TRUE(contains(open.err, "cache directory " + dir_)) << open.err;
  EXPECT_FALSE(contains(open.err, kLoadedFromCache)) << open.err;  // nothing from then is trusted

  ASSERT_EQ(chown(dir_.c_str(), kNobody, kNobody), 0);
  auto foreign = checkAndWait(program);
  ASSERT_EQ(foreign.status, 0) << foreign.err;
  EXPECT_TRUE(contains(foreign.err, "cache directory " + dir_)) << foreign.err;
  struct stat st {};
  ASSERT_EQ(stat(dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, geteuid());
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  EXPECT_TRUE(contains(check(program).err, kLoadedFromCache));
}

TEST_F(Cache, OldPrecompiledTypesArePruned) {
  fs::create_directories(dir_);
  ASSERT_EQ(chmod(dir_.c_str(), 0700), 0);
  for (int age = 1; age <= 3; ++age) {
    const std::string stale = dir_ + "/kernel-old" + std::to_string(age) + ".pch";
    std::ofstream(stale) << "an older kernel's types";
    fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(age));
  }
  auto r = checkAndWait(tracepointProgram("probecc-e2e cache-prune"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, kBuildingTypes)) << r.err;
  EXPECT_EQ(entries(".pch").size(), 2u);  // the new one and the newest older one
  EXPECT_TRUE(fs::exists(dir_ + "/kernel-old1.pch"));
}

TEST_F(Cache, ConcurrentRunsBothSucceedAndLeaveOneValidEntry) {
  const auto program = tracepointProgram("probecc-e2e cache-race");
  RunResult first, second;
  std::thread a([&] { first = check(program); });
  std::thread b([&] { second = check(program); });
  a.join();
  b.join();
  ASSERT_TRUE(waitForBuilder());
  EXPECT_EQ(first.status, 0) << first.err;
  EXPECT_EQ(second.status, 0) << second.err;
  EXPECT_FALSE(contains(first.err + second.err, kRejected));
  // The lock is held from before the first compile to the end of the build: one builder.
  EXPECT_EQ(occurrences(first.err + second.err, kInBackground), 1u) << first.err << second.err;
  EXPECT_EQ(entries(".obj").size(), 1u);
  EXPECT_EQ(entries(".pch").size(), 1u);
  EXPECT_TRUE(leftovers().empty());
  EXPECT_TRUE(contains(check(program).err, kLoadedFromCache));
}

TEST_F(Cache, ColdRunDoesNotWaitForTheDetachedLowPriorityBuilder) {
  auto cold = check(tracepointProgram("probecc-e2e cache-detached"));
  ASSERT_EQ(cold.status, 0) << cold.err;
  EXPECT_TRUE(contains(cold.err, kInBackground)) << cold.err;
  // The run is over; the build (most of a second) is not.
  const auto builders = processesWithOpen(lockPath());
  ASSERT_EQ(builders.size(), 1u) << "no builder (or more than one) holds " << lockPath();
  const pid_t builder = builders[0];
  EXPECT_TRUE(entries(".pch").empty());
  const auto fields = statFields(builder);
  ASSERT_GT(fields.size(), 16u);
  EXPECT_NE(std::stoi(fields[3]), getsid(0)) << "the builder is not in a session of its own";
  EXPECT_EQ(std::stoi(fields[16]), 19) << "the builder's nice value";
  ASSERT_TRUE(waitForBuilder());
  EXPECT_EQ(entries(".pch").size(), 1u);
  EXPECT_TRUE(leftovers().empty());
  auto warm = check(tracepointProgram("probecc-e2e cache-detached-2"));
  ASSERT_EQ(warm.status, 0) << warm.err;
  EXPECT_FALSE(contains(warm.err, kBuildingTypes)) << warm.err;
}

TEST_F(Cache, RunFindingABuilderCompilesWithoutTypesAndStartsNoOther) {
  fs::create_directories(dir_);
  ASSERT_EQ(chmod(dir_.c_str(), 0700), 0);
  const int held = open(lockPath().c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(held, 0);
  ASSERT_EQ(flock(held, LOCK_EX), 0);  // as a running builder would
  const auto victim = uniquePath("cache-busy");
  auto r = probecc({"-v", "-e", tracepointProgram("probecc-e2e cache-busy"), "-c", removeCommand(victim)});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, kBuiltByAnother)) << r.err;
  EXPECT_FALSE(contains(r.err, kInBackground)) << r.err;
  EXPECT_TRUE(contains(r.out, "probecc-e2e cache-busy " + victim)) << r.out;
  EXPECT_TRUE(processesWithOpen(lockPath()).empty());  // no builder waits for it either
  close(held);
  EXPECT_TRUE(entries(".pch").empty());
}

TEST_F(Cache, NoCacheAndClearCache) {
  const auto program = tracepointProgram("probecc-e2e cache-off");
  ASSERT_EQ(probecc({"--no-cache", "-n", "-e", program}).status, 0);
  EXPECT_FALSE(fs::exists(dir_));
  ASSERT_EQ(check(program).status, 0);
  ASSERT_FALSE(entries(".obj").empty());
  auto cleared = probecc({"--clear-cache"});
  EXPECT_EQ(cleared.status, 0) << cleared.err;
  EXPECT_TRUE(fs::is_empty(dir_));
}

long statusField(pid_t pid, const std::string &field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.starts_with(field + ":")) return std::stol(line.substr(field.size() + 1));
  return -1;
}

struct Footprint {
  long rssKib = -1;
  std::string maps;
};

// Runs `args` (with -v) and records probecc's footprint once it has attached.
RunResult traceAndMeasure(std::vector<std::string> args, Footprint &footprint) {
  RunOptions options;
  options.whenAttached = [&](pid_t pid) {
    footprint.rssKib = statusField(pid, "VmRSS");
    std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
    footprint.maps.assign(std::istreambuf_iterator<char>(in), {});
  };
  args.insert(args.begin(), "-v");
  return probecc(args, options);
}

void expectLean(const Footprint &footprint) {
  EXPECT_FALSE(contains(footprint.maps, "libLLVM")) << "LLVM is mapped while tracing";
  EXPECT_FALSE(contains(footprint.maps, "libclang")) << "Clang is mapped while tracing";
  EXPECT_FALSE(contains(footprint.maps, "libprobecc-compiler")) << "the compiler is mapped while tracing";
  EXPECT_GT(footprint.rssKib, 0);
  EXPECT_LE(footprint.rssKib, 20 * 1024) << "RSS while tracing";
}

TEST_F(Cache, CacheHitTracesWithoutTheCompilerInLittleMemory) {
  const auto program = tracepointProgram("probecc-e2e cache-lean");
  ASSERT_EQ(check(program).status, 0);
  Footprint footprint;
  auto r = traceAndMeasure({"-e", program, "-d", "1"}, footprint);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, kLoadedFromCache)) << r.err;
  expectLean(footprint);
}

TEST_F(Cache, CompilingRunRestartsToTraceWithoutTheCompiler) {
  const auto program = tracepointProgram("probecc-e2e cache-restart");
  Footprint footprint;
  auto r = traceAndMeasure({"-e", program, "-d", "1", "-c", "env"}, footprint);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, kBuildingTypes)) << r.err;
  EXPECT_TRUE(contains(r.err, kLoadedFromCache)) << r.err;  // the restarted process
  EXPECT_FALSE(contains(r.out, "PROBECC_RESTARTED")) << "the restart marker leaked to the command";
  expectLean(footprint);
}

}  // namespace

TEST_F(Cache, EditingAnIncludedHeaderRecompiles) {
  const std::string dir = root_ + "/script";
  fs::create_directories(dir);
  const std::string script = dir + "/probe.c";
  std::ofstream(script) << "#include \"message.h\"\n"
                        << "int tracepoint__syscalls__sys_enter_unlinkat(struct trace_event_raw_sys_enter *args) {\n"
                        << "  bpf_trace_printk(MESSAGE \" %s\\n\", (char *)args->args[1]);\n  return 0;\n}\n";
  for (const std::string message : {"probecc-e2e header-one", "probecc-e2e header-two"}) {
    std::ofstream(dir + "/message.h") << "#define MESSAGE \"" << message << "\"\n";
    const auto victim = uniquePath("cache-header");
    auto r = probecc({"-v", script, "-c", removeCommand(victim)});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(contains(r.out, message + " " + victim)) << r.out << r.err;
    EXPECT_TRUE(waitForBuilder());
  }
  auto again = probecc({"-v", "-n", script});
  EXPECT_TRUE(contains(again.err, kLoadedFromCache)) << again.err;  // unchanged header: a hit
}
