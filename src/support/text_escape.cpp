#include "support/text_escape.h"

#include <cstdio>

namespace probecc {

size_t utf8SequenceLength(std::string_view text) {
  if (text.empty()) return 0;
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  size_t length = 0;
  unsigned minimum = 0, value = 0;
  if (lead >= 0xc2 && lead <= 0xdf) length = 2, minimum = 0x80, value = lead & 0x1f;
  else if (lead >= 0xe0 && lead <= 0xef) length = 3, minimum = 0x800, value = lead & 0x0f;
  else if (lead >= 0xf0 && lead <= 0xf4) length = 4, minimum = 0x10000, value = lead & 0x07;
  else return 0;
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
    value = (value << 6) | (byte(i) & 0x3f);
  }
  // no overlong forms, no UTF-16 surrogates, nothing past U+10FFFF
  if (value < minimum || (value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) return 0;
  return length;
}

void appendPrintable(std::string_view bytes, std::string &out) {
  for (size_t i = 0; i < bytes.size();) {
    const unsigned char c = bytes[i];
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      ++i;
    } else if (const size_t length = utf8SequenceLength(bytes.substr(i))) {
      out.append(bytes.substr(i, length));
      i += length;
    } else {
      if (c == '\n') out += "\\n";
      else if (c == '\t') out += "\\t";
      else if (c == '\r') out += "\\r";
      else {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
        out += escaped;
      }
      ++i;
    }
  }
}

std::string hexBytes(const uint8_t *data, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * size);
  for (size_t i = 0; i < size; ++i) {
    hex += kDigits[data[i] >> 4];
    hex += kDigits[data[i] & 0xf];
  }
  return hex;
}

}  // namespace probecc
