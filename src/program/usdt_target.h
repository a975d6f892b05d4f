#pragma once
// How a USDT probe is named: usdt:PATH:PROVIDER:PROBE, usdt:PATH:PROBE (PATH contains '/'), and
// with -p PID, usdt:PROVIDER:PROBE or usdt:PROBE in the process's executable.
#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

namespace probecc {

struct UsdtTarget {
  std::string path;      // empty: the -p process's executable
  std::string provider;  // empty: whichever provider has a probe of that name
  std::string probe;
  bool operator==(const UsdtTarget &) const = default;
};

llvm::Expected<UsdtTarget> parseUsdtTarget(std::string_view target);
// As parseUsdtTarget reads it back: "PATH:PROVIDER:PROBE", "PATH:PROBE", "PROVIDER:PROBE", "PROBE".
std::string usdtTargetText(const UsdtTarget &target);
std::string usdtTargetHelp();

}  // namespace probecc
