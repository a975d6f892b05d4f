#pragma once
// The key under which the object cache stores a compiled program (program/compiled_program.h's
// bytes): everything that decides what the compiler produces.
#include <string>

#include "program/compiled_program.h"

namespace probecc {

// `kernel`: kernelKey() of the kernel types; `compiler`: which compiler build would run.
std::string programCacheKey(const ProgramRequest &request, const std::string &kernel, const std::string &compiler);

}  // namespace probecc
