#pragma once
// The package file (--emit package): a short text header a person can read with `head`, then the
// ProgramPackage record (compiled_program.h) in the one serialisation the cache uses too.
//
//   probecc-package
//   format 6            the records' format version
//   probecc 0.1.0       the version that built it
//   arch x86_64
//   size 48213          bytes of the record after the blank line
//   blake3 <64 hex>     the record's checksum
//   (blank line)
//   <record>
//
// A package from another format, for another architecture, truncated or changed is refused with
// the reason, before any of its record is trusted.
#include <string>

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/Error.h>

#include "program/compiled_program.h"

namespace probecc {

// Whether `bytes` start as a package does (the first line).
bool looksLikePackage(llvm::StringRef bytes);

std::string writePackage(const ProgramPackage &package);

// `name` for messages (the file's path); `arch`: the machine's, as uname -m says it (kernel/arch.h's hostArch().triplePrefix).
llvm::Expected<ProgramPackage> readPackage(llvm::StringRef bytes, llvm::StringRef name, llvm::StringRef arch);

// The checksum's hex form, as the header has it (also the packages' source hash).
std::string blake3Hex(llvm::StringRef bytes);

}  // namespace probecc
