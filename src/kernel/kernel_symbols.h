#pragma once
// Kernel addresses → "function+0xoffset", from /proc/kallsyms (read once, on first use).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace probecc {

class KernelSymbols {
public:
  explicit KernelSymbols(std::string path = "/proc/kallsyms") : path_(std::move(path)) {}
  std::string describe(uint64_t address);
  // The function alone, as BCC's ksym() prints it ("vfs_read"), or "0x..." when none holds it.
  std::string functionName(uint64_t address);

private:
  void load();
  const std::pair<uint64_t, std::string> *containing(uint64_t address);
  std::string path_;
  bool loaded_ = false;
  std::vector<std::pair<uint64_t, std::string>> symbols_;  // sorted by address
};

}  // namespace probecc
