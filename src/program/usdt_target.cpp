#include "program/usdt_target.h"

#include <vector>

#include "support/error.h"

namespace probecc {

llvm::Expected<UsdtTarget> parseUsdtTarget(std::string_view target) {
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    const auto colon = target.find(':', start);
    parts.emplace_back(target.substr(start, colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  UsdtTarget usdt;
  if (parts.size() == 3) usdt = {parts[0], parts[1], parts[2]};
  else if (parts.size() == 2 && parts[0].find('/') != std::string::npos) usdt = {parts[0], "", parts[1]};
  else if (parts.size() == 2) usdt = {"", parts[0], parts[1]};
  else if (parts.size() == 1) usdt = {"", "", parts[0]};
  const bool emptyName = usdt.probe.empty() || (parts.size() == 3 && usdt.provider.empty()) ||
                         (parts.size() == 2 && parts[0].empty());
  if (parts.size() > 3 || emptyName)
    return makeError("write usdt:PATH:[PROVIDER:]PROBE (a PATH contains '/'), or with -p PID "
                     "usdt:[PROVIDER:]PROBE");
  return usdt;
}

std::string usdtTargetText(const UsdtTarget &target) {
  std::string text;
  for (const auto *part : {&target.path, &target.provider, &target.probe})
    if (!part->empty()) text += (text.empty() ? "" : ":") + *part;
  return text;
}

std::string usdtTargetHelp() {
  return "  -a usdt:PATH:[PROVIDER:]PROBE=fn  ... at USDT probe PROBE of binary or library PATH (with -p PID:\n"
         "                               usdt:[PROVIDER:]PROBE is the process's executable); fn reads the\n"
         "                               probe's arguments with bpf_usdt_readarg(N, ctx, &v) or bpf_usdt_arg\n";
}

}  // namespace probecc
