#include "loader/kernel_symbols.h"

#include <algorithm>
#include <cstdio>
#include <fstream>

namespace probecc {

void KernelSymbols::load() {
  loaded_ = true;
  std::ifstream kallsyms(path_);
  std::string address, type, name;
  while (kallsyms >> address >> type >> name) {
    kallsyms.ignore(4096, '\n');  // a module name may follow
    if (type != "t" && type != "T" && type != "W" && type != "w") continue;
    symbols_.emplace_back(std::stoull(address, nullptr, 16), std::move(name));
  }
  std::sort(symbols_.begin(), symbols_.end());
}

std::string KernelSymbols::describe(uint64_t address) {
  if (!loaded_) load();
  char text[160];
  auto after = std::upper_bound(symbols_.begin(), symbols_.end(), std::make_pair(address, std::string("\xff")));
  if (after == symbols_.begin() || symbols_.empty() || symbols_.front().first == 0) {
    std::snprintf(text, sizeof text, "0x%llx", (unsigned long long)address);
    return text;
  }
  const auto &symbol = *std::prev(after);
  std::snprintf(text, sizeof text, "%s+0x%llx", symbol.second.c_str(), (unsigned long long)(address - symbol.first));
  return text;
}

}  // namespace probecc
