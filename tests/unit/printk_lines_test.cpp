#include "output/printk_lines.h"

#include <cstring>

#include <gtest/gtest.h>

using namespace probecc;
using namespace probecc::printk_record;

namespace {

// A record as the probe writes it, for format id 0.
std::vector<uint8_t> record(const std::string &format, std::vector<uint64_t> args, std::vector<std::string> copies = {}) {
  const auto parsed = parsePrintkFormat(format);
  const auto layout = printkRecordLayout(parsed);
  std::vector<uint8_t> bytes(layout.size, 0);
  const uint64_t ns = 1234567891234ull;
  const uint32_t pid = 4321, cpu = 3;
  std::memcpy(&bytes[kTimestamp], &ns, 8);
  std::memcpy(&bytes[kPid], &pid, 4);
  std::memcpy(&bytes[kCpu], &cpu, 4);
  std::memcpy(&bytes[kComm], "cat", 3);
  for (size_t i = 0; i < args.size(); ++i) std::memcpy(&bytes[kArgs + 8 * i], &args[i], 8);
  for (size_t i = 0, c = 0; i < layout.copyOffsets.size(); ++i)
    if (layout.copyOffsets[i] && c < copies.size()) {
      std::memcpy(&bytes[layout.copyOffsets[i]], copies[c].data(), copies[c].size());
      ++c;
    }
  return bytes;
}

std::string message(const std::string &format, std::vector<uint64_t> args, std::vector<std::string> copies = {}) {
  KernelSymbols symbols("/nonexistent");
  const auto bytes = record(format, std::move(args), std::move(copies));
  return formatPrintkMessage(parsePrintkFormat(format), bytes.data(), bytes.size(), symbols);
}

}  // namespace

TEST(PrintkLines, IntegersTakeTheirSizeFromTheLengthModifier) {
  EXPECT_EQ(message("%d %u %x", {uint64_t(-42), uint64_t(-42), 0x1ffffffffull}), "-42 4294967254 ffffffff");
  EXPECT_EQ(message("%ld %llu %lX", {uint64_t(-42), uint64_t(-1), 0xabcdef012ull}),
            "-42 18446744073709551615 ABCDEF012");
  EXPECT_EQ(message("[%5d] [%-5d] [%05i]", {42, 42, 42}), "[   42] [42   ] [00042]");
  EXPECT_EQ(message("%c%c 100%%", {'o', 'k'}), "ok 100%");
}

TEST(PrintkLines, AWidthPastTheMessagesLengthIsCutToIt) {
  // found by the printk_format fuzzer: printf counted out 777777776 spaces, or failed past INT_MAX
  EXPECT_EQ(message("%777777776d", {5}), std::string(1022, ' ') + "5");
  EXPECT_EQ(message("%-2147483648d|", {5}), "5" + std::string(1022, ' '));
  EXPECT_EQ(message("%04294967296x", {0xab}), std::string(1021, '0') + "ab");
  EXPECT_EQ(message("[%999d]", {5}), "[" + std::string(998, ' ') + "5]");
}

TEST(PrintkLines, StringsAndAddressesComeFromTheRecordsCopies) {
  EXPECT_EQ(message("[%-6s] %pus", {0, 0}, {"ab", "user"}), "[ab    ] user");
  EXPECT_EQ(message("%pI4 %pi4", {0, 0}, {std::string("\xc0\xa8\x00\x07", 4), std::string("\x0a\x00\x00\x01", 4)}),
            "192.168.0.7 010.000.000.001");
  std::string ip6(16, '\0');
  ip6[0] = 0x20, ip6[1] = 0x01, ip6[15] = 1;
  EXPECT_EQ(message("%pI6", {0}, {ip6}), "2001:0000:0000:0000:0000:0000:0000:0001");
  EXPECT_EQ(message("%px", {0xffff888012345678ull}), "ffff888012345678");
}

TEST(PrintkLines, ALineHasTracePipesShape) {
  PrintkLines lines({"hello %d\n"});
  const auto bytes = record("hello %d\n", {7});
  EXPECT_EQ(lines.lineOf(bytes.data(), bytes.size()),
            "             cat-4321    [003] .....  1234.567891: bpf_trace_printk: hello 7\n\n");
  EXPECT_EQ(lines.lineOf(bytes.data(), 10), "");  // too short
}
