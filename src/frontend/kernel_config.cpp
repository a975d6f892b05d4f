#include "frontend/kernel_config.h"

#include <zlib.h>

#include <filesystem>
#include <memory>

namespace probecc {
namespace {

// IS_BUILTIN(CONFIG_X) is 1 when CONFIG_X is defined as 1 and 0 when it is not defined at all, in
// #if and in C alike: a defined option pastes into a name that expands to "0,", which shifts a 1
// into the second argument; an undefined one pastes into a name that expands to nothing.
constexpr const char *kConfigTests = R"(#define __probecc_config_1 0,
#define __probecc_second(first, second, ...) second
#define __probecc_comma_if_set(junk_or_comma) __probecc_second(junk_or_comma 1, 0)
#define __probecc_config_set_(value) __probecc_comma_if_set(__probecc_config_##value)
#define __probecc_config_set(option) __probecc_config_set_(option)
#define IS_BUILTIN(option) __probecc_config_set(option)
#define IS_MODULE(option) __probecc_config_set(option##_MODULE)
#define IS_ENABLED(option) (IS_BUILTIN(option) || IS_MODULE(option))
#define IS_REACHABLE(option) IS_ENABLED(option)
)";

}  // namespace

std::string kernelConfigPath(const std::string &release) {
  for (const std::string &path : {std::string("/proc/config.gz"), "/boot/config-" + release})
    if (!release.empty() && std::filesystem::exists(path)) return path;
  return "";
}

std::string readKernelConfig(const std::string &path) {
  if (path.empty()) return "";
  // gzread reads uncompressed files as they are.
  std::unique_ptr<gzFile_s, decltype(&gzclose)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) return "";
  std::string text;
  char buffer[1 << 16];
  for (int n; (n = gzread(file.get(), buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  return text;
}

std::string kernelConfigMacros(std::string_view config) {
  std::string macros = "/* kernel configuration (autoconf.h's form) */\n";
  while (!config.empty()) {
    const auto end = config.find('\n');
    std::string_view line = config.substr(0, end);
    config = end == std::string_view::npos ? std::string_view() : config.substr(end + 1);
    const auto equals = line.find('=');
    if (!line.starts_with("CONFIG_") || equals == std::string_view::npos || equals + 1 == line.size()) continue;
    const std::string_view name = line.substr(0, equals), value = line.substr(equals + 1);
    if (value == "y")
      macros += "#define " + std::string(name) + " 1\n";
    else if (value == "m")
      macros += "#define " + std::string(name) + "_MODULE 1\n";
    else if (value != "n")
      macros += "#define " + std::string(name) + " " + std::string(value) + "\n";
  }
  return macros + kConfigTests;
}

}  // namespace probecc
