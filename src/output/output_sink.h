#pragma once
// Everything probecc prints on stdout for the user goes through one OutputSink: trace lines,
// events, maps, target listings, each a record (records.h) turned into output by the renderer the
// user chose (renderer.h). Text keeps the shapes BCC's tools print; JSON is one object per line,
// built and escaped by nlohmann::json. (probecc's own messages go to support/diagnostics.h.)
#include <cassert>
#include <cstdio>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "output/renderer.h"

namespace probecc {

using JsonValue = nlohmann::ordered_json;

class OutputSink {
public:
  // Without a renderer, the sink takes bytes only (help, --emit).
  explicit OutputSink(const Renderer *renderer = nullptr) : renderer_(renderer) {}
  explicit OutputSink(const Renderer &renderer) : renderer_(&renderer) {}

  // One record, as the renderer shows it (a loss also takes the notes for stderr).
  template <typename Record, typename... Notes>
  void render(const Record &record, Notes &...notes) {
    assert(renderer_ && "a sink of bytes renders no records");
    renderer_->render(record, *this, notes...);
  }

  // Text output, as it is.
  void text(std::string_view text) { pending_ += text; }
  // One JSON object, on a line of its own (the JSON renderer's).
  void record(const JsonValue &object);
  bool empty() const { return pending_.empty(); }
  // What was added since the last flush or take.
  std::string take() { return std::move(pending_); }
  // Writes what was added to `to`; false when writing failed (e.g. a closed pipe).
  bool flush(std::FILE *to = stdout);

private:
  const Renderer *renderer_;
  std::string pending_;
};

// A JSON value's text; strings from the kernel that are not UTF-8 have their bad bytes replaced.
std::string jsonText(const JsonValue &value);

// A decoded value in text: strings bare, arrays [a, b], structs {a: 1, b: x}, or at the top level
// (one event line) a=1 b=x.
std::string textOf(const JsonValue &value, bool topLevel = false);

}  // namespace probecc
