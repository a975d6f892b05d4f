// Issue 6: the cache directory, its entries, kernel keys, and what the object cache stores.
#include <gtest/gtest.h>

#include "probe_targets.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "cache/builder_lock.h"
#include "cache/cache_dir.h"
#include "cache/cache_entry.h"
#include "cache/kernel_key.h"
#include "cache/program_cache.h"

using namespace probecc;
namespace fs = std::filesystem;

namespace {

constexpr uid_t kNobody = 65534;

std::string readAll(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeAll(const std::string &path, const std::string &bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

unsigned modeOf(const std::string &path) {
  struct stat st {};
  stat(path.c_str(), &st);
  return st.st_mode & 07777;
}

std::vector<std::string> namesIn(const std::string &dir) {
  std::vector<std::string> names;
  for (const auto &entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

class CacheTest : public testing::Test {
protected:
  void SetUp() override {
    char path[] = "/tmp/probecc-cache-test-XXXXXX";
    ASSERT_NE(mkdtemp(path), nullptr);
    root_ = path;
    dir_ = root_ + "/cache";
    ASSERT_FALSE(static_cast<bool>(prepareCacheDir(dir_, diagnostics_)));
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string path(const std::string &name) const { return dir_ + "/" + name; }

  std::string root_, dir_;
  std::string said_;  // what the cache told the user
  llvm::raw_string_ostream saidStream_{said_};
  Diagnostics diagnostics_{false, saidStream_};
};

TEST_F(CacheTest, NewDirectoryIsPrivateToTheEffectiveUser) {
  struct stat st {};
  ASSERT_EQ(stat(dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, geteuid());
  EXPECT_EQ(st.st_mode & 07777, 0700u);
}

TEST_F(CacheTest, EntryRoundTrips) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", std::string("pay\0load", 8))));
  auto entry = readCacheEntry(dir_, "a.obj", "key", diagnostics_);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->payload(), llvm::StringRef(std::string("pay\0load", 8)));
  EXPECT_EQ(modeOf(path("a.obj")), 0600u);
  EXPECT_EQ(namesIn(dir_), std::vector<std::string>{"a.obj"});  // no temporary file left behind
}

TEST_F(CacheTest, MissingEntryIsAbsent) { EXPECT_FALSE(readCacheEntry(dir_, "none.obj", "key", diagnostics_)); }

TEST_F(CacheTest, TruncatedEntryIsRejectedAndRemoved) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", std::string(1000, 'x'))));
  for (size_t keep : {size_t(0), size_t(10), size_t(500), size_t(1050)}) {
    ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", std::string(1000, 'x'))));
    const std::string whole = readAll(path("a.obj"));
    writeAll(path("a.obj"), whole.substr(0, keep));
    EXPECT_FALSE(readCacheEntry(dir_, "a.obj", "key", diagnostics_)) << "kept " << keep;
    EXPECT_FALSE(fs::exists(path("a.obj")));
  }
}

TEST_F(CacheTest, TamperedEntryIsRejected) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", "the program")));
  std::string bytes = readAll(path("a.obj"));
  bytes[4] ^= 1;
  writeAll(path("a.obj"), bytes);
  EXPECT_FALSE(readCacheEntry(dir_, "a.obj", "key", diagnostics_));
  EXPECT_FALSE(fs::exists(path("a.obj")));
  EXPECT_EQ(said_, "probecc: warning: rejecting cache entry " + path("a.obj") +
                       ": content hash mismatch (modified or corrupt); rebuilding it\n");
}

TEST_F(CacheTest, EntryStoredUnderAnotherKeyIsRejected) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key one", "the program")));
  fs::rename(path("a.obj"), path("b.obj"));
  EXPECT_FALSE(readCacheEntry(dir_, "b.obj", "key two", diagnostics_));
}

TEST_F(CacheTest, ForeignOwnedEntryIsRejected) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", "the program")));
  ASSERT_EQ(chown(path("a.obj").c_str(), kNobody, kNobody), 0);
  EXPECT_FALSE(readCacheEntry(dir_, "a.obj", "key", diagnostics_));
  EXPECT_FALSE(fs::exists(path("a.obj")));
}

TEST_F(CacheTest, EntryOthersCanReadOrWriteIsRejected) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", "the program")));
  ASSERT_EQ(chmod(path("a.obj").c_str(), 0666), 0);
  EXPECT_FALSE(readCacheEntry(dir_, "a.obj", "key", diagnostics_));
}

