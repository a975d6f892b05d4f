#pragma once
// Decodes raw map keys/values and event records through the program's BTF into values (JSON
// values, output_sink.h) that the renderers print as text or JSON.
#include <cstdint>
#include <string>
#include <string_view>

#include "output/output_sink.h"

struct btf;

namespace probecc {

class KernelSymbols;

// A value whose type is (a typedef to) this name holds a kernel address and prints as the kernel
// function it is in (the preamble declares it: BCC's tools print such keys with b.ksym()).
constexpr const char *kKernelSymbolTypedef = "probecc_ksym_t";
// A map member of (a typedef to) these is a stack map's id, or the process its user stack is in.
constexpr const char *kKernelStackIdTypedef = "probecc_kstack_id_t";
constexpr const char *kUserStackIdTypedef = "probecc_ustack_id_t";
constexpr const char *kPidTypedef = "probecc_pid_t";

class BtfFormatter {
public:
  // Without `kernelSymbols`, kernel addresses print as numbers.
  explicit BtfFormatter(const btf *types, KernelSymbols *kernelSymbols = nullptr)
      : types_(types), kernelSymbols_(kernelSymbols) {}

  // A value of BTF type `id` at `data`: numbers, strings (char arrays, enum names, pointers in
  // hex, kernel symbols), arrays and objects.
  JsonValue value(uint32_t id, const uint8_t *data) const;

  // The type behind typedefs and qualifiers.
  uint32_t resolve(uint32_t id) const;
  // Whether type `id` is, behind qualifiers, the typedef `name` (or a typedef of it).
  bool isTypedef(uint32_t id, const char *name) const;
  bool isInteger(uint32_t id) const;
  // An unsigned or signed integer of up to 8 bytes read as a 64-bit value.
  int64_t integerValue(uint32_t id, const uint8_t *data) const;
  const btf *types() const { return types_; }

private:
  JsonValue intValue(uint32_t id, const uint8_t *data, uint32_t bitOffset, uint32_t bitSize) const;
  JsonValue arrayValue(uint32_t id, const uint8_t *data) const;
  JsonValue structValue(uint32_t id, const uint8_t *data) const;
  bool isKernelSymbol(uint32_t id) const;
  const btf *types_;
  KernelSymbols *kernelSymbols_;
};

}  // namespace probecc
