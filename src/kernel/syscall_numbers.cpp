#include "kernel/syscall_numbers.h"

#include <array>
#include <utility>

namespace probecc {
namespace {

constexpr std::array kSyscalls{
#define PROBECC_SYSCALL(name, number) std::pair<std::string_view, unsigned>{#name, number},
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