TEST_F(CacheTest, SymlinkedEntryIsRejected) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "real.obj", "key", "the program")));
  fs::create_symlink(path("real.obj"), path("link.obj"));
  EXPECT_FALSE(readCacheEntry(dir_, "link.obj", "key", diagnostics_));
}

TEST_F(CacheTest, WorldWritableDirectoryIsRebuilt) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", "the program")));
  ASSERT_EQ(chmod(dir_.c_str(), 0777), 0);
  ASSERT_FALSE(static_cast<bool>(prepareCacheDir(dir_, diagnostics_)));
  EXPECT_EQ(modeOf(dir_), 0700u);
  EXPECT_TRUE(namesIn(dir_).empty());  // entries from while it was open to everyone are gone
}

TEST_F(CacheTest, DirectoryOnlyItsOwnerCanWriteIsKeptAsItIs) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", "the program")));
  ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);  // as `mkdir` makes it
  ASSERT_FALSE(static_cast<bool>(prepareCacheDir(dir_, diagnostics_)));
  saidStream_.flush();
  EXPECT_EQ(said_, "");
  EXPECT_EQ(modeOf(dir_), 0755u);
  EXPECT_EQ(namesIn(dir_), std::vector<std::string>{"a.obj"});
}

TEST_F(CacheTest, ReadOnlyFileSystemIsOneErrorAndNothingIsTouched) {
  const std::string mountPoint = root_ + "/ro";
  fs::create_directory(mountPoint);
  if (mount("tmpfs", mountPoint.c_str(), "tmpfs", 0, "mode=0755") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs (needs root): " << strerror(errno);
  const std::string existing = mountPoint + "/cache";
  ASSERT_EQ(mkdir(existing.c_str(), 0777), 0);
  ASSERT_EQ(chmod(existing.c_str(), 0777), 0);  // would be rebuilt, were it writable
  ASSERT_EQ(mount(nullptr, mountPoint.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr), 0);
  for (const std::string &dir : {existing, mountPoint + "/missing"}) {
    llvm::Error error = prepareCacheDir(dir, diagnostics_);
    ASSERT_TRUE(static_cast<bool>(error)) << dir;
    EXPECT_NE(llvm::toString(std::move(error)).find("read-only file system"), std::string::npos) << dir;
  }
  saidStream_.flush();
  EXPECT_EQ(said_, "");  // no warning besides the error
  EXPECT_EQ(modeOf(existing), 0777u);
  umount2(mountPoint.c_str(), MNT_DETACH);
}

TEST_F(CacheTest, ForeignOwnedDirectoryIsRebuilt) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", "the program")));
  ASSERT_EQ(chown(dir_.c_str(), kNobody, kNobody), 0);
  ASSERT_FALSE(static_cast<bool>(prepareCacheDir(dir_, diagnostics_)));
  struct stat st {};
  ASSERT_EQ(stat(dir_.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, geteuid());
  EXPECT_TRUE(namesIn(dir_).empty());
}

TEST_F(CacheTest, DirectoryWithOtherFilesIsRefusedAndLeftAlone) {
  const std::string dir = root_ + "/home";
  fs::create_directory(dir);
  ASSERT_EQ(chmod(dir.c_str(), 0755), 0);
  writeAll(dir + "/notes.txt", "mine");
  EXPECT_TRUE(static_cast<bool>(prepareCacheDir(dir, diagnostics_)));
  EXPECT_EQ(readAll(dir + "/notes.txt"), "mine");
  EXPECT_EQ(modeOf(dir), 0755u);
}

TEST_F(CacheTest, SymlinkedDirectoryIsRefused) {
  fs::create_symlink(dir_, root_ + "/link");
  llvm::Error error = prepareCacheDir(root_ + "/link", diagnostics_);
  EXPECT_TRUE(static_cast<bool>(error));
  llvm::consumeError(std::move(error));
}

TEST_F(CacheTest, ClearRemovesEveryEntry) {
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", "one")));
  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "b.pch", "key", "two")));
  writeAll(path("c.obj.tmp.123.456"), "half");
  ASSERT_FALSE(static_cast<bool>(clearCacheDir(dir_)));
  EXPECT_TRUE(namesIn(dir_).empty());
  EXPECT_EQ(modeOf(dir_), 0700u);
}

