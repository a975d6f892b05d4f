#pragma once
// BCC's implicit kernel-memory reads, done on optimised IR: in kprobe-like programs a load through a
// pointer that came from kernel memory (the probe's arguments, bpf_get_current_task(), another such
// load) becomes bpf_probe_read_kernel into a stack slot, so `file->f_path.dentry->d_name.name` works.
#include <llvm/ADT/ArrayRef.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

namespace probecc {

// `programs`: the probes whose kind reads kernel memory implicitly; each one's first argument is its
// context. Functions they call are rewritten too. Runs after -O2. Error (module unchanged): the
// program writes through a kernel pointer, which no probe may do.
llvm::Error rewriteKernelMemoryReads(llvm::Module &module, llvm::ArrayRef<llvm::Function *> programs);

}  // namespace probecc
