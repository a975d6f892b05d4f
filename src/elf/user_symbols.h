#pragma once
// User-space addresses → "function+0xoffset (binary)", through the process's /proc/PID/maps and
// the mapped binary's ELF symbol tables (read with libelf, cached per binary).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace probecc {

class UserSymbols {
public:
  UserSymbols();
  ~UserSymbols();
  // "0x..." when the process is gone or the address is in no symbol-bearing file.
  std::string describe(int pid, uint64_t address);

private:
  struct Mapping {
    uint64_t start, end, offset;
    std::string path;
  };
  struct Binary;
  const std::vector<Mapping> &mappings(int pid);
  Binary &binary(const std::string &path);
  std::map<int, std::vector<Mapping>> processes_;
  std::map<std::string, std::unique_ptr<Binary>> binaries_;
};

}  // namespace probecc
