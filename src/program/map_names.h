#pragma once
// How the compiler names what it adds to an object for the loader, and how the loader reads the
// names back: a BCC map `counts` becomes the BTF-defined map counts__map (histograms __hist and
// __lhist), and notes about a map ride in .rodata/.bss variables named PREFIX + map.
#include <string>
#include <string_view>

namespace probecc {

inline constexpr std::string_view kMapSuffix = "__map";
inline constexpr std::string_view kHistogramSuffix = "__hist";
inline constexpr std::string_view kLinearHistogramSuffix = "__lhist";

// The .bss counter a ringbuf map's methods bump when the ring is full: __probecc_lost__NAME.
inline constexpr std::string_view kLostCounterPrefix = "__probecc_lost__";
// BPF_ARRAY_OF_MAPS/BPF_HASH_OF_MAPS: the inner map's name; BPF_TABLE_PINNED: the pin path.
inline constexpr std::string_view kInnerMapPrefix = "__probecc_inner__";
inline constexpr std::string_view kPinPathPrefix = "__probecc_pin__";

// The name a user gave a map (counts for counts__map), and whether it is a BCC histogram.
struct MapName {
  std::string name;
  enum class Kind { Table, Log2Histogram, LinearHistogram } kind = Kind::Table;
};
MapName userMapName(const std::string &objectMapName);

}  // namespace probecc
