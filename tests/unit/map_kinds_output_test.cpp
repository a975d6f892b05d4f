#include "output/map_kinds_output.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

using namespace probecc;

namespace {

// An LPM trie key as the kernel lays it out: a host-order u32 prefix length, then the data bytes.
std::vector<uint8_t> lpmKey(uint32_t prefixLength, std::vector<uint8_t> data) {
  std::vector<uint8_t> key(4 + data.size());
  std::memcpy(key.data(), &prefixLength, 4);
  std::copy(data.begin(), data.end(), key.begin() + 4);
  return key;
}

std::string prefix(const std::vector<uint8_t> &key) { return lpmPrefix(key.data(), key.size()); }

}  // namespace

TEST(MapKindsOutput, LpmKeyWithFourDataBytesIsAnIpv4Prefix) {
  EXPECT_EQ(prefix(lpmKey(8, {10, 0, 0, 0})), "10.0.0.0/8");
  EXPECT_EQ(prefix(lpmKey(32, {192, 168, 1, 254})), "192.168.1.254/32");
  EXPECT_EQ(prefix(lpmKey(0, {0, 0, 0, 0})), "0.0.0.0/0");
}

TEST(MapKindsOutput, LpmKeyWithSixteenDataBytesIsAnIpv6Prefix) {
  EXPECT_EQ(prefix(lpmKey(10, {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})), "fe80::/10");
  EXPECT_EQ(prefix(lpmKey(128, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1})), "2001:db8::1/128");
}

TEST(MapKindsOutput, LpmKeyOfAnyOtherSizeIsHexBytes) {
  EXPECT_EQ(prefix(lpmKey(20, {0x0a, 0x0b, 0xc0})), "0a0bc0/20");
  EXPECT_EQ(prefix(lpmKey(300, {1, 2, 3, 4, 5, 6, 7, 8})), "0102030405060708/300");
  EXPECT_EQ(prefix(lpmKey(0, {})), "/0");
}

TEST(MapKindsOutput, LpmKeyTooShortForItsPrefixLength) {
  const uint8_t key[3] = {8, 0, 0};
  EXPECT_EQ(lpmPrefix(key, sizeof key), "?");
}

TEST(MapKindsOutput, UntypedBytesAreANumberUpToEightBytesAndHexBeyond) {
  const uint8_t small[4] = {0x2a, 0x01, 0, 0};
  EXPECT_EQ(untypedBytes(small, sizeof small), "298");
  const uint8_t large[10] = {0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3, 4, 0xff};
  EXPECT_EQ(untypedBytes(large, sizeof large), "0xdeadbeef0001020304ff");
}
