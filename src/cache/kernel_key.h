#pragma once
// What identifies the kernel types a compile sees, for cache keys: the release, and a hash of the
// BTF bytes or, for a headers directory, the paths, sizes and modification times of the files
// that change whenever the tree does (its generated config and version headers, Makefile).
#include <string>

#include <llvm/Support/Error.h>

#include "program/kernel_types.h"

namespace probecc {

llvm::Expected<std::string> kernelKey(const KernelTypes &kernel);

}  // namespace probecc
