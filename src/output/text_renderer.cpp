#include "output/text_renderer.h"

#include <algorithm>
#include <cstdio>

#include "output/map_records.h"
#include "output/records.h"

namespace probecc {
namespace {

constexpr int kHistogramWidth = 40;

std::string stars(uint64_t count, uint64_t max) {
  const int n = max ? static_cast<int>((count * kHistogramWidth + max - 1) / max) : 0;
  return std::string(std::min(n, kHistogramWidth), '*') + std::string(kHistogramWidth - std::min(n, kHistogramWidth), ' ');
}

// The rest of a struct key, as a histogram's section header says it: "disk = sda, op = R".
std::string sectionText(const JsonValue &section) {
  std::string text;
  for (const auto &[member, value] : section.items()) text += (text.empty() ? "" : ", ") + member + " = " + textOf(value);
  return text;
}

// One histogram as BCC's table; a section (the rest of a struct key) is a line of its own above it.
std::string histogramText(const MapName &name, const HistogramRecord &histogram) {
  const std::string title = histogram.section.is_null() ? name.name : "  " + sectionText(histogram.section);
  if (name.kind != MapName::Kind::Log2Histogram) return linearHistogram(title, histogram.buckets) + "\n";
  std::vector<uint64_t> counts;
  for (const auto &[bucket, count] : histogram.buckets) {
    if (bucket < 0 || bucket > 64) continue;
    if (counts.size() <= static_cast<size_t>(bucket)) counts.resize(bucket + 1);
    counts[bucket] = count;
  }
  return log2Histogram(title, counts) + "\n";
}

std::string drainedText(const MapRecords &records) {
  const char *order = records.type == BPF_MAP_TYPE_STACK ? "top first" : "oldest first";
  std::string text = records.name.name + " (" + std::to_string(records.drained.size()) + ", " + order + "):\n";
  for (const auto &shown : records.drained) text += "  " + textOf(shown) + "\n";
  return text + "\n";
}

std::string tableText(const MapRecords &records) {
  std::string text = records.name.name + ":\n";
  for (const auto &e : records.entries) {
    text += "  " + textOf(e.key) + " \u2192 " + textOf(e.value) + "\n";
    for (const auto &[member, frames] : e.stacks) {
      text += "    " + member + ":\n";
      if (frames.empty()) text += "      (no stack: the id is an error code or the stack was evicted)\n";
      for (const auto &frame : frames) text += "      " + frame + "\n";
    }
  }
  return text + "\n";
}

}  // namespace

void TextRenderer::render(const TraceRecord &record, OutputSink &out) const {
  out.text(traceStyle_ == TraceStyle::Fields && record.fields ? formatTraceFields(*record.fields)
                                                              : std::string(record.line));
  out.text("\n");
}

void TextRenderer::render(const EventRecord &record, OutputSink &out) const {
  out.text((record.labelled ? std::string(record.map) + ": " : "") + textOf(record.data, true) + "\n");
}

void TextRenderer::render(const MapRecords &records, OutputSink &out) const {
  switch (records.shape) {
    case MapRecords::Shape::Drained:
      return out.text(drainedText(records));
    case MapRecords::Shape::Table:
      return out.text(tableText(records));
    case MapRecords::Shape::Histograms:
      // A struct-keyed histogram map has a title line above its sections (BCC's section_header).
      if (!records.histograms.empty() && !records.histograms.front().section.is_null())
        out.text(records.name.name + ":\n");
      for (const auto &histogram : records.histograms) out.text(histogramText(records.name, histogram));
      return;
  }
}

void TextRenderer::render(const ProbeRecord &record, OutputSink &out) const {
  std::string text = record.probe + "\n";
  if (!record.signature.empty()) text += "    " + record.signature + "\n";
  if (record.fields)
    for (const auto &field : *record.fields) text += "    " + field + ";\n";
  out.text(text);
}

void TextRenderer::render(const LossRecord &record, OutputSink &, std::string &notes) const {
  const std::string count = std::to_string(record.count);
  switch (record.buffer) {
    case LossRecord::Buffer::Printk:
      notes += "probecc: lost " + count +
               " bpf_trace_printk lines (the printk ring buffer was full; --printk-pages makes it bigger)\n";
      return;
    case LossRecord::Buffer::Perf:
      notes += "probecc: lost " + count + " events of " + record.map +
               " (the perf buffer was full; --buffer-pages makes it bigger)\n";
      return;
    case LossRecord::Buffer::Ring:
      notes += "probecc: lost " + count + " events of " + record.map + " (the ring buffer was full; BPF_RINGBUF_OUTPUT(" +
               record.map + ", PAGES) sizes it)\n";
      return;
  }
}

std::string log2Histogram(const std::string &title, const std::vector<uint64_t> &counts) {
  size_t last = 0;
  uint64_t max = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (!counts[i]) continue;
    last = i;
    max = std::max(max, counts[i]);
  }
  std::string out = title + ":\n";
  char line[256];
  std::snprintf(line, sizeof line, "%24s : %-8s %s\n", "value", "count", "distribution");
  out += line;
  // Like BCC, from bucket 1 (which includes 0) unless bucket 0 itself was used.
  for (size_t i = counts.empty() || counts[0] == 0 ? 1 : 0; i <= last && max; ++i) {
    const auto [low, high] = log2Bucket(i);
    std::snprintf(line, sizeof line, "%10llu -> %-10llu : %-8llu |%s|\n", (unsigned long long)low,
                  (unsigned long long)high, (unsigned long long)counts[i], stars(counts[i], max).c_str());
    out += line;
  }
  return out;
}

std::string linearHistogram(const std::string &title, const std::vector<std::pair<int64_t, uint64_t>> &counts) {
  uint64_t max = 0;
  for (const auto &[bucket, count] : counts) max = std::max(max, count);
  std::string out = title + ":\n";
  char line[256];
  std::snprintf(line, sizeof line, "%12s : %-8s %s\n", "value", "count", "distribution");
  out += line;
  for (const auto &[bucket, count] : counts) {
    std::snprintf(line, sizeof line, "%12lld : %-8llu |%s|\n", (long long)bucket, (unsigned long long)count,
                  stars(count, max).c_str());
    out += line;
  }
  return out;
}

}  // namespace probecc
