#include "output/printk_lines.h"

#include <cstdio>
#include <cstring>

namespace probecc {
namespace {

using namespace printk_record;

template <typename T> T read(const uint8_t *record, size_t offset) {
  T value;
  std::memcpy(&value, record + offset, sizeof value);
  return value;
}

std::string printf1(const std::string &format, auto value) {
  char text[1100];
  if (std::snprintf(text, sizeof text, format.c_str(), value) < 0) return "";
  return text;
}

// "%" and the conversion's flags and width, the width cut to the message's 1023 characters: a
// wider one shows nothing more, and printf would still count out every padding character (a
// width of 10^9 took seconds; past INT_MAX it fails). Found by tests/fuzz/printk_format_fuzzer.
std::string specOf(const std::string &flagsAndWidth) {
  const size_t width = flagsAndWidth.find_first_of("123456789");
  if (width == std::string::npos || flagsAndWidth.size() - width <= 3) return "%" + flagsAndWidth;
  std::string spec = "%";  // appended, not "%" + a temporary: GCC 12 misreads that as an overlapping copy
  spec += flagsAndWidth.substr(0, width);
  return spec + "1023";
}

// The bytes a copy holds, as a C string (the slot may lack its NUL if the probe wrote none).
std::string copiedString(const uint8_t *record, size_t offset, size_t size) {
  const char *text = reinterpret_cast<const char *>(record + offset);
  return std::string(text, strnlen(text, size));
}

std::string hexAddress(uint64_t value) { return printf1("%016llx", static_cast<unsigned long long>(value)); }

std::string ipAddress(std::string_view pointer, const uint8_t *bytes) {
  std::string out;
  if (pointer == "i4" || pointer == "I4") {
    for (int i = 0; i < 4; ++i) {
      if (i) out += '.';
      out += printf1(pointer == "i4" ? "%03u" : "%u", unsigned(bytes[i]));
    }
    return out;
  }
  for (int i = 0; i < 16; i += 2) {
    if (pointer == "I6" && i) out += ':';
    out += printf1("%02x", unsigned(bytes[i])) + printf1("%02x", unsigned(bytes[i + 1]));
  }
  return out;
}

std::string convert(const PrintkConversion &c, uint64_t value, const uint8_t *record, size_t copyOffset,
                    KernelSymbols &symbols) {
  const std::string spec = specOf(c.flagsAndWidth);
  switch (c.conversion) {
    case 'd':
    case 'i':
      if (c.longs) return printf1(spec + "lld", static_cast<long long>(value));
      return printf1(spec + "d", static_cast<int>(static_cast<uint32_t>(value)));
    case 'u':
    case 'x':
    case 'X':
      if (c.longs) return printf1(spec + "ll" + c.conversion, static_cast<unsigned long long>(value));
      return printf1(spec + c.conversion, static_cast<unsigned>(value));
    case 'c': return printf1(spec + "c", static_cast<int>(static_cast<unsigned char>(value)));
    case 's': return printf1(spec + "s", copiedString(record, copyOffset, c.copySize).c_str());
    default: break;
  }
  // %p and its modifiers
  if (c.copy == PrintkConversion::Copy::KernelString || c.copy == PrintkConversion::Copy::UserString)
    return printf1(spec + "s", copiedString(record, copyOffset, c.copySize).c_str());
  if (c.copy == PrintkConversion::Copy::Bytes) return printf1(spec + "s", ipAddress(c.pointer, record + copyOffset).c_str());
  if (c.pointer == "S" || c.pointer == "B") return printf1(spec + "s", symbols.describe(value).c_str());
  if (c.pointer == "s") {
    auto name = symbols.describe(value);
    if (const auto plus = name.find('+'); plus != std::string::npos && !name.starts_with("0x")) name.resize(plus);
    return printf1(spec + "s", name.c_str());
  }
  // %p and %pK: the kernel prints a hash of the address (its key is the kernel's secret), %px the
  // address itself; probecc prints the address for all three.
  return printf1(spec + "s", hexAddress(value).c_str());
}

}  // namespace

std::string formatPrintkMessage(const ParsedPrintkFormat &format, const uint8_t *record, size_t size,
                                KernelSymbols &symbols) {
  const auto layout = printkRecordLayout(format);
  if (size < layout.size) return "";
  std::string message;
  size_t argument = 0;
  for (const auto &piece : format.pieces) {
    message += piece.literal;
    if (!piece.hasConversion || argument >= kMaxArgs) continue;
    message += convert(piece.conversion, read<uint64_t>(record, kArgs + 8 * argument), record,
                       layout.copyOffsets[argument], symbols);
    ++argument;
  }
  if (message.size() > 1023) message.resize(1023);  // the kernel formats into 1024 bytes
  return message;
}

PrintkLines::PrintkLines(const std::vector<std::string> &formats) {
  for (const auto &format : formats) formats_.push_back(parsePrintkFormat(format));
}

std::string PrintkLines::lineOf(const uint8_t *record, size_t size) {
  if (size < kHeaderSize) return "";
  const auto id = read<uint32_t>(record, kFormatId);
  if (id >= formats_.size()) return "";
  const auto message = formatPrintkMessage(formats_[id], record, size, symbols_);
  const auto nanoseconds = read<uint64_t>(record, kTimestamp);
  const std::string comm = copiedString(record, kComm, kCommSize);
  char head[128];
  // trace_pipe's layout (kernel/trace/trace_output.c); the irq/preempt flags are not known here
  std::snprintf(head, sizeof head, "%16s-%-7u [%03u] ..... %5llu.%06llu: bpf_trace_printk: ", comm.c_str(),
                read<uint32_t>(record, kPid), read<uint32_t>(record, kCpu),
                static_cast<unsigned long long>(nanoseconds / 1000000000),
                static_cast<unsigned long long>(nanoseconds % 1000000000 / 1000));
  return head + message + "\n";
}

}  // namespace probecc