TEST_F(CacheTest, BuilderLockIsExclusiveAndClearWaitsForIt) {
  auto lock = BuilderLock::tryAcquire(dir_);
  ASSERT_TRUE(lock && *lock);
  auto second = BuilderLock::tryAcquire(dir_);
  ASSERT_TRUE(static_cast<bool>(second));
  EXPECT_FALSE(*second);  // a builder runs: start no other
  EXPECT_TRUE(BuilderLock::isLockFile((*lock)->fd(), dir_));
  ASSERT_FALSE(static_cast<bool>(prepareCacheDir(dir_, diagnostics_)));  // the lock file belongs in a cache

  ASSERT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.pch", "key", "types")));
  std::atomic<bool> cleared = false;
  std::thread clear([&] { cleared = !clearCacheDir(dir_); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_FALSE(cleared);  // waits for the builder
  EXPECT_TRUE(fs::exists(path("a.pch")));
  lock->reset();
  clear.join();
  EXPECT_TRUE(cleared);
  EXPECT_TRUE(namesIn(dir_).empty());
}

TEST_F(CacheTest, ConcurrentWritersLeaveOneValidEntry) {
  std::vector<std::thread> writers;
  for (int i = 0; i < 8; ++i)
    writers.emplace_back([&, i] {
      for (int round = 0; round < 20; ++round)
        EXPECT_FALSE(static_cast<bool>(writeCacheEntry(dir_, "a.obj", "key", std::string(100000 + i, 'a' + i))));
    });
  std::thread reader([&] {
    for (int round = 0; round < 200; ++round) {
      if (auto entry = readCacheEntry(dir_, "a.obj", "key", diagnostics_)) {
        EXPECT_GE(entry->payload().size(), 100000u);
      }
    }
  });
  for (auto &writer : writers) writer.join();
  reader.join();
  EXPECT_EQ(namesIn(dir_), std::vector<std::string>{"a.obj"});
  EXPECT_TRUE(readCacheEntry(dir_, "a.obj", "key", diagnostics_));
}

TEST_F(CacheTest, EntryNamesDifferByKey) {
  EXPECT_EQ(cacheEntryName("object", "k1", "obj"), cacheEntryName("object", "k1", "obj"));
  EXPECT_NE(cacheEntryName("object", "k1", "obj"), cacheEntryName("object", "k2", "obj"));
  EXPECT_TRUE(isCacheFileName(cacheEntryName("object", "k1", "obj")));
  EXPECT_TRUE(isCacheFileName(cacheEntryName("kernel", "k1", "pch")));
}

TEST_F(CacheTest, BtfKernelKeyFollowsTheBtfBytes) {
  KernelTypes kernel;
  kernel.release = "6.1.0";
  kernel.btfPath = path("btf");
  writeAll(kernel.btfPath, "types one");
  auto one = kernelKey(kernel);
  writeAll(kernel.btfPath, "types two");
  auto two = kernelKey(kernel);
  kernel.release = "6.2.0";
  auto three = kernelKey(kernel);
  ASSERT_TRUE(one && two && three);
  EXPECT_NE(*one, *two);
  EXPECT_NE(*two, *three);
}

TEST_F(CacheTest, HeadersKernelKeyFollowsTheTree) {
  KernelTypes kernel;
  kernel.source = KernelTypes::Source::HeadersDir;
  kernel.release = "6.1.0";
  kernel.buildDir = kernel.sourceDir = root_ + "/headers";
  fs::create_directories(kernel.buildDir + "/include/generated");
  writeAll(kernel.buildDir + "/include/generated/autoconf.h", "#define CONFIG_A 1\n");
  auto one = kernelKey(kernel);
  writeAll(kernel.buildDir + "/include/generated/autoconf.h", "#define CONFIG_A 1\n#define CONFIG_B 1\n");
  auto two = kernelKey(kernel);
  ASSERT_TRUE(one && two);
  EXPECT_NE(*one, *two);
}

ProgramRequest sampleRequest() {
  ProgramRequest request;
  request.script = {"<-e>", "int kprobe__do_unlinkat(void *ctx) { return 0; }"};
  request.defines = {"A=1"};
  request.includeDirs = {"/tmp"};
  return request;
}

TEST_F(CacheTest, ProgramKeyCoversSourceFlagsKernelAndCompiler) {
  const auto base = programCacheKey(sampleRequest(), "kernel", "compiler");
  EXPECT_EQ(base, programCacheKey(sampleRequest(), "kernel", "compiler"));
  EXPECT_NE(base, programCacheKey(sampleRequest(), "other kernel", "compiler"));
  EXPECT_NE(base, programCacheKey(sampleRequest(), "kernel", "other compiler"));
  std::vector<std::function<void(ProgramRequest &)>> changes = {
      [](ProgramRequest &r) { r.script.text += " "; },
      [](ProgramRequest &r) { r.script.name = "x.c"; },
      [](ProgramRequest &r) { r.defines = {"A=2"}; },
      [](ProgramRequest &r) { r.defines = {"A=1", "B"}; },
      [](ProgramRequest &r) { r.includeDirs = {"/usr"}; },
      [](ProgramRequest &r) { r.attachments.push_back({"f", ProbeKind::Kprobe, KernelName{"do_unlinkat"}}); },
      [](ProgramRequest &r) { r.kernel.source = KernelTypes::Source::HeadersDir; },
      [](ProgramRequest &r) { r.kernel.buildDir = "/usr/src/linux"; },
      [](ProgramRequest &r) { r.emitAfter = "parse"; },
      [](ProgramRequest &r) { r.syscalls.kprobes = false; },
      [](ProgramRequest &r) { r.emitKind = EmitKind::Assembly; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    auto request = sampleRequest();
    changes[i](request);
    EXPECT_NE(base, programCacheKey(request, "kernel", "compiler")) << "change " << i;
  }
}

TEST_F(CacheTest, ProgramRoundTrips) {
  CompiledProgram program;
  const std::string elf("\x7f" "ELF\0\1\2", 7);
  program.code.assign(elf.begin(), elf.end());
  ProbeSpec probe{"syscall__openat", ProbeKind::Tracepoint, targetOf(ProbeKind::Tracepoint, "syscalls/sys_enter_openat"),
                  ArgumentSource::SyscallEnterTracepoint, 4};
  program.probes = {probe, {"kprobe__x", ProbeKind::Kprobe, KernelName{"x"}, ArgumentSource::Registers}};
  program.notes = {"moved to its tracepoint"};
  program.kernel.source = KernelTypes::Source::HeadersDir;
  program.kernel.release = "6.1.0";
  program.kernel.buildDir = "/b";
  program.kernel.sourceDir = "/s";
  auto back = deserializeProgram(serializeProgram(program));
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(std::string(back->code.begin(), back->code.end()), elf);
  ASSERT_EQ(back->probes.size(), 2u);
  EXPECT_EQ(back->probes[0].function, "syscall__openat");
  EXPECT_EQ(back->probes[0].kind, ProbeKind::Tracepoint);
  EXPECT_EQ(back->probes[0].target, probe.target);
  EXPECT_EQ(back->probes[0].target.shown(), "syscalls:sys_enter_openat");
  EXPECT_EQ(back->probes[0].arguments, ArgumentSource::SyscallEnterTracepoint);
  EXPECT_EQ(back->probes[0].syscallArgCount, 4u);
  EXPECT_EQ(back->probes[1].arguments, ArgumentSource::Registers);
  EXPECT_EQ(back->notes, program.notes);
  EXPECT_EQ(back->kernel.source, KernelTypes::Source::HeadersDir);
  EXPECT_EQ(back->kernel.sourceDir, "/s");
}

TEST_F(CacheTest, RequestAndOutcomeRoundTripAcrossTheCompilerBoundary) {
  auto request = sampleRequest();
  request.attachments.push_back({"f", ProbeKind::Uprobe, UserFunction{"/bin/sh", "main"}, ArgumentSource::Registers});
  request.kernel.source = KernelTypes::Source::HeadersDir;
  request.kernel.buildDir = "/b";
  request.emitAfter = "optimise";
  request.verbose = true;
  request.cacheDir = "/c";
  auto back = deserializeRequest(serializeRequest(request));
  ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
  EXPECT_EQ(back->script.text, request.script.text);
  EXPECT_EQ(back->defines, request.defines);
  ASSERT_EQ(back->attachments.size(), 1u);
  EXPECT_EQ(back->attachments[0].kind, ProbeKind::Uprobe);
  EXPECT_EQ(back->attachments[0].target.text(), "/bin/sh:main");
  EXPECT_EQ(back->kernel.source, KernelTypes::Source::HeadersDir);
  EXPECT_EQ(back->kernel.buildDir, "/b");
  EXPECT_EQ(back->emitAfter, "optimise");
  EXPECT_TRUE(back->verbose);
  EXPECT_EQ(back->cacheDir, "/c");
  // -v and the cache's place do not change what is compiled: not in the key
  auto quiet = request;
  quiet.verbose = false;
  quiet.cacheDir = "/elsewhere";
  EXPECT_EQ(programCacheKey(request, "k", "c"), programCacheKey(quiet, "k", "c"));

  CompileOutcome outcome;
  outcome.error = "x.c:1:2: error: nope";
  outcome.kernelPchMissing = true;
  auto answer = deserializeOutcome(serializeOutcome(outcome));
  ASSERT_TRUE(static_cast<bool>(answer)) << llvm::toString(answer.takeError());
  EXPECT_FALSE(answer->program.has_value());
  EXPECT_EQ(answer->error, outcome.error);
  EXPECT_TRUE(answer->kernelPchMissing);
  outcome.program.emplace().notes = {"a note"};
  answer = deserializeOutcome(serializeOutcome(outcome));
  ASSERT_TRUE(static_cast<bool>(answer) && answer->program) << "program lost";
  EXPECT_EQ(answer->program->notes, std::vector<std::string>{"a note"});
}

TEST_F(CacheTest, CorruptProgramIsAnError) {
  CompiledProgram program;
  program.probes = {{"kprobe__x", ProbeKind::Kprobe, KernelName{"x"}}};
  const std::string bytes = serializeProgram(program);
  for (size_t cut : {size_t(0), size_t(5), bytes.size() / 2, bytes.size() - 1}) {
    auto back = deserializeProgram(llvm::StringRef(bytes).take_front(cut));
    EXPECT_FALSE(static_cast<bool>(back)) << "cut at " << cut;
    if (!back) llvm::consumeError(back.takeError());
  }
}

}  // namespace
