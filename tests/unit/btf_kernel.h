#pragma once
// Kernel types from the running kernel's BTF, as discoverKernelTypes() finds them with --btf.
#include "program/kernel_types.h"

inline probecc::KernelTypes btfKernelTypes() {
  probecc::KernelTypes kernel;
  kernel.source = probecc::KernelTypes::Source::Btf;
  kernel.release = "test";
  kernel.btfPath = "/sys/kernel/btf/vmlinux";
  return kernel;
}
