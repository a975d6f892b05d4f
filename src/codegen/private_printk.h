#pragma once
// bpf_trace_printk to the session's own ring buffer instead of the kernel's global trace_pipe:
// each call becomes "reserve a record, fill it (time, pid, cpu, comm, the format's id, the
// arguments, a copy of each string), submit it", and the formats stay in user space, where
// probecc formats each record as the kernel would have.
#include <string>
#include <vector>

#include <llvm/IR/Module.h>

namespace probecc {

// Run after checkTracePrintkFormats. Returns the formats, indexed by the id each record carries.
// When `enabled` is false, or no call prints, the preamble's ring buffer and drop counter are
// removed and the calls stay as they are.
std::vector<std::string> routePrintkToRingBuffer(llvm::Module &module, bool enabled);

}  // namespace probecc
