#pragma once
// What BCC gives a snippet implicitly: kernel types, helper declarations, u8..u64, PT_REGS_*,
// bpf_trace_printk with a literal format, BPF_LICENSE, the macros BTF cannot carry.
#include <string>

#include "frontend/kernel_types.h"

namespace probecc {

// The header Clang reads before the user's file (via -include).
std::string buildPreamble(const KernelTypes &kernel);

}  // namespace probecc
