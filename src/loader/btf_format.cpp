#include "loader/btf_format.h"

#include <bpf/btf.h>

#include <cstdio>
#include <cstring>

#include "loader/kernel_symbols.h"
#include "support/text_escape.h"

namespace probecc {

void appendJsonString(std::string_view text, std::string &out) {
  out += '"';
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = text[i];
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x80 && utf8SequenceLength(text.substr(i))) {
      const size_t length = utf8SequenceLength(text.substr(i));
      out.append(text.substr(i, length));
      i += length - 1;
    } else if (c < 0x20 || c >= 0x80) {  // a byte that is no UTF-8 stands for itself (Latin-1): JSON stays valid
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

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

void BtfFormatter::formatInt(uint32_t id, const uint8_t *data, uint32_t bitOffset, uint32_t bitSize,
                             std::string &out) const {
  const btf_type *t = btf__type_by_id(types_, id);
  const bool isSigned = btf_int_encoding(t) & BTF_INT_SIGNED;
  const bool isBool = btf_int_encoding(t) & BTF_INT_BOOL;
  char text[48];
  if (t->size > 8) {  // __int128: hex is the honest rendering
    uint64_t halves[2];
    std::memcpy(halves, data, 16);
    std::snprintf(text, sizeof text, "0x%llx%016llx", (unsigned long long)halves[1], (unsigned long long)halves[0]);
    out += format_ == OutputFormat::Json ? std::string("\"") + text + "\"" : text;
    return;
  }
  uint64_t raw = 0;
  std::memcpy(&raw, data + bitOffset / 8, t->size);
  const uint32_t bits = bitSize ? bitSize : t->size * 8;
  raw >>= bitOffset % 8;
  if (bits < 64) raw &= (uint64_t(1) << bits) - 1;
  if (isBool) {
    out += raw ? "true" : "false";
    return;
  }
  // A plain `char` member is a character (filetop's type 'R'); u8/s8 (unsigned/signed char) are numbers.
  if (t->size == 1 && !bitSize && std::strcmp(btf__name_by_offset(types_, t->name_off), "char") == 0) {
    const char c = static_cast<char>(raw);
    if (format_ == OutputFormat::Json) appendJsonString(std::string_view(&c, 1), out);
    else appendPrintable(std::string_view(&c, 1), out);
    return;
  }
  if (isSigned && bits < 64 && (raw >> (bits - 1)) & 1) raw |= ~uint64_t(0) << bits;
  std::snprintf(text, sizeof text, isSigned ? "%lld" : "%llu", (unsigned long long)raw);
  out += text;
}

void BtfFormatter::formatArray(uint32_t id, const uint8_t *data, std::string &out) const {
  const struct btf_array *array = btf_array(btf__type_by_id(types_, id));
  const uint32_t element = resolve(array->type);
  const btf_type *elementType = btf__type_by_id(types_, element);
  const auto elementSize = btf__resolve_size(types_, element);
  if (elementType && btf_is_int(elementType) && elementType->size == 1) {
    // char arrays are strings (comm, filename); stop at the first NUL
    const auto *chars = reinterpret_cast<const char *>(data);
    const std::string_view text(chars, strnlen(chars, array->nelems));
    if (format_ == OutputFormat::Json)
      appendJsonString(text, out);
    else
      appendPrintable(text, out);
    return;
  }
  out += '[';
  for (uint32_t i = 0; i < array->nelems && elementSize > 0; ++i) {
    if (i) out += format_ == OutputFormat::Json ? "," : ", ";
    format(element, data + i * elementSize, out);
  }
  out += ']';
}

void BtfFormatter::formatStruct(uint32_t id, const uint8_t *data, std::string &out, bool topLevel) const {
  const bool flat = topLevel && format_ != OutputFormat::Json;
  if (!flat) out += '{';
  bool first = true;
  formatMembers(id, data, out, flat, first);
  if (!flat) out += '}';
}

void BtfFormatter::formatMembers(uint32_t id, const uint8_t *data, std::string &out, bool flat, bool &first) const {
  const btf_type *t = btf__type_by_id(types_, id);
  const btf_member *members = btf_members(t);
  const bool json = format_ == OutputFormat::Json;
  for (uint16_t i = 0; i < btf_vlen(t); ++i) {
    const char *name = btf__name_by_offset(types_, members[i].name_off);
    if (name && std::strncmp(name, "__pad", 5) == 0) continue;
    // An anonymous struct or union's members are the enclosing struct's own, as in C (event.str).
    const btf_type *anonymous = btf__type_by_id(types_, resolve(members[i].type));
    if ((!name || !*name) && anonymous && (btf_is_struct(anonymous) || btf_is_union(anonymous))) {
      formatMembers(resolve(members[i].type), data + btf_member_bit_offset(t, i) / 8, out, flat, first);
      continue;
    }
    if (!first) out += flat ? " " : json ? "," : ", ";
    first = false;
    if (json) {
      appendJsonString(name ? name : "", out);
      out += ':';
    } else {
      out += std::string(name && *name ? name : "_") + (flat ? "=" : ": ");
    }
    const uint32_t bitOffset = btf_member_bit_offset(t, i);
    const uint32_t bitSize = btf_member_bitfield_size(t, i);
    const uint32_t member = resolve(members[i].type);
    const btf_type *memberType = btf__type_by_id(types_, member);
    if (bitSize || (bitOffset % 8 && memberType && btf_is_int(memberType)))
      formatInt(member, data + (bitOffset / 8 / memberType->size) * memberType->size,
                bitOffset % (memberType->size * 8), bitSize, out);
    else
      format(members[i].type, data + bitOffset / 8, out);  // unresolved: its typedef may say how to print it
  }
}

bool BtfFormatter::isKernelSymbol(uint32_t id) const {
  for (const btf_type *t = btf__type_by_id(types_, id); t && (btf_is_typedef(t) || btf_is_const(t) || btf_is_volatile(t));
       t = btf__type_by_id(types_, t->type))
    if (btf_is_typedef(t) && std::strcmp(btf__name_by_offset(types_, t->name_off), kKernelSymbolTypedef) == 0) return true;
  return false;
}

void BtfFormatter::format(uint32_t id, const uint8_t *data, std::string &out, bool topLevel) const {
  if (kernelSymbols_ && isKernelSymbol(id) && isInteger(id)) {
    const std::string name = kernelSymbols_->functionName(static_cast<uint64_t>(integerValue(id, data)));
    if (format_ == OutputFormat::Json) appendJsonString(name, out);
    else out += name;
    return;
  }
  id = resolve(id);
  const btf_type *t = btf__type_by_id(types_, id);
  char text[48];
  if (!t) {
    out += "?";
  } else if (btf_is_int(t)) {
    formatInt(id, data, 0, 0, out);
  } else if (btf_is_enum(t) || btf_is_enum64(t)) {
    const int64_t value = integerValue(id, data);
    const char *name = nullptr;
    if (btf_is_enum(t)) {
      const struct btf_enum *values = btf_enum(t);
      for (uint16_t i = 0; i < btf_vlen(t); ++i)
        if (values[i].val == static_cast<int32_t>(value)) name = btf__name_by_offset(types_, values[i].name_off);
    }
    if (name && format_ == OutputFormat::Json) {
      appendJsonString(name, out);
    } else if (name) {
      out += name;
    } else {
      std::snprintf(text, sizeof text, "%lld", (long long)value);
      out += text;
    }
  } else if (btf_is_ptr(t)) {
    uint64_t pointer = 0;
    std::memcpy(&pointer, data, 8);
    std::snprintf(text, sizeof text, format_ == OutputFormat::Json ? "\"0x%llx\"" : "0x%llx", (unsigned long long)pointer);
    out += text;
  } else if (btf_is_array(t)) {
    formatArray(id, data, out);
  } else if (btf_is_struct(t) || btf_is_union(t)) {
    formatStruct(id, data, out, topLevel);
  } else if (btf_is_float(t)) {
    double value = 0;
    if (t->size == 8) std::memcpy(&value, data, 8);
    if (t->size == 4) {
      float f;
      std::memcpy(&f, data, 4);
      value = f;
    }
    std::snprintf(text, sizeof text, "%g", value);
    out += text;
  } else {
    out += "?";
  }
}

}  // namespace probecc
