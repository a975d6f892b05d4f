#pragma once
// The program's maps (output/map_records.h) and probecc's own counters in Prometheus's text
// exposition format (version 0.0.4): integer-valued tables as gauges, one series per key, labelled
// from the key's BTF; BCC histograms as Prometheus histograms; probecc's losses, probes and
// per-program run statistics.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "output/map_records.h"
#include "output/records.h"

namespace probecc {

struct ProgramRunStats {
  std::string program;
  uint64_t runs = 0, runNanoseconds = 0;
};

// What probecc itself knows, at the moment of a scrape.
struct OwnMetrics {
  std::vector<LossRecord> lost;  // each event buffer's total, the printk ring buffer's among them
  size_t probesAttached = 0;
  std::optional<std::vector<ProgramRunStats>> programs;  // when the kernel keeps run statistics
};

struct ExpositionOptions {
  std::string prefix = "probecc";
  size_t maxSeriesPerMap = 100000;
};

// Whether `name` may start a Prometheus metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).
bool isMetricName(const std::string &name);

class Exposition {
public:
  explicit Exposition(ExpositionOptions options) : options_(std::move(options)) {}
  const ExpositionOptions &options() const { return options_; }
  // One scrape's text. Maps read with more entries than maxSeriesPerMap (MapRecords::truncated)
  // count in <prefix>_metrics_truncated_total{map=...}, kept across scrapes.
  std::string render(const std::vector<MapRecords> &maps, const OwnMetrics &own);

private:
  ExpositionOptions options_;
  std::map<std::string, uint64_t> truncations_;
};

}  // namespace probecc
