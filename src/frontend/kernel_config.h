#pragma once
// The running kernel's configuration as the headers' generated autoconf.h gives it, for BTF mode
// (kernel BTF carries no CONFIG_* values): read from /proc/config.gz or /boot/config-RELEASE.
#include <string>
#include <string_view>

namespace probecc {

// Where this kernel's configuration can be read ("" when nowhere): /proc/config.gz
// (CONFIG_IKCONFIG_PROC), else /boot/config-RELEASE.
std::string kernelConfigPath(const std::string &release);

// The text of a kernel .config, gzip-compressed or not; "" when it cannot be read.
std::string readKernelConfig(const std::string &path);

// autoconf.h's form of a .config: CONFIG_X=y → #define CONFIG_X 1, =m → CONFIG_X_MODULE 1, strings
// and numbers as they are; "is not set" lines define nothing. Also IS_ENABLED, IS_BUILTIN,
// IS_MODULE and IS_REACHABLE over those, as <linux/kconfig.h> has them.
std::string kernelConfigMacros(std::string_view config);

}  // namespace probecc
