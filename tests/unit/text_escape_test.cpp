#include <gtest/gtest.h>

#include "support/text_escape.h"

using namespace probecc;

namespace {
std::string printable(std::string_view bytes) {
  std::string out;
  appendPrintable(bytes, out);
  return out;
}
}  // namespace

TEST(TextEscape, TextAndUtf8StayAndOtherBytesAreEscaped) {
  EXPECT_EQ(printable("/etc/passwd"), "/etc/passwd");
  EXPECT_EQ(printable("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
  EXPECT_EQ(printable("a\tb\nc"), "a\\tb\\nc");
  EXPECT_EQ(printable(std::string_view("\xfc\xfd\x01x", 4)), "\\xfc\\xfd\\x01x");
  EXPECT_EQ(printable("\xc0\xaf"), "\\xc0\\xaf");          // overlong '/'
  EXPECT_EQ(printable("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a UTF-16 surrogate
  EXPECT_EQ(printable("\xe2\x82"), "\\xe2\\x82");           // cut short
}

TEST(TextEscape, HexBytesAreTwoLowercaseDigitsEach) {
  const uint8_t bytes[] = {0x00, 0x0f, 0xa0, 0xff, 0x7e};
  EXPECT_EQ(hexBytes(bytes, sizeof bytes), "000fa0ff7e");
  EXPECT_EQ(hexBytes(bytes, 0), "");
}
