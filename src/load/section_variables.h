#pragma once
// A global variable of a BPF object, found by name in one of its BTF data sections (".rodata",
// ".bss", ".maps"): where it is in the section and what type it has.
#include <cstdint>
#include <optional>
#include <string_view>

#include <bpf/btf.h>

namespace probecc {

struct SectionVariable {
  uint32_t offset = 0, size = 0;  // in the section's data
  uint32_t type = 0;              // the variable's declared type (not resolved)
};

std::optional<SectionVariable> findSectionVariable(const btf *types, std::string_view section, std::string_view name);

}  // namespace probecc
