#include "elf/user_symbols.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "elf/elf_functions.h"

namespace probecc {

struct UserSymbols::Binary {
  std::vector<ElfSegment> segments;                           // PT_LOAD: file offset → address
  std::vector<std::pair<uint64_t, std::string>> symbols;  // functions, sorted by address
};

UserSymbols::UserSymbols() = default;
UserSymbols::~UserSymbols() = default;

const std::vector<UserSymbols::Mapping> &UserSymbols::mappings(int pid) {
  auto [it, inserted] = processes_.try_emplace(pid);
  if (!inserted) return it->second;
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  for (std::string line; std::getline(maps, line);) {
    std::istringstream fields(line);
    std::string range, perms, offset, device, inode, path;
    fields >> range >> perms >> offset >> device >> inode >> path;
    if (perms.size() < 3 || perms[2] != 'x' || path.empty() || path[0] != '/') continue;
    const auto dash = range.find('-');
    it->second.push_back({std::stoull(range.substr(0, dash), nullptr, 16), std::stoull(range.substr(dash + 1), nullptr, 16),
                          std::stoull(offset, nullptr, 16), path});
  }
  return it->second;
}

UserSymbols::Binary &UserSymbols::binary(const std::string &path) {
  auto [it, inserted] = binaries_.try_emplace(path, std::make_unique<Binary>());
  Binary &binary = *it->second;
  if (!inserted) return binary;
  auto elf = readElfFunctions(path);
  if (!elf) {
    llvm::consumeError(elf.takeError());  // described by address alone
    return binary;
  }
  binary.segments = std::move(elf->segments);
  for (auto &function : elf->functions) binary.symbols.emplace_back(function.address, std::move(function.name));
  std::sort(binary.symbols.begin(), binary.symbols.end());
  return binary;
}

std::string UserSymbols::describe(int pid, uint64_t address) {
  char text[256];
  std::snprintf(text, sizeof text, "0x%llx", (unsigned long long)address);
  for (const auto &mapping : mappings(pid)) {
    if (address < mapping.start || address >= mapping.end) continue;
    const uint64_t fileOffset = address - mapping.start + mapping.offset;
    Binary &file = binary(mapping.path);
    const std::string base = mapping.path.substr(mapping.path.rfind('/') + 1);
    for (const auto &segment : file.segments) {
      if (fileOffset < segment.fileOffset || fileOffset >= segment.fileOffset + segment.fileSize) continue;
      const uint64_t elfAddress = fileOffset - segment.fileOffset + segment.address;
      auto after = std::upper_bound(file.symbols.begin(), file.symbols.end(),
                                    std::make_pair(elfAddress, std::string("\xff")));
      if (after == file.symbols.begin()) break;
      const auto &symbol = *std::prev(after);
      std::snprintf(text, sizeof text, "%s+0x%llx (%s)", symbol.second.c_str(),
                    (unsigned long long)(elfAddress - symbol.first), base.c_str());
      return text;
    }
    std::snprintf(text, sizeof text, "0x%llx (%s)", (unsigned long long)address, base.c_str());
    return text;
  }
  return text;
}

}  // namespace probecc
