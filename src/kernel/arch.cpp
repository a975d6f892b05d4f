#include "kernel/arch.h"

#include <array>

namespace probecc {
namespace {

constexpr std::array kArches{
    KernelArch{"x86", "x86_64", "__x64_sys_"},
    KernelArch{"arm64", "aarch64", "__arm64_sys_"},
    KernelArch{"s390", "s390x", "__s390x_sys_"},
    KernelArch{"riscv", "riscv64", "__riscv_sys_"},
};

constexpr const KernelArch &compiledArch() {
#if defined(__x86_64__)
  return kArches[0];
#elif defined(__aarch64__)
  return kArches[1];
#elif defined(__s390x__)
  return kArches[2];
#elif defined(__riscv)
  return kArches[3];
#else
#error "probecc does not know this architecture's kernel yet: add it to kArches"
#endif
}

}  // namespace

std::span<const KernelArch> knownArches() { return kArches; }
const KernelArch &hostArch() { return compiledArch(); }

}  // namespace probecc
