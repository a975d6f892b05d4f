// Issue 18's pure parts: syscall numbers by tracepoint name, multi-target links split until the
// refused targets stand alone, and the progress line's silence.
#include <gtest/gtest.h>

#include <llvm/Support/raw_ostream.h>

#include <set>
#include <thread>

#include "kernel/syscall_numbers.h"
#include "attach/attach_groups.h"
#include "support/progress_line.h"

using namespace probecc;

TEST(SyscallNumbers, NameTheTracepointsNames) {
  EXPECT_EQ(syscallNumber("read"), 0u);
  EXPECT_EQ(syscallNumber("openat"), 257u);
  // the entry points' names, as the syscalls tracepoints have them, not <asm/unistd.h>'s
  EXPECT_EQ(syscallNumber("newfstat"), 5u);
  EXPECT_EQ(syscallNumber("umount"), 166u);
  EXPECT_EQ(syscallNumber("sendfile64"), 40u);
  EXPECT_EQ(syscallNumber("fstat"), std::nullopt);
  EXPECT_EQ(syscallNumber("mseal"), 462u);  // newer than the build host's headers
  EXPECT_EQ(syscallNumber("no_such_syscall"), std::nullopt);
}

TEST(AttachGroups, OneGroupWhenTheKernelTakesAll) {
  int groups = 0;
  std::vector<std::pair<size_t, int>> refused;
  attachInGroups(0, 100, [&](size_t, size_t) { return ++groups, true; }, refused);
  EXPECT_EQ(groups, 1);
  EXPECT_TRUE(refused.empty());
}

TEST(AttachGroups, RefusedTargetsStandAloneAndTheRestAttach) {
  const std::set<size_t> bad{3, 4, 77};
  std::set<size_t> attached;
  std::vector<std::pair<size_t, int>> refused;
  attachInGroups(0, 100, [&](size_t first, size_t count) {
    for (size_t i = first; i < first + count; ++i)
      if (bad.contains(i)) return errno = EINVAL, false;
    for (size_t i = first; i < first + count; ++i) attached.insert(i);
    return true;
  }, refused);
  ASSERT_EQ(refused.size(), 3u);
  for (const auto &[index, error] : refused) {
    EXPECT_TRUE(bad.contains(index));
    EXPECT_EQ(error, EINVAL);
  }
  EXPECT_EQ(attached.size(), 97u);
}

class ProgressLineTest : public testing::Test {
protected:
  std::string text;
  llvm::raw_string_ostream out{text};
  Diagnostics diagnostics{false, out};
};

TEST_F(ProgressLineTest, SilentWhenDisabled) {
  ProgressLine progress(diagnostics, false);
  progress.start("detaching", 10);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  progress.update(5);
  progress.finish();
  EXPECT_EQ(out.str(), "");
}

TEST_F(ProgressLineTest, SilentForAQuickStepThenShownAndCleared) {
  ProgressLine progress(diagnostics, true);
  progress.start("detaching", 10);
  progress.update(5);
  EXPECT_EQ(out.str(), "") << "shown before half a second passed";
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  progress.update(6);
  EXPECT_EQ(out.str(), "\rprobecc: detaching 6/10\033[K");
  progress.finish();
  EXPECT_EQ(out.str(), "\rprobecc: detaching 6/10\033[K\r\033[K");
}
