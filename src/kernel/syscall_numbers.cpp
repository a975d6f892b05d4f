#include "kernel/syscall_numbers.h"

#include <utility>

namespace probecc {
namespace {

// A plain array: deducing std::array's size from ~380 initialisers is past clang's nesting limit.
constexpr std::pair<std::string_view, unsigned> kSyscalls[] = {
#define PROBECC_SYSCALL(name, number) {#name, number},
#include "kernel/syscall_numbers_x86_64.inc"
#undef PROBECC_SYSCALL
};

}  // namespace

std::optional<unsigned> syscallNumber(std::string_view name) {
  for (const auto &[syscall, number] : kSyscalls)
    if (syscall == name) return number;
  return std::nullopt;
}

}  // namespace probecc
