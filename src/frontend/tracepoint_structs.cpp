#include "frontend/tracepoint_structs.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SwapByteOrder.h>

#include "kernel/tracefs.h"
#include "support/error.h"

namespace probecc {
namespace {

constexpr unsigned kCommonSize = 8;  // common_type, common_flags, common_preempt_count, common_pid

bool isIdentifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool isIdentifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!isIdentifierChar(c)) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// --- format files ---

struct FormatField {
  std::string type;  // normalised: "const char *", "unsigned long", "__data_loc char[]"
  std::string name;
  bool isArray = false;
  unsigned offset = 0, size = 0;
  bool isSigned = false;
};

struct CType {
  std::string spelling;
  unsigned size;  // alignment too: every type here is a scalar of at most 8 bytes
  bool isSigned;
};

// Spellings the format files use that mean the same type in kernel headers and in vmlinux.h.
// Anything else (struct values, enums, typedefs vmlinux.h may lack) is replaced by an integer of
// the field's size, which reads the same bytes.
std::optional<CType> knownType(std::string_view type) {
  static constexpr struct {
    std::string_view spelling, emitted;
    unsigned size;
    bool isSigned;
  } kTypes[] = {
      {"char", "char", 1, true}, {"signed char", "s8", 1, true}, {"unsigned char", "u8", 1, false},
      {"bool", "bool", 1, false}, {"_Bool", "bool", 1, false},
      {"short", "short", 2, true}, {"short int", "short", 2, true}, {"signed short", "short", 2, true},
      {"unsigned short", "unsigned short", 2, false}, {"unsigned short int", "unsigned short", 2, false},
      {"int", "int", 4, true}, {"signed int", "int", 4, true}, {"signed", "int", 4, true},
      {"unsigned int", "unsigned int", 4, false}, {"unsigned", "unsigned int", 4, false},
      {"long", "long", 8, true}, {"long int", "long", 8, true}, {"signed long", "long", 8, true},
      {"unsigned long", "unsigned long", 8, false}, {"unsigned long int", "unsigned long", 8, false},
      {"long long", "long long", 8, true}, {"long long int", "long long", 8, true},
      {"unsigned long long", "unsigned long long", 8, false},
      {"unsigned long long int", "unsigned long long", 8, false},
      {"u8", "u8", 1, false}, {"u16", "u16", 2, false}, {"u32", "u32", 4, false}, {"u64", "u64", 8, false},
      {"s8", "s8", 1, true}, {"s16", "s16", 2, true}, {"s32", "s32", 4, true}, {"s64", "s64", 8, true},
      {"__u8", "u8", 1, false}, {"__u16", "u16", 2, false}, {"__u32", "u32", 4, false}, {"__u64", "u64", 8, false},
      {"__s8", "s8", 1, true}, {"__s16", "s16", 2, true}, {"__s32", "s32", 4, true}, {"__s64", "s64", 8, true},
      {"uint8_t", "u8", 1, false}, {"uint16_t", "u16", 2, false},
      {"uint32_t", "u32", 4, false}, {"uint64_t", "u64", 8, false},
      {"int8_t", "s8", 1, true}, {"int16_t", "s16", 2, true}, {"int32_t", "s32", 4, true}, {"int64_t", "s64", 8, true},
      {"pid_t", "pid_t", 4, true}, {"uid_t", "uid_t", 4, false}, {"gid_t", "gid_t", 4, false},
      {"umode_t", "umode_t", 2, false}, {"size_t", "size_t", 8, false}, {"ssize_t", "ssize_t", 8, true},
      {"loff_t", "loff_t", 8, true}, {"dev_t", "dev_t", 4, false}, {"gfp_t", "gfp_t", 4, false},
      {"clockid_t", "clockid_t", 4, true},
      {"__be16", "__be16", 2, false}, {"__be32", "__be32", 4, false}, {"__be64", "__be64", 8, false},
      {"__le16", "__le16", 2, false}, {"__le32", "__le32", 4, false}, {"__le64", "__le64", 8, false},
  };
  for (const auto &known : kTypes)
    if (known.spelling == type) return CType{std::string(known.emitted), known.size, known.isSigned};
  return std::nullopt;
}

// A pointer whose pointee both header modes can name: a known type, void, or a struct/union tag
// (an incomplete tag is fine behind a pointer).
std::optional<CType> pointerType(std::string_view type) {
  std::string base;
  size_t i = 0;
  while (i < type.size()) {
    const size_t end = std::min(type.find_first_of(" *", i), type.size());
    const auto word = type.substr(i, end - i);
    if (!word.empty() && word != "const" && word != "volatile") {
      if (!base.empty()) base += ' ';
      base += word;
    }
    i = end + 1;
  }
  const bool nameable = base == "void" || knownType(base) || base.starts_with("struct ") || base.starts_with("union ");
  return CType{nameable ? std::string(type) : "void *", 8, false};
}

std::optional<CType> resolveType(std::string_view type) {
  if (type.ends_with("*")) return pointerType(type);
  // A const member would make the whole struct unassignable; the bytes are the same without it.
  for (std::string_view qualifier : {"const ", "volatile "})
    if (type.starts_with(qualifier)) type.remove_prefix(qualifier.size());
  return knownType(type);
}

// "const char * const * " → "const char *const *"; drops the kernel's address-space annotations.
std::string normaliseType(std::string_view type) {
  std::string out;
  size_t i = 0;
  while (i < type.size()) {
    if (std::isspace(static_cast<unsigned char>(type[i]))) {
      ++i;
    } else if (type[i] == '*') {
      out += out.empty() || out.back() == '*' ? "*" : " *";
      ++i;
    } else {
      size_t end = i;
      while (end < type.size() && !std::isspace(static_cast<unsigned char>(type[end])) && type[end] != '*') ++end;
      const auto word = type.substr(i, end - i);
      if (word != "__user" && word != "__kernel" && word != "__force" && word != "__iomem" && word != "__rcu" &&
          word != "__percpu") {
        if (!out.empty() && out.back() != '*') out += ' ';
        out += word;
      }
      i = end;
    }
  }
  return out;
}

std::optional<unsigned> parseNumber(std::string_view text) {
  text = trim(text);
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// One "field:TYPE NAME;\toffset:N;\tsize:N;\tsigned:N;" line.
std::optional<FormatField> parseFieldLine(std::string_view line) {
  FormatField field;
  std::optional<unsigned> offset, size;
  std::string_view declaration;
  while (!line.empty()) {
    const size_t semicolon = std::min(line.find(';'), line.size());
    const auto part = trim(line.substr(0, semicolon));
    line.remove_prefix(std::min(semicolon + 1, line.size()));
    const size_t colon = part.find(':');
    if (colon == std::string_view::npos) continue;
    const auto key = part.substr(0, colon), value = part.substr(colon + 1);
    if (key == "field" || key == "field special") declaration = trim(value);
    else if (key == "offset") offset = parseNumber(value);
    else if (key == "size") size = parseNumber(value);
    else if (key == "signed") field.isSigned = parseNumber(value).value_or(0) != 0;
  }
  if (!offset || !size || declaration.empty()) return std::nullopt;
  field.offset = *offset;
  field.size = *size;

  // The name is the last identifier; an array's extent follows it ("char comm[16]"), a
  // __data_loc's "[]" belongs to the type ("__data_loc char[] filename").
  if (declaration.ends_with("]")) {
    field.isArray = true;
    declaration = trim(declaration.substr(0, declaration.rfind('[')));
  }
  size_t nameStart = declaration.size();
  while (nameStart > 0 && isIdentifierChar(declaration[nameStart - 1])) --nameStart;
  field.name = std::string(declaration.substr(nameStart));
  field.type = normaliseType(declaration.substr(0, nameStart));
  if (!isIdentifier(field.name) || field.type.empty()) return std::nullopt;
  return field;
}

std::string integerOfSize(unsigned size, bool isSigned) {
  return std::string(isSigned ? "s" : "u") + std::to_string(size * 8);
}

struct Member {
  std::string declaration;  // without the ';'
  unsigned alignment;
  unsigned offsetInField = 0, size;  // the bytes of the field it covers
};

// The C member for a field: its own type when that is nameable and the right size, else an
// integer (or byte array) of the field's size.
Member memberFor(const FormatField &field) {
  const bool dataLoc = field.type.starts_with("__data_loc ");
  const bool relLoc = field.type.starts_with("__rel_loc ");
  const std::string name = dataLoc ? "data_loc_" + field.name : relLoc ? "rel_loc_" + field.name : field.name;
  if (dataLoc && field.size == 4) return {"int " + name, 4, 0, 4};
  const std::optional<CType> type = dataLoc || relLoc ? std::nullopt : resolveType(field.type);
  if (type && type->size > 0) {
    const std::string declarator = type->spelling + (type->spelling.ends_with("*") ? "" : " ") + name;
    if (field.isArray && field.size % type->size == 0)
      return {declarator + "[" + std::to_string(field.size / type->size) + "]", type->size, 0, field.size};
    // Syscall tracepoints store every argument in 8 bytes ("int dfd", size 8) holding the
    // register, whose upper bytes the syscall ignores. The declared type over the low-order
    // bytes reads what the syscall saw: AT_FDCWD as -100, where a 64-bit read gives 0xffffff9c.
    if (!field.isArray && field.size >= type->size) {
      const unsigned lowBytes = llvm::sys::IsBigEndianHost ? field.size - type->size : 0;
      return {declarator, type->size, lowBytes, type->size};
    }
  }
  if (!field.isArray && (field.size == 1 || field.size == 2 || field.size == 4 || field.size == 8))
    return {integerOfSize(field.size, type ? type->isSigned : field.isSigned) + " " + name, field.size, 0, field.size};
  return {"u8 " + name + "[" + std::to_string(field.size) + "]", 1, 0, field.size};
}

}  // namespace

llvm::Expected<std::string> structFromFormat(const TracepointRef &tp, std::string_view formatText) {
  const std::string structName = "tracepoint__" + tp.category + "__" + tp.event;
  const std::string where = "the format of tracepoint " + tp.category + ":" + tp.event;
  std::string body = "  u64 __do_not_use__;\n";
  unsigned end = kCommonSize, recordEnd = kCommonSize;
  auto pad = [&](unsigned offset) {
    if (offset > end) body += "  char __pad_" + std::to_string(end) + "[" + std::to_string(offset - end) + "];\n";
    end = std::max(end, offset);
  };
  bool sawField = false;
  while (!formatText.empty()) {
    const size_t newline = std::min(formatText.find('\n'), formatText.size());
    const auto line = trim(formatText.substr(0, newline));
    formatText.remove_prefix(std::min(newline + 1, formatText.size()));
    if (!line.starts_with("field")) continue;
    const auto field = parseFieldLine(line);
    if (!field) return makeError("cannot read " + llvm::Twine(where) + ": '" + line + "'");
    sawField = true;
    if (field->name.starts_with("common_")) continue;
    if (field->offset < recordEnd)
      return makeError(llvm::Twine(where) + " puts '" + field->name + "' at offset " + llvm::Twine(field->offset) +
                       ", inside the bytes before it");
    const Member member = memberFor(*field);
    const unsigned offset = field->offset + member.offsetInField;
    pad(offset);
    // Explicit padding puts every member at its offset, unless the kernel packed it tighter than
    // its alignment; only then does the member itself need packing.
    const bool packed = member.alignment > 1 && offset % member.alignment != 0;
    body += "  " + member.declaration + (packed ? " __attribute__((packed))" : "") + ";\n";
    end = offset + member.size;
    recordEnd = field->offset + field->size;
  }
  if (!sawField) return makeError(llvm::Twine(where) + " lists no fields");
  pad(recordEnd);
  return "struct " + structName + " {\n" + body + "};\n";
}

std::vector<std::string> tracepointFieldLayout(std::string_view formatText) {
  std::vector<std::string> fields;
  while (!formatText.empty()) {
    const size_t newline = std::min(formatText.find('\n'), formatText.size());
    const auto line = trim(formatText.substr(0, newline));
    formatText.remove_prefix(std::min(newline + 1, formatText.size()));
    if (!line.starts_with("field")) continue;
    if (const auto field = parseFieldLine(line); field && !field->name.starts_with("common_"))
      fields.push_back(field->name + " " + std::to_string(field->offset) + " " + std::to_string(field->size));
  }
  return fields;
}

llvm::Expected<std::string> tracepointStructs(const std::string &tracefs,
                                              const std::vector<TracepointRef> &tracepoints) {
  std::string structs;
  for (const auto &tp : tracepoints) {
    if (!isIdentifier(tp.category) || !isIdentifier(tp.event)) continue;
    const std::string path = tracepointFormatPath(tracefs, tp.category + "/" + tp.event);
    // tracefs files report size 0: read them as streams.
    auto format = llvm::MemoryBuffer::getFileAsStream(path);
    // A tracepoint this kernel lacks gets no struct: attaching it fails later with a clear
    // "unknown tracepoint" error, which says more than a compile error about a missing struct.
    if (format.getError() == std::errc::no_such_file_or_directory) continue;
    if (format.getError() == std::errc::permission_denied)  // tracefs is root's (0700) by default
      return makeError("struct tracepoint__" + tp.category + "__" + tp.event +
                       " needs to read tracefs for the tracepoint's layout, and " + path +
                       " is not readable: give probecc CAP_DAC_READ_SEARCH, or mount tracefs with a group it is in "
                       "(README: Capabilities)");
    if (!format) return makeError("cannot read " + llvm::Twine(path) + ": " + format.getError().message());
    auto definition = structFromFormat(tp, (*format)->getBuffer());
    if (!definition) return definition.takeError();
    structs += *definition;
  }
  return structs;
}

std::string_view tracepointMacros() {
  // A __data_loc field holds the data's offset from the record start (low 16 bits) and its length
  // (high 16 bits). The length copy is capped at an array destination's size, both so a long
  // string cannot overrun it and so the verifier sees a bounded size.
  return R"(
#define TP_DATA_LOC_READ_CONST(dst, field, length) \
  do { \
    unsigned short __probecc_tp_offset = args->data_loc_##field & 0xFFFF; \
    bpf_probe_read_kernel((void *)(dst), (length), (char *)args + __probecc_tp_offset); \
  } while (0)
#define TP_DATA_LOC_READ(dst, field) \
  do { \
    unsigned short __probecc_tp_offset = args->data_loc_##field & 0xFFFF; \
    unsigned int __probecc_tp_length = (args->data_loc_##field >> 16) & 0xFFFF; \
    unsigned int __probecc_tp_room = __builtin_choose_expr( \
        __builtin_types_compatible_p(__typeof__(dst), __typeof__(&(dst)[0])), 0xFFFF, sizeof(dst)); \
    if (__probecc_tp_length > __probecc_tp_room) __probecc_tp_length = __probecc_tp_room; \
    bpf_probe_read_kernel((void *)(dst), __probecc_tp_length, (char *)args + __probecc_tp_offset); \
  } while (0)
#define TP_DATA_LOC_READ_STR(dst, field, length) \
  do { \
    unsigned short __probecc_tp_offset = args->data_loc_##field & 0xFFFF; \
    bpf_probe_read_kernel_str((void *)(dst), (length), (char *)args + __probecc_tp_offset); \
  } while (0)
)";
}

}  // namespace probecc
