#pragma once
// The rows of user-space kinds (attach_kinds.h): uprobes and uretprobes (limited to one process
// with -p PID, attached at the function's own file offset where libbpf 1.1 would find the name
// ambiguous) and USDT probes (their path and provider resolved here, attached by libbpf's
// bpf_program__attach_usdt, which also handles semaphores).
#include <cstdint>
#include <optional>
#include <string>

#include "attach/attach_kinds.h"
#include "elf/elf_functions.h"

namespace probecc {

// The file offset of `symbol`'s code in `binary`, when every symbol of that name names the same
// code; nullopt for an IFUNC, versions with different code, or no such function.
std::optional<uint64_t> sharedFileOffset(const std::string &binary, const std::string &symbol);
std::optional<uint64_t> sharedFileOffset(const ElfFunctions &functions, const std::string &symbol);

}  // namespace probecc
