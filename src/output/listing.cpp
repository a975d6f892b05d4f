#include "output/listing.h"

namespace probecc {

void printListed(const ListedTarget &target, OutputSink &out) {
  if (out.isJson()) {
    JsonValue record{{"probe", target.probe}};
    if (!target.signature.empty()) record["signature"] = target.signature;
    if (target.fields) record["fields"] = *target.fields;
    out.record(record);
    return;
  }
  std::string text = target.probe + "\n";
  if (!target.signature.empty()) text += "    " + target.signature + "\n";
  if (target.fields)
    for (const auto &field : *target.fields) text += "    " + field + ";\n";
  out.text(text);
}

}  // namespace probecc
