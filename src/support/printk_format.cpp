#include "support/printk_format.h"

#include <cctype>

namespace probecc {
namespace {

constexpr const char *kAccepted = "the kernel accepts %d %i %u %x %X (with l or ll), %s, %c, %p, %pK, %px, %pS, %ps, "
                                  "%pB, %pi4 %pI4 %pi6 %pI6, %pks %pus, flags 0+- and a width";

bool isFlag(char c) { return c == '0' || c == '+' || c == '-' || c == ' '; }

// Sets the copy the probe makes for a string or an address conversion.
void setCopy(PrintkConversion &c) {
  using Copy = PrintkConversion::Copy;
  if (c.conversion == 's') c.copy = Copy::String, c.copySize = printk_record::kStringSize;
  if (c.conversion != 'p') return;
  if (c.pointer == "ks") c.copy = Copy::KernelString, c.copySize = printk_record::kStringSize;
  if (c.pointer == "us") c.copy = Copy::UserString, c.copySize = printk_record::kStringSize;
  if (c.pointer == "i4" || c.pointer == "I4") c.copy = Copy::Bytes, c.copySize = 4;
  if (c.pointer == "i6" || c.pointer == "I6") c.copy = Copy::Bytes, c.copySize = 16;
}

}  // namespace

ParsedPrintkFormat parsePrintkFormat(std::string_view format) {
  ParsedPrintkFormat parsed;
  PrintkPiece piece;
  for (size_t i = 0; i < format.size(); ++i) {
    const unsigned char c = format[i];
    if (c == 0) break;
    if (!isascii(c) || (!isprint(c) && !isspace(c))) {
      parsed.problem = "it contains a character the kernel refuses";
      return parsed;
    }
    if (c != '%') {
      piece.literal += static_cast<char>(c);
      continue;
    }
    if (i + 1 < format.size() && format[i + 1] == '%') {
      piece.literal += '%';
      ++i;
      continue;
    }
    PrintkConversion conversion;
    ++i;
    while (i < format.size() && isFlag(format[i])) conversion.flagsAndWidth += format[i++];
    while (i < format.size() && isdigit(static_cast<unsigned char>(format[i]))) conversion.flagsAndWidth += format[i++];
    const std::string_view rest = format.substr(std::min(i, format.size()));
    ++parsed.conversions;
    if (rest.starts_with("p")) {
      conversion.conversion = 'p';
      for (std::string_view pointer : {"ks", "us", "i4", "I4", "i6", "I6", "K", "x", "S", "s", "B"})
        if (rest.substr(1).starts_with(pointer)) {
          conversion.pointer = std::string(pointer);
          break;
        }
      i += conversion.pointer.size();
    } else if (rest.starts_with("s") || rest.starts_with("c")) {
      conversion.conversion = rest[0];
    } else {
      size_t length = 0;
      while (length < 2 && i + length < format.size() && format[i + length] == 'l') ++length;
      const char letter = i + length < format.size() ? format[i + length] : '\0';
      if (letter != 'd' && letter != 'i' && letter != 'u' && letter != 'x' && letter != 'X') {
        parsed.problem = "'%" + std::string(rest.substr(0, length + 1)) + "' is not a conversion bpf_trace_printk supports (" +
                         kAccepted + ")";
        return parsed;
      }
      conversion.longs = length;
      conversion.conversion = letter;
      i += length;
    }
    setCopy(conversion);
    piece.hasConversion = true;
    piece.conversion = std::move(conversion);
    parsed.pieces.push_back(std::move(piece));
    piece = {};
  }
  if (!piece.literal.empty()) parsed.pieces.push_back(std::move(piece));
  return parsed;
}

PrintkRecordLayout printkRecordLayout(const ParsedPrintkFormat &format) {
  PrintkRecordLayout layout;
  for (const auto &piece : format.pieces) {
    if (!piece.hasConversion) continue;
    layout.copyOffsets.push_back(piece.conversion.copySize ? layout.size : 0);
    layout.size += piece.conversion.copySize;
  }
  layout.size = (layout.size + 7) & ~size_t(7);
  return layout;
}

}  // namespace probecc
