#pragma once
// The object cache's contents: a compiled program (BPF ELF, probe plan, notes) as bytes, and the
// key under which it is stored, made of everything that decides what the compiler produces.
#include <string>

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include "driver/compile_program.h"

namespace probecc {

// `kernel`: kernelKey() of the kernel types; `compiler`: which compiler build would run.
std::string programCacheKey(const ProgramRequest &request, const std::string &kernel, const std::string &compiler);

std::string serializeProgram(const CompiledProgram &program);
llvm::Expected<CompiledProgram> deserializeProgram(llvm::StringRef bytes);

}  // namespace probecc
