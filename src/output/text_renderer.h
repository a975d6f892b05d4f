#pragma once
// Records as text, in the shapes BCC's tools print: trace lines raw or as trace_fields, events as
// "a=1 b=x", maps as key → value (stack ids as frames), histograms as print_log2_hist and
// print_linear_hist draw them; losses as notes for stderr.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "output/renderer.h"

namespace probecc {

class TextRenderer final : public Renderer {
public:
  explicit TextRenderer(TraceStyle traceStyle = TraceStyle::Raw) : traceStyle_(traceStyle) {}
  void render(const TraceRecord &record, OutputSink &out) const override;
  void render(const EventRecord &record, OutputSink &out) const override;
  void render(const MapRecords &records, OutputSink &out) const override;
  void render(const ProbeRecord &record, OutputSink &out) const override;
  void render(const LossRecord &record, OutputSink &out, std::string &notes) const override;
  bool linesAreRecords() const override { return false; }

private:
  TraceStyle traceStyle_;
};

// BCC's print_log2_hist layout for counts[i] = number of values in bucket i (bucket 0 holds 0,
// bucket i holds [2^(i-1), 2^i - 1]).
std::string log2Histogram(const std::string &title, const std::vector<uint64_t> &counts);
std::string linearHistogram(const std::string &title, const std::vector<std::pair<int64_t, uint64_t>> &counts);

}  // namespace probecc
