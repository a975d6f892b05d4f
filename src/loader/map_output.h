#pragma once
// Printing what the program's maps hold (map_records.h), without user code: hash/array entries as
// key → value (sorted by value), histograms as BCC's print_log2_hist draws them, stack ids as
// symbolised kernel or user frames; or each as JSON records.
#include <string>
#include <vector>

#include <bpf/libbpf.h>

#include "loader/map_records.h"
#include "loader/output_sink.h"

namespace probecc {

class MapPrinter {
public:
  explicit MapPrinter(bpf_object &object) : reader_(object) {}
  // Prints every map with content; returns how many maps were printed.
  int printAll(OutputSink &out);

private:
  MapReader reader_;
};

// One map's records as text or JSON.
void printMapRecords(const MapRecords &records, OutputSink &out);

// BCC's print_log2_hist layout for counts[i] = number of values in bucket i (bucket 0 holds 0,
// bucket i holds [2^(i-1), 2^i - 1]).
std::string log2Histogram(const std::string &title, const std::vector<uint64_t> &counts);
std::string linearHistogram(const std::string &title, const std::vector<std::pair<int64_t, uint64_t>> &counts);

}  // namespace probecc
