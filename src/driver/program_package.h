#pragma once
// Packages (program/package.h) on both ends: made from a compiled program on the building machine,
// and checked on the running one, before libbpf sees them, for what CO-RE cannot relocate.
#include <string>

#include <llvm/Support/Error.h>

#include "program/compiled_program.h"

namespace probecc {

// `program` compiled from `script` on this machine; `tracefs` for the layouts of the BCC
// tracepoint structs it was compiled with.
llvm::Expected<ProgramPackage> makePackage(const Script &script, CompiledProgram program, const std::string &tracefs,
                                           PackagedOutput output);

// Whether this kernel can run `package`: the kernel it is bound to, if any, and the layout of each
// tracepoint whose BCC struct it reads. Error: the reason it cannot.
llvm::Error checkRunsOnThisKernel(const ProgramPackage &package, const std::string &tracefs);

}  // namespace probecc
