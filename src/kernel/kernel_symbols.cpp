#include "kernel/kernel_symbols.h"

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

const std::pair<uint64_t, std::string> *KernelSymbols::containing(uint64_t address) {
  if (!loaded_) load();
  auto after = std::upper_bound(symbols_.begin(), symbols_.end(), std::make_pair(address, std::string("\xff")));
  // kallsyms shows every address as 0 to readers it hides them from
  if (after == symbols_.begin() || symbols_.empty() || symbols_.front().first == 0) return nullptr;
  return &*std::prev(after);
}

std::string KernelSymbols::describe(uint64_t address) {
  char text[160];
  if (const auto *symbol = containing(address))
    std::snprintf(text, sizeof text, "%s+0x%llx", symbol->second.c_str(), (unsigned long long)(address - symbol->first));
  else
    std::snprintf(text, sizeof text, "0x%llx", (unsigned long long)address);
  return text;
}

std::string KernelSymbols::functionName(uint64_t address) {
  if (const auto *symbol = containing(address)) return symbol->second;
  char text[32];
  std::snprintf(text, sizeof text, "0x%llx", (unsigned long long)address);
  return text;
}

}  // namespace probecc
