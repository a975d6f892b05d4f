#pragma once
// The kernel macros BCC programs use that BTF cannot carry (kernel BTF has types and enums, no
// macros), for the BTF-mode preamble: constants generated from a real headers tree
// (kernel_constants.inc, see scripts/gen-kernel-constants.sh) and the expression macros
// (min, htons, sk_daddr, TCP_SKB_CB, ...) written over BTF's types.
#include <string>

namespace probecc {

std::string btfKernelMacros();

}  // namespace probecc
