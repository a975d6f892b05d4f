#include "output/output_sink.h"

#include "support/json_schema.h"
#include "support/text_escape.h"

#include <cstdio>

namespace probecc {

void OutputSink::record(const JsonValue &object) {
  pending_ += jsonText(object);
  // Every record carries the schema's version, last (appended to the text: no copy of the record).
  if (!pending_.empty() && pending_.back() == '}') {
    pending_.pop_back();
    pending_ += object.empty() ? "\"schema\":" : ",\"schema\":";
    pending_ += std::to_string(kJsonSchemaVersion);
    pending_ += '}';
  }
  pending_ += '\n';
}

bool OutputSink::flush(std::FILE *to) {
  const bool written = pending_.empty() || std::fwrite(pending_.data(), 1, pending_.size(), to) == pending_.size();
  pending_.clear();
  return std::fflush(to) == 0 && written;
}

std::string jsonText(const JsonValue &value) { return value.dump(-1, ' ', false, JsonValue::error_handler_t::replace); }

std::string textOf(const JsonValue &value, bool topLevel) {
  if (value.is_string()) {  // strings from the kernel may hold any bytes: keep the line one line, and text
    std::string out;
    appendPrintable(value.get_ref<const std::string &>(), out);
    return out;
  }
  if (value.is_number_float()) {
    char text[48];
    std::snprintf(text, sizeof text, "%g", value.get<double>());
    return text;
  }
  if (value.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < value.size(); ++i) out += (i ? ", " : "") + textOf(value[i]);
    return out + "]";
  }
  if (value.is_object()) {
    std::string out = topLevel ? "" : "{";
    bool first = true;
    for (const auto &[name, member] : value.items()) {
      if (!first) out += topLevel ? " " : ", ";
      first = false;
      out += name + (topLevel ? "=" : ": ") + textOf(member);
    }
    return topLevel ? out : out + "}";
  }
  return jsonText(value);
}

}  // namespace probecc
