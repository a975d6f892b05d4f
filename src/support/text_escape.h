#pragma once
// Bytes from the kernel shown as text: a char array in an event or a map is usually a string
// (comm, a path), but may hold anything (a union's other view, a path read past its end). Output
// must stay one line per event, and text.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace probecc {

// The length of the well-formed UTF-8 sequence of two to four bytes at the start of `text`, or 0.
size_t utf8SequenceLength(std::string_view text);

// Printable ASCII and well-formed UTF-8 as they are; \n, \t and \r as those escapes; every other
// byte as \xNN.
void appendPrintable(std::string_view bytes, std::string &out);

// Bytes as lowercase hex, two digits each, nothing between: raw event records, build ids, keys
// without a type.
std::string hexBytes(const uint8_t *data, size_t size);

}  // namespace probecc
