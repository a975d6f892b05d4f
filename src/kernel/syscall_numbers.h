#pragma once
// Syscall numbers by the name their syscalls:sys_enter_NAME tracepoint gives them (x86_64).
#include <optional>
#include <string_view>

namespace probecc {

// "openat" → 257; nullopt for a name not in the table (a syscall newer than it).
std::optional<unsigned> syscallNumber(std::string_view name);

}  // namespace probecc
