#pragma once
// The kernel architectures probecc knows, one row each: how the kernel tree names the arch, how
// LLVM's triples start, and the prefix of its syscall entry points.
#include <span>
#include <string_view>

namespace probecc {

struct KernelArch {
  std::string_view name;           // arch/NAME in the kernel tree, __TARGET_ARCH_NAME for libbpf
  std::string_view triplePrefix;   // "x86_64" of x86_64-pc-linux-gnu
  std::string_view syscallPrefix;  // "__x64_sys_": entry points that take the user's pt_regs
};

std::span<const KernelArch> knownArches();
// The arch probecc runs on (it probes the kernel it runs on).
const KernelArch &hostArch();

}  // namespace probecc
