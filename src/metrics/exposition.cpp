#include "metrics/exposition.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <unordered_map>

#include "support/text_escape.h"

namespace probecc {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

// A label or metric name part: what Prometheus allows, other characters as '_'.
std::string sanitizedName(const std::string &name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(0, "_");
  while (out.starts_with("__")) out.erase(0, 1);  // names starting "__" are Prometheus's own
  return out;
}

std::string labelText(const JsonValue &value) {
  if (value.is_string()) {
    std::string printable;
    appendPrintable(value.get_ref<const std::string &>(), printable);
    return printable;
  }
  return textOf(value);
}

// A decoded key as labels: a struct's members by name (nested ones joined with '_'), anything
// else as one "key" label.
void addLabels(const JsonValue &value, const std::string &name, Labels &labels) {
  if (value.is_object()) {
    for (const auto &[member, inner] : value.items())
      addLabels(inner, name.empty() ? sanitizedName(member) : name + "_" + sanitizedName(member), labels);
    return;
  }
  std::string label = name.empty() ? "key" : name;
  if (label == "le") label = "le_";  // histograms' own label
  labels.emplace_back(label, labelText(value));
}

void appendEscaped(const std::string &value, std::string &out) {
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
}

void appendSeries(std::string &out, const std::string &name, const Labels &labels, const std::string &value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      out += (i ? ",": "") + labels[i].first + "=\"";
      appendEscaped(labels[i].second, out);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

void appendHeader(std::string &out, const std::string &name, const std::string &type, const std::string &help) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

std::string number(double value) {  // the shortest text that reads back as the same double
  char text[40];
  const auto end = std::to_chars(text, text + sizeof text, value).ptr;
  return std::string(text, end);
}

// Cumulative buckets from the slots' upper bounds; _sum from the slots' midpoints (an estimate:
// the map keeps counts per slot, not the values).
void appendHistogram(std::string &out, const std::string &name, const MapName &map, const HistogramRecord &histogram) {
  Labels labels;
  if (!histogram.section.is_null()) addLabels(histogram.section, "", labels);
  const bool log2 = map.kind == MapName::Kind::Log2Histogram;
  std::vector<std::pair<int64_t, uint64_t>> slots = histogram.buckets;
  if (log2 && !slots.empty()) {  // every slot between the first and last used: stable series
    std::vector<std::pair<int64_t, uint64_t>> filled;
    size_t next = 0;
    for (int64_t slot = std::max<int64_t>(slots.front().first, 0); slot <= std::min<int64_t>(slots.back().first, 64); ++slot) {
      while (next < slots.size() && slots[next].first < slot) ++next;
      filled.emplace_back(slot, next < slots.size() && slots[next].first == slot ? slots[next].second : 0);
    }
    slots = std::move(filled);
  }
  uint64_t cumulative = 0;
  double sum = 0;
  for (const auto &[slot, count] : slots) {
    const auto [low, high] = log2 ? log2Bucket(slot) : std::pair<uint64_t, uint64_t>(slot, slot);
    cumulative += count;
    sum += count * (log2 ? (static_cast<double>(low) + static_cast<double>(high)) / 2 : static_cast<double>(slot));
    Labels bucket = labels;
    bucket.emplace_back("le", log2 ? std::to_string(high) : std::to_string(slot));
    appendSeries(out, name + "_bucket", bucket, std::to_string(cumulative));
  }
  Labels infinity = labels;
  infinity.emplace_back("le", "+Inf");
  appendSeries(out, name + "_bucket", infinity, std::to_string(cumulative));
  appendSeries(out, name + "_sum", labels, number(sum));
  appendSeries(out, name + "_count", labels, std::to_string(cumulative));
}

// A table whose values are integers: one gauge; whose values are structs: one gauge per integer
// member (<map>_<member>). Other values have no number to export.
void appendTable(std::string &out, const std::string &name, const MapRecords &map) {
  if (map.entries.empty()) return;
  if (map.entries.front().number) {
    appendHeader(out, name, "gauge", "BPF map " + map.name.name + ": its values by key (per-CPU values summed)");
    // Keys that differ only where no label looks (bytes after a string's NUL) are one series:
    // Prometheus refuses a scrape with a series twice.
    std::vector<std::pair<Labels, int64_t>> series;
    std::unordered_map<std::string, size_t> seen;
    for (const auto &entry : map.entries) {
      Labels labels;
      addLabels(entry.key, "", labels);
      std::string identity;
      for (const auto &[label, value] : labels) identity += label + '\0' + value + '\0';
      const auto [at, inserted] = seen.emplace(identity, series.size());
      if (inserted)
        series.emplace_back(std::move(labels), *entry.number);
      else
        series[at->second].second += *entry.number;
    }
    for (const auto &[labels, value] : series) appendSeries(out, name, labels, std::to_string(value));
    return;
  }
  if (!map.entries.front().value.is_object()) return;
  for (const auto &[member, first] : map.entries.front().value.items()) {
    if (!first.is_number()) continue;
    const std::string memberName = name + "_" + sanitizedName(member);
    appendHeader(out, memberName, "gauge", "BPF map " + map.name.name + ": the " + member + " member of its values by key");
    for (const auto &entry : map.entries) {
      const auto found = entry.value.find(member);
      if (found == entry.value.end() || !found->is_number()) continue;
      Labels labels;
      addLabels(entry.key, "", labels);
      appendSeries(out, memberName, labels, found->is_number_float() ? number(found->get<double>()) : found->dump());
    }
  }
}

}  // namespace

bool isMetricName(const std::string &name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != ':') return false;
  return true;
}

