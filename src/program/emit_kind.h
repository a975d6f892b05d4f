#pragma once
// What the compiler hands back as the program's code (--emit).
namespace probecc {

enum class EmitKind { Object, Assembly, LlvmIr };

}  // namespace probecc
