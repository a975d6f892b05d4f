#pragma once
// What BCC gives a snippet implicitly: kernel types, helper declarations, u8..u64, PT_REGS_*,
// bpf_trace_printk with a literal format, BPF_LICENSE, the macros BTF cannot carry.
#include <string>
#include <vector>

#include "frontend/kernel_types.h"
#include "frontend/program_facts.h"

namespace probecc {

// The header Clang reads before the user's file (via -include).
std::string buildPreamble(const KernelTypes &kernel);

// BCC's -DBPF_LICENSE=NAME (cflags): the program's license section saying NAME; "" without one.
std::string commandLineLicense(const std::vector<std::string> &defines);

// A libbpf-style program: it includes vmlinux.h or <bpf/bpf_helpers.h> itself.
bool isLibbpfStyle(const ProgramFacts &program);

}  // namespace probecc
