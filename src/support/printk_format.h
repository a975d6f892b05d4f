#pragma once
// bpf_trace_printk's formats as the kernel reads them (kernel/bpf/helpers.c, bpf_bprintf_prepare):
// flags 0+- and space, a width, l or ll, then d i u x X c s, or p with its modifiers. Shared by
// the compile-time check, the code that records printk arguments into the session's ring buffer,
// and the user-space formatter of those records.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace probecc {

struct PrintkConversion {
  std::string flagsAndWidth;  // "-10", "05", ""
  unsigned longs = 0;         // l's before d i u x X
  char conversion = 0;        // d i u x X c s p
  std::string pointer;        // after p: "", K x S s B i4 I4 i6 I6 ks us
  // What the probe copies into its record for this argument besides the value itself.
  enum class Copy { None, String, KernelString, UserString, Bytes } copy = Copy::None;
  size_t copySize = 0;  // bytes of the copy (strings: the slot size, with the NUL)
};

struct PrintkPiece {
  std::string literal;  // text before the conversion ("%%" already made "%")
  bool hasConversion = false;
  PrintkConversion conversion;
};

struct ParsedPrintkFormat {
  std::vector<PrintkPiece> pieces;
  unsigned conversions = 0;
  std::string problem;  // why the kernel refuses the format, "" if it accepts it
};

ParsedPrintkFormat parsePrintkFormat(std::string_view format);

// The record a probe writes for one bpf_trace_printk call, little-endian:
//   u64 timestamp (ns) | u32 pid | u32 format id | u32 cpu | u32 zero | char comm[16] | u64 args[3]
//   | the copies of the conversions that need one, in order (each copySize bytes)
namespace printk_record {
inline constexpr size_t kTimestamp = 0, kPid = 8, kFormatId = 12, kCpu = 16, kComm = 24, kArgs = 40;
inline constexpr size_t kCommSize = 16, kMaxArgs = 3, kHeaderSize = kArgs + 8 * kMaxArgs;
inline constexpr size_t kStringSize = 256;
}  // namespace printk_record

// Where each conversion's copy starts (0 for none), and the whole record's size.
struct PrintkRecordLayout {
  std::vector<size_t> copyOffsets;  // one per conversion
  size_t size = printk_record::kHeaderSize;
};
PrintkRecordLayout printkRecordLayout(const ParsedPrintkFormat &format);

// The map and the drop counter the preamble declares for the session's own printk channel.
inline constexpr const char *kPrintkMapName = "__probecc_printk__map";
inline constexpr const char *kPrintkMapUserName = "__probecc_printk";  // userMapName(kPrintkMapName)
inline constexpr const char *kPrintkSelfName = "__probecc_printk_self";  // in .bss, set by the loader

}  // namespace probecc
