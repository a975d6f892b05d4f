#include "output/btf_format.h"

#include <bpf/btf.h>

#include <cstdio>
#include <cstring>

#include "kernel/kernel_symbols.h"

namespace probecc {

uint32_t BtfFormatter::resolve(uint32_t id) const {
  for (;;) {
    const btf_type *t = btf__type_by_id(types_, id);
    if (!t) return id;
    if (btf_is_typedef(t) || btf_is_const(t) || btf_is_volatile(t) || btf_is_restrict(t) || btf_is_type_tag(t))
      id = t->type;
    else
      return id;
  }
}

bool BtfFormatter::isInteger(uint32_t id) const {
  const btf_type *t = btf__type_by_id(types_, resolve(id));
  return t && (btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t));
}

int64_t BtfFormatter::integerValue(uint32_t id, const uint8_t *data) const {
  const btf_type *t = btf__type_by_id(types_, resolve(id));
  const size_t size = t ? std::min<size_t>(t->size, 8) : 0;
  const bool isSigned = t && btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED);
  uint64_t raw = 0;
  std::memcpy(&raw, data, size);
  if (isSigned && size < 8 && (raw >> (size * 8 - 1)) & 1) raw |= ~uint64_t(0) << (size * 8);
  return static_cast<int64_t>(raw);
}

JsonValue BtfFormatter::intValue(uint32_t id, const uint8_t *data, uint32_t bitOffset, uint32_t bitSize) const {
  const btf_type *t = btf__type_by_id(types_, id);
  const bool isSigned = btf_int_encoding(t) & BTF_INT_SIGNED;
  const bool isBool = btf_int_encoding(t) & BTF_INT_BOOL;
  if (t->size > 8) {  // __int128: hex is the honest rendering
    uint64_t halves[2];
    std::memcpy(halves, data, 16);
    char text[48];
    std::snprintf(text, sizeof text, "0x%llx%016llx", (unsigned long long)halves[1], (unsigned long long)halves[0]);
    return text;
  }
  uint64_t raw = 0;
  std::memcpy(&raw, data + bitOffset / 8, t->size);
  const uint32_t bits = bitSize ? bitSize : t->size * 8;
  raw >>= bitOffset % 8;
  if (bits < 64) raw &= (uint64_t(1) << bits) - 1;
  if (isBool) return raw != 0;
  // A plain `char` member is a character (filetop's type 'R'); u8/s8 (unsigned/signed char) are numbers.
  if (t->size == 1 && !bitSize && std::strcmp(btf__name_by_offset(types_, t->name_off), "char") == 0)
    return std::string(1, static_cast<char>(raw));
  if (isSigned && bits < 64 && (raw >> (bits - 1)) & 1) raw |= ~uint64_t(0) << bits;
  return isSigned ? JsonValue(static_cast<int64_t>(raw)) : JsonValue(raw);
}

JsonValue BtfFormatter::arrayValue(uint32_t id, const uint8_t *data) const {
  const struct btf_array *array = btf_array(btf__type_by_id(types_, id));
  const uint32_t element = resolve(array->type);
  const btf_type *elementType = btf__type_by_id(types_, element);
  const auto elementSize = btf__resolve_size(types_, element);
  if (elementType && btf_is_int(elementType) && elementType->size == 1) {
    // char arrays are strings (comm, filename); stop at the first NUL
    const auto *chars = reinterpret_cast<const char *>(data);
    return std::string(chars, strnlen(chars, array->nelems));
  }
  JsonValue elements = JsonValue::array();
  for (uint32_t i = 0; i < array->nelems && elementSize > 0; ++i) elements.push_back(value(element, data + i * elementSize));
  return elements;
}

JsonValue BtfFormatter::structValue(uint32_t id, const uint8_t *data) const {
  const btf_type *t = btf__type_by_id(types_, id);
  const btf_member *members = btf_members(t);
  JsonValue object = JsonValue::object();
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    const char *name = btf__name_by_offset(types_, members[i].name_off);
    if (name && std::strncmp(name, "__pad", 5) == 0) continue;
    const uint32_t bitOffset = btf_member_bit_offset(t, i);
    // An anonymous struct or union's members are the enclosing struct's own, as in C (event.str).
    const btf_type *anonymous = btf__type_by_id(types_, resolve(members[i].type));
    if ((!name || !*name) && anonymous && (btf_is_struct(anonymous) || btf_is_union(anonymous))) {
      const JsonValue inner = structValue(resolve(members[i].type), data + bitOffset / 8);
      for (const auto &[innerName, innerValue] : inner.items()) {
        std::string key = innerName;
        while (object.contains(key)) key += "_";
        object[key] = innerValue;
      }
      continue;
    }
    std::string key = name && *name ? name : "_";
    while (object.contains(key)) key += "_";  // two anonymous members
    const uint32_t bitSize = btf_member_bitfield_size(t, i);
    const uint32_t member = resolve(members[i].type);
    const btf_type *memberType = btf__type_by_id(types_, member);
    if (bitSize || (bitOffset % 8 && memberType && btf_is_int(memberType)))
      object[key] = intValue(member, data + (bitOffset / 8 / memberType->size) * memberType->size,
                             bitOffset % (memberType->size * 8), bitSize);
    else
      object[key] = value(members[i].type, data + bitOffset / 8);  // unresolved: its typedef may say how to print it
  }
  return object;
}

bool BtfFormatter::isTypedef(uint32_t id, const char *name) const {
  for (const btf_type *t = btf__type_by_id(types_, id); t && (btf_is_typedef(t) || btf_is_const(t) || btf_is_volatile(t));
       t = btf__type_by_id(types_, t->type))
    if (btf_is_typedef(t) && std::strcmp(btf__name_by_offset(types_, t->name_off), name) == 0) return true;
  return false;
}

bool BtfFormatter::isKernelSymbol(uint32_t id) const { return isTypedef(id, kKernelSymbolTypedef); }

JsonValue BtfFormatter::value(uint32_t id, const uint8_t *data) const {
  if (kernelSymbols_ && isKernelSymbol(id) && isInteger(id))
    return kernelSymbols_->functionName(static_cast<uint64_t>(integerValue(id, data)));
  id = resolve(id);
  const btf_type *t = btf__type_by_id(types_, id);
  if (!t) return "?";
  if (btf_is_int(t)) return intValue(id, data, 0, 0);
  if (btf_is_enum(t) || btf_is_enum64(t)) {
    const int64_t number = integerValue(id, data);
    if (btf_is_enum(t)) {
      const struct btf_enum *values = btf_enum(t);
      for (uint16_t i = 0; i < btf_vlen(t); ++i)
        if (values[i].val == static_cast<int32_t>(number)) return btf__name_by_offset(types_, values[i].name_off);
    }
    return number;
  }
  if (btf_is_ptr(t)) {
    uint64_t pointer = 0;
    std::memcpy(&pointer, data, 8);
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", (unsigned long long)pointer);
    return text;
  }
  if (btf_is_array(t)) return arrayValue(id, data);
  if (btf_is_struct(t) || btf_is_union(t)) return structValue(id, data);
  if (btf_is_float(t)) {
    double number = 0;
    if (t->size == 8) std::memcpy(&number, data, 8);
    if (t->size == 4) {
      float f;
      std::memcpy(&f, data, 4);
      number = f;
    }
    return number;
  }
  return "?";
}

}  // namespace probecc
