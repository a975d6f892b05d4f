#include "frontend/kernel_config.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <fstream>

using namespace probecc;

namespace {

constexpr const char *kConfig =
    "#\n# Automatically generated file; DO NOT EDIT.\n#\n"
    "CONFIG_CC_VERSION_TEXT=\"gcc (Debian 12.2.0-14) 12.2.0\"\n"
    "CONFIG_X86_64=y\n"
    "CONFIG_HZ=250\n"
    "CONFIG_PHYSICAL_START=0x1000000\n"
    "CONFIG_EXT4_FS=m\n"
    "# CONFIG_KPROBES is not set\n"
    "CONFIG_EMPTY=\n"
    "CONFIG_OFF=n";  // no newline at the end

}  // namespace

TEST(KernelConfig, MacrosTakeAutoconfsForm) {
  const auto macros = kernelConfigMacros(kConfig);
  EXPECT_NE(macros.find("#define CONFIG_CC_VERSION_TEXT \"gcc (Debian 12.2.0-14) 12.2.0\"\n"), std::string::npos);
  EXPECT_NE(macros.find("#define CONFIG_X86_64 1\n"), std::string::npos);
  EXPECT_NE(macros.find("#define CONFIG_HZ 250\n"), std::string::npos);
  EXPECT_NE(macros.find("#define CONFIG_PHYSICAL_START 0x1000000\n"), std::string::npos);
  EXPECT_NE(macros.find("#define CONFIG_EXT4_FS_MODULE 1\n"), std::string::npos);
  EXPECT_EQ(macros.find("#define CONFIG_EXT4_FS "), std::string::npos);
  EXPECT_EQ(macros.find("CONFIG_KPROBES"), std::string::npos);
  EXPECT_EQ(macros.find("CONFIG_EMPTY"), std::string::npos);
  EXPECT_EQ(macros.find("CONFIG_OFF"), std::string::npos);
  EXPECT_NE(macros.find("#define IS_ENABLED(option)"), std::string::npos);
}

TEST(KernelConfig, ReadsGzippedAndPlainConfigs) {
  const std::string plain = testing::TempDir() + "probecc-config-" + std::to_string(getpid());
  const std::string gzipped = plain + ".gz";
  std::ofstream(plain) << kConfig;
  gzFile out = gzopen(gzipped.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  gzputs(out, kConfig);
  gzclose(out);
  EXPECT_EQ(readKernelConfig(plain), kConfig);
  EXPECT_EQ(readKernelConfig(gzipped), kConfig);
  EXPECT_EQ(readKernelConfig(plain + ".absent"), "");
  EXPECT_EQ(readKernelConfig(""), "");
  unlink(plain.c_str());
  unlink(gzipped.c_str());
}
