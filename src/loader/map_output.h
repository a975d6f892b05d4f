#pragma once
// Printing what the program's maps hold, without user code: hash/array entries as key → value
// (sorted by value), histograms as BCC's print_log2_hist draws them, stack ids as symbolised
// kernel or user frames. Per-CPU values are summed.
#include <string>
#include <vector>

#include <bpf/libbpf.h>

#include "loader/btf_format.h"
#include "program/map_names.h"
#include "loader/kernel_symbols.h"
#include "loader/user_symbols.h"

namespace probecc {

struct MapEntry {
  std::vector<uint8_t> key, value;
};

class MapPrinter {
public:
  explicit MapPrinter(bpf_object &object) : object_(object) {}
  // Prints every map with content; returns how many maps were printed.
  int printAll(OutputSink &out);

private:
  bool printMap(bpf_map &map, OutputSink &out);  // false: nothing to print
  // Each stack id member of an entry ("kernel_stack_id", ...) with its symbolised frames.
  using StackFrames = std::vector<std::pair<std::string, std::vector<std::string>>>;
  StackFrames stackFramesOf(const MapEntry &entry, const BtfFormatter &formatter, uint32_t keyType,
                            uint32_t valueType);
  bpf_map *stackMap();
  bpf_object &object_;
  KernelSymbols kernelSymbols_;
  UserSymbols userSymbols_;
};

// BCC's print_log2_hist layout for counts[i] = number of values in bucket i (bucket 0 holds 0,
// bucket i holds [2^(i-1), 2^i - 1]).
std::string log2Histogram(const std::string &title, const std::vector<uint64_t> &counts);
std::string linearHistogram(const std::string &title, const std::vector<std::pair<int64_t, uint64_t>> &counts);

}  // namespace probecc