std::string Exposition::render(const std::vector<MapRecords> &maps, const OwnMetrics &own) {
  const std::string &prefix = options_.prefix;
  std::string out;
  for (const auto &map : maps) {
    const std::string name = prefix + "_" + sanitizedName(map.name.name);
    if (map.truncated) ++truncations_[map.name.name];
    if (map.shape == MapRecords::Shape::Histograms) {
      appendHeader(out, name, "histogram",
                   "BPF histogram " + map.name.name + " (" +
                       (map.name.kind == MapName::Kind::Log2Histogram ? "log2" : "linear") +
                       " slots; _sum estimated from the slots' midpoints)");
      for (const auto &histogram : map.histograms) appendHistogram(out, name, map.name, histogram);
    } else if (map.shape == MapRecords::Shape::Table) {
      appendTable(out, name, map);
    }
  }
  if (!truncations_.empty()) {
    const std::string name = prefix + "_metrics_truncated_total";
    appendHeader(out, name, "counter", "scrapes that left entries of a map out (more than --metrics-max-series)");
    for (const auto &[map, count] : truncations_) appendSeries(out, name, {{"map", map}}, std::to_string(count));
  }
  const auto isPrintk = [](const LossRecord &loss) { return loss.buffer == LossRecord::Buffer::Printk; };
  if (!std::all_of(own.lost.begin(), own.lost.end(), isPrintk)) {
    const std::string name = prefix + "_events_lost_total";
    appendHeader(out, name, "counter", "perf or ring buffer records lost (the buffer was full)");
    for (const auto &loss : own.lost)
      if (!isPrintk(loss)) appendSeries(out, name, {{"map", loss.map}}, std::to_string(loss.count));
  }
  for (const auto &loss : own.lost) {
    if (!isPrintk(loss)) continue;
    const std::string name = prefix + "_printk_lines_lost_total";
    appendHeader(out, name, "counter", "bpf_trace_printk lines lost (the printk ring buffer was full)");
    appendSeries(out, name, {}, std::to_string(loss.count));
  }
  appendHeader(out, prefix + "_probes_attached", "gauge", "probes attached (one per target)");
  appendSeries(out, prefix + "_probes_attached", {}, std::to_string(own.probesAttached));
  if (own.programs) {
    const std::string runs = prefix + "_program_runs_total", seconds = prefix + "_program_run_seconds_total";
    appendHeader(out, runs, "counter", "times each BPF program ran (kernel BPF statistics)");
    for (const auto &program : *own.programs) appendSeries(out, runs, {{"program", program.program}}, std::to_string(program.runs));
    appendHeader(out, seconds, "counter", "time each BPF program ran, in seconds (kernel BPF statistics)");
    for (const auto &program : *own.programs)
      appendSeries(out, seconds, {{"program", program.program}}, number(program.runNanoseconds / 1e9));
  }
  return out;
}

}  // namespace probecc
