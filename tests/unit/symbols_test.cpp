#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "kernel/kernel_symbols.h"
#include "elf/user_symbols.h"

using namespace probecc;

extern "C" __attribute__((noinline, used)) int probecc_symbols_test_marker(int x) { return x * 3 + 1; }

TEST(UserSymbols, AddressInThisBinaryResolvesToItsFunction) {
  const auto address = reinterpret_cast<uint64_t>(&probecc_symbols_test_marker) + 4;
  UserSymbols symbols;
  const auto text = symbols.describe(getpid(), address);
  EXPECT_EQ(text.rfind("probecc_symbols_test_marker+0x4 (", 0), 0u) << text;
  EXPECT_NE(text.find("probecc_unit_tests)"), std::string::npos) << text;
}

TEST(UserSymbols, GoneProcessOrUnmappedAddressIsHex) {
  UserSymbols symbols;
  EXPECT_EQ(symbols.describe(999999999, 0x1234), "0x1234");
  EXPECT_EQ(symbols.describe(getpid(), 0x10), "0x10");
}

TEST(KernelSymbols, NearestLowerSymbolWithOffset) {
  const auto path = std::filesystem::temp_directory_path() / ("probecc-kallsyms-" + std::to_string(getpid()));
  std::ofstream(path) << "ffffffff81000000 T _stext\nffffffff81000100 t helper_a\nffffffff81000200 T vfs_read\n"
                         "ffffffff81000300 D some_data\nffffffffc0000000 t mod_fn\t[my_module]\n";
  KernelSymbols symbols(path);
  EXPECT_EQ(symbols.describe(0xffffffff81000210), "vfs_read+0x10");
  EXPECT_EQ(symbols.describe(0xffffffff81000100), "helper_a+0x0");
  EXPECT_EQ(symbols.describe(0xffffffffc0000008), "mod_fn+0x8");
  EXPECT_EQ(symbols.describe(0x1000), "0x1000");
  std::filesystem::remove(path);
}
