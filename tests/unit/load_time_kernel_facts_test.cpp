#include "frontend/load_time_kernel_facts.h"

#include <gtest/gtest.h>

using namespace probecc;

TEST(LoadTimeKernelFacts, KconfigExternsAreTypedAsTheCompilingKernelsConfigurationShowsThem) {
  const std::string config = "CONFIG_BPF=y\nCONFIG_HZ=250\nCONFIG_ZSWAP=m\nCONFIG_LOCALVERSION=\"-x\"\n# CONFIG_KASAN is not set\n";
  const std::string externs = kconfigExterns(
      "if (CONFIG_HZ > 100 && IS_ENABLED(CONFIG_BPF)) x = CONFIG_ZSWAP; y = CONFIG_KASAN; CONFIG_BPF; CONFIG_LOCALVERSION;",
      config);
  EXPECT_NE(externs.find("extern long long CONFIG_HZ __kconfig __weak;\n"), std::string::npos) << externs;
  EXPECT_NE(externs.find("extern enum libbpf_tristate CONFIG_BPF __kconfig __weak;\n"), std::string::npos);
  EXPECT_NE(externs.find("extern enum libbpf_tristate CONFIG_ZSWAP __kconfig __weak;\n"), std::string::npos);
  EXPECT_NE(externs.find("extern enum libbpf_tristate CONFIG_KASAN __kconfig __weak;\n"), std::string::npos);
  EXPECT_NE(externs.find("extern char CONFIG_LOCALVERSION[256] __kconfig __weak;\n"), std::string::npos);
  // once each, however often the program names it
  EXPECT_EQ(externs.find("CONFIG_BPF __kconfig"), externs.rfind("CONFIG_BPF __kconfig"));
  // a C-only name: #if on it does not preprocess
  EXPECT_NE(externs.find("#define CONFIG_HZ kernel_fact_known_at_load_time(CONFIG_HZ)\n"), std::string::npos);
  EXPECT_EQ(kconfigExterns("int x;", config), "");
}

TEST(LoadTimeKernelFacts, VersionComesFromLibbpfAtLoadTime) {
  const std::string_view facts = loadTimeKernelFacts();
  EXPECT_NE(facts.find("extern unsigned int LINUX_KERNEL_VERSION __kconfig;"), std::string_view::npos);
  EXPECT_NE(facts.find("#define LINUX_VERSION_CODE kernel_fact_known_at_load_time(LINUX_KERNEL_VERSION)"),
            std::string_view::npos);
}
