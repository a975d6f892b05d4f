#pragma once
// Everything probecc prints on stdout for the user goes through one OutputSink: trace lines,
// events, maps, target listings. Text keeps the shapes BCC's tools print; JSON is one object per
// line, built and escaped by nlohmann::json. (probecc's own messages go to support/diagnostics.h.)
#include <cstdio>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace probecc {

enum class OutputFormat { Text, Json };
using JsonValue = nlohmann::ordered_json;

class OutputSink {
public:
  explicit OutputSink(OutputFormat format) : format_(format) {}
  OutputFormat format() const { return format_; }
  bool isJson() const { return format_ == OutputFormat::Json; }

  // Text output, as it is (text mode).
  void text(std::string_view text) { pending_ += text; }
  // One JSON object, on a line of its own (JSON mode).
  void record(const JsonValue &object);
  bool empty() const { return pending_.empty(); }
  // What was added since the last flush or take.
  std::string take() { return std::move(pending_); }
  // Writes what was added to `to`; false when writing failed (e.g. a closed pipe).
  bool flush(std::FILE *to = stdout);

private:
  OutputFormat format_;
  std::string pending_;
};

// A JSON value's text; strings from the kernel that are not UTF-8 have their bad bytes replaced.
std::string jsonText(const JsonValue &value);

// A decoded value in text: strings bare, arrays [a, b], structs {a: 1, b: x}, or at the top level
// (one event line) a=1 b=x.
std::string textOf(const JsonValue &value, bool topLevel = false);

}  // namespace probecc
