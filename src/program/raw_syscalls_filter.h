#pragma once
// A raw_syscalls program standing in for a syscalls tracepoint program (codegen/raw_syscalls.h)
// runs for every syscall and serves those whose bit its filter sets: a bitmap of syscall numbers
// in a read-only data section of its own, which libbpf makes a map the loader fills before load.
#include <string>
#include <string_view>

namespace probecc {

constexpr unsigned kRawSyscallsFilterBits = 1024;  // syscall numbers 0..1023
constexpr unsigned kRawSyscallsFilterBytes = kRawSyscallsFilterBits / 8;

// The filter's section (libbpf's map of that name) for the stand-in program `function`.
inline std::string rawSyscallsFilterSection(std::string_view function) {
  return ".rodata.syscalls." + std::string(function);
}

}  // namespace probecc
