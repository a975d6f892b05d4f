#pragma once
// bpf_trace_printk checks its format only when it runs, and then prints nothing at all; probecc
// checks every format at compile time instead, with the kernel's rules, at the user's line.
#include <optional>
#include <string>
#include <string_view>

#include <llvm/IR/InstrTypes.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/Error.h>

namespace probecc {

// Empty if the kernel accepts `format` with `argumentCount` arguments, else why not.
std::string traceFormatProblem(std::string_view format, unsigned argumentCount);

// The format of a bpf_trace_printk call (up to its NUL), once it is a constant.
std::optional<std::string> tracePrintkFormat(const llvm::CallBase &call);

// Run after -O2, when every format is a constant: an error for the first format the kernel
// would refuse.
llvm::Error checkTracePrintkFormats(const llvm::Module &module);

}  // namespace probecc
