#include "output/map_output.h"

#include <algorithm>
#include <cstdio>

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

// One histogram: JSON, or BCC's table. A section (the rest of a struct key) is a line of its own
// above the table in text, "section" in JSON.
void printHistogram(const MapName &name, const HistogramRecord &histogram, OutputSink &out) {
  if (out.isJson()) {
    JsonValue record{{"type", "hist"}, {"map", name.name}};
    if (!histogram.section.is_null()) record["section"] = histogram.section;
    JsonValue &rows = record["buckets"] = JsonValue::array();
    for (const auto &[bucket, count] : histogram.buckets) {
      const auto [low, high] = name.kind == MapName::Kind::Log2Histogram ? log2Bucket(bucket)
                                                                         : std::pair<uint64_t, uint64_t>(bucket, bucket);
      rows.push_back({{"min", low}, {"max", high}, {"count", count}});
    }
    out.record(record);
    return;
  }
  const std::string title = histogram.section.is_null() ? name.name : "  " + sectionText(histogram.section);
  if (name.kind == MapName::Kind::Log2Histogram) {
    std::vector<uint64_t> counts;
    for (const auto &[bucket, count] : histogram.buckets) {
      if (bucket < 0 || bucket > 64) continue;
      if (counts.size() <= static_cast<size_t>(bucket)) counts.resize(bucket + 1);
      counts[bucket] = count;
    }
    out.text(log2Histogram(title, counts) + "\n");
  } else {
    out.text(linearHistogram(title, histogram.buckets) + "\n");
  }
}

void printDrained(const MapRecords &records, OutputSink &out) {
  const auto &values = records.drained;
  if (out.isJson()) {
    for (size_t i = 0; i < values.size(); ++i)
      out.record({{"type", "map"}, {"map", records.name.name}, {"index", i}, {"value", values[i]}});
    return;
  }
  const char *order = records.type == BPF_MAP_TYPE_STACK ? "top first" : "oldest first";
  std::string text = records.name.name + " (" + std::to_string(values.size()) + ", " + order + "):\n";
  for (const auto &shown : values) text += "  " + textOf(shown) + "\n";
  out.text(text + "\n");
}

void printTable(const MapRecords &records, OutputSink &out) {
  if (out.isJson()) {
    for (const auto &e : records.entries) {
      JsonValue record{{"type", "map"}, {"map", records.name.name}, {"key", e.key}, {"value", e.value}};
      for (const auto &[member, frames] : e.stacks) record[member + "_frames"] = frames;
      out.record(record);
    }
    return;
  }
  std::string text = records.name.name + ":\n";
  for (const auto &e : records.entries) {
    text += "  " + textOf(e.key) + " \u2192 " + textOf(e.value) + "\n";
    for (const auto &[member, frames] : e.stacks) {
      text += "    " + member + ":\n";
      if (frames.empty()) text += "      (no stack: the id is an error code or the stack was evicted)\n";
      for (const auto &frame : frames) text += "      " + frame + "\n";
    }
  }
  out.text(text + "\n");
}

}  // namespace

void printMapRecords(const MapRecords &records, OutputSink &out) {
  switch (records.shape) {
    case MapRecords::Shape::Drained:
      return printDrained(records, out);
    case MapRecords::Shape::Table:
      return printTable(records, out);
    case MapRecords::Shape::Histograms:
      // A struct-keyed histogram map has a title line above its sections (BCC's section_header).
      if (!out.isJson() && !records.histograms.empty() && !records.histograms.front().section.is_null())
        out.text(records.name.name + ":\n");
      for (const auto &histogram : records.histograms) printHistogram(records.name, histogram, out);
      return;
  }
}

int MapPrinter::printAll(OutputSink &out) {
  MapReadOptions options;
  options.maxKeysRead = kMaxMapKeysRead;
  options.interrupted = interrupted_;
  const auto all = reader_.readAll(options);
  for (const auto &records : all) {
    printMapRecords(records, out);
    if (records.truncated)
      addNote("map " + records.name.name + ": only its first " + std::to_string(records.keysRead) + " of " +
              std::to_string(records.capacity) + " slots were read, to print in seconds; what they hold is shown");
  }
  if (interrupted_()) addNote("printing the maps stopped: interrupted");
  return static_cast<int>(all.size());
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
