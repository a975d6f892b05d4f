#pragma once
// The functions an ELF file defines (.symtab and .dynsym), with the file offsets uprobes attach at.
#include <cstdint>
#include <string>
#include <vector>

#include <llvm/Support/Error.h>

namespace probecc {

struct ElfFunction {
  std::string name;
  uint64_t address = 0;     // st_value
  uint64_t fileOffset = 0;  // where a uprobe on it attaches
  bool indirect = false;    // STT_GNU_IFUNC: the symbol is the resolver, not the function
};

struct ElfSegment {
  uint64_t fileOffset, fileSize, address;  // PT_LOAD: file offset → address
};

struct ElfFunctions {
  std::vector<ElfFunction> functions;  // sorted by address, then name
  std::vector<ElfSegment> segments;
};

llvm::Expected<ElfFunctions> readElfFunctions(const std::string &path);

}  // namespace probecc
