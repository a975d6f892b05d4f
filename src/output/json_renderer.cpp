#include "output/json_renderer.h"

#include "output/map_records.h"
#include "output/records.h"

namespace probecc {
namespace {

// One histogram; a section (the rest of a struct key) is its "section".
void renderHistogram(const MapName &name, const HistogramRecord &histogram, OutputSink &out) {
  JsonValue record{{"type", "hist"}, {"map", name.name}};
  if (!histogram.section.is_null()) record["section"] = histogram.section;
  JsonValue &rows = record["buckets"] = JsonValue::array();
  for (const auto &[bucket, count] : histogram.buckets) {
    const auto [low, high] = name.kind == MapName::Kind::Log2Histogram ? log2Bucket(bucket)
                                                                       : std::pair<uint64_t, uint64_t>(bucket, bucket);
    rows.push_back({{"min", low}, {"max", high}, {"count", count}});
  }
  out.record(record);
}

}  // namespace

void JsonRenderer::render(const TraceRecord &record, OutputSink &out) const {
  JsonValue json{{"type", "trace"}};
  if (const auto &fields = record.fields) {
    json["time"] = fields->timestamp;
    json["pid"] = fields->pid;
    json["cpu"] = fields->cpu;
    json["comm"] = fields->comm;
    json["message"] = fields->message;
  } else {
    json["line"] = std::string(record.line);
  }
  out.record(json);
}

void JsonRenderer::render(const EventRecord &record, OutputSink &out) const {
  out.record({{"type", "event"}, {"map", record.map}, {"data", record.data}});
}

void JsonRenderer::render(const MapRecords &records, OutputSink &out) const {
  const std::string &map = records.name.name;
  switch (records.shape) {
    case MapRecords::Shape::Drained:
      for (size_t i = 0; i < records.drained.size(); ++i)
        out.record({{"type", "map"}, {"map", map}, {"index", i}, {"value", records.drained[i]}});
      return;
    case MapRecords::Shape::Table:
      for (const auto &e : records.entries) {
        JsonValue record{{"type", "map"}, {"map", map}, {"key", e.key}, {"value", e.value}};
        for (const auto &[member, frames] : e.stacks) record[member + "_frames"] = frames;
        out.record(record);
      }
      return;
    case MapRecords::Shape::Histograms:
      for (const auto &histogram : records.histograms) renderHistogram(records.name, histogram, out);
      return;
  }
}

void JsonRenderer::render(const ProbeRecord &record, OutputSink &out) const {
  JsonValue json{{"probe", record.probe}};
  if (!record.signature.empty()) json["signature"] = record.signature;
  if (record.fields) json["fields"] = *record.fields;
  out.record(json);
}

void JsonRenderer::render(const LossRecord &record, OutputSink &out, std::string &) const {
  out.record({{"type", "lost"}, {"map", record.map}, {"count", record.count}});
}

}  // namespace probecc
