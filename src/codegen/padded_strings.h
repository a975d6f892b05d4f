#pragma once
// String literals padded to 8 bytes. BCC programs copy a literal into a fixed-size field
// (__builtin_memcpy(&key.op, "fsync", sizeof(key.op))); the copy reads past the literal's end,
// which in .rodata (a map value to the verifier) is "invalid access to map value" when the literal
// is the last one. With each literal padded by zeros to a multiple of 8 such a read stays inside.
#include <llvm/IR/Module.h>

namespace probecc {

void padStringLiterals(llvm::Module &module);

}  // namespace probecc
