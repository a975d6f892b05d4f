#include "support/numbers.h"

#include <gtest/gtest.h>

using namespace probecc;

namespace {
std::string errorOf(llvm::Error error) { return llvm::toString(std::move(error)); }
}  // namespace

TEST(Numbers, CountsAreWholeDecimalAndInRange) {
  auto pages = parseCount("64", 1, 1 << 16, "--buffer-pages");
  ASSERT_TRUE(bool(pages)) << errorOf(pages.takeError());
  EXPECT_EQ(*pages, 64u);
  const std::pair<const char *, const char *> bad[] = {
      {"-1", "not '-1'"}, {"1e3", "not '1e3'"}, {"0x10", "not '0x10'"}, {"", "not ''"}, {"12 ", "not '12 '"},
      {"0", "out of range (from 1 to 65536)"}, {"65537", "out of range"},
      {"18446744073709551616", "too large"},
  };
  for (const auto &[text, expected] : bad) {
    auto parsed = parseCount(text, 1, 1 << 16, "--buffer-pages");
    ASSERT_FALSE(bool(parsed)) << text;
    const std::string error = errorOf(parsed.takeError());
    EXPECT_NE(error.find("--buffer-pages"), std::string::npos) << error;
    EXPECT_NE(error.find(expected), std::string::npos) << error;
  }
}

TEST(Numbers, SecondsAreFiniteAndInRange) {
  auto half = parseSeconds("0.5", false, "-i");
  ASSERT_TRUE(bool(half)) << errorOf(half.takeError());
  EXPECT_EQ(*half, 0.5);
  auto zero = parseSeconds("0", true, "-d");
  ASSERT_TRUE(bool(zero)) << errorOf(zero.takeError());
  for (const char *text : {"nan", "NaN", "inf", "-inf", "-1", "1e10", "2s", "", "0x1p3"}) {
    auto parsed = parseSeconds(text, true, "-d");
    ASSERT_FALSE(bool(parsed)) << text;
    EXPECT_NE(errorOf(parsed.takeError()).find(std::string("not '") + text + "'"), std::string::npos) << text;
  }
  auto notPositive = parseSeconds("0", false, "-i");
  ASSERT_FALSE(bool(notPositive));
  EXPECT_NE(errorOf(notPositive.takeError()).find("a positive number of seconds"), std::string::npos);
}
