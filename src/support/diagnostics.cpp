#include "support/diagnostics.h"

#include <nlohmann/json.hpp>

#include <regex>

#include "support/error.h"
#include "support/json_schema.h"

namespace probecc {
namespace {

void writeRecord(llvm::raw_ostream &out, nlohmann::ordered_json record) {
  record["schema"] = kJsonSchemaVersion;
  out << record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace

void Diagnostics::line(llvm::StringRef severity, const llvm::Twine &message) {
  if (json_) {
    nlohmann::ordered_json record{{"type", severity.empty() ? "message" : severity.str()}, {"message", message.str()}};
    // A message about a place in the user's source starts "FILE:LINE: " (a probe's location)
    static const std::regex atLine(R"(^([^:\n ]+):([0-9]+): ([^]*)$)");
    std::smatch parts;
    const std::string text = message.str();
    if (!severity.empty() && std::regex_match(text, parts, atLine)) {
      record["message"] = parts[3].str();
      record["file"] = parts[1].str();
      record["line"] = std::stoi(parts[2]);
    }
    writeRecord(out_, std::move(record));
    return;
  }
  if (severity.empty())
    out_ << "probecc: " << message << "\n";
  else
    out_ << "probecc: " << severity << ": " << message << "\n";
}

void Diagnostics::text(llvm::StringRef text) {
  if (!json_) {
    out_ << text;
    return;
  }
  llvm::SmallVector<llvm::StringRef> lines;
  text.split(lines, '\n', -1, false);
  for (llvm::StringRef message : lines) {
    llvm::StringRef severity;
    if (message.consume_front("probecc: "))
      for (llvm::StringRef known : {"error", "warning", "note"})
        if (message.consume_front((known + ": ").str())) severity = known;
    line(severity, message);
  }
}

void Diagnostics::locatedRecord(const std::string &message) {
  static const std::regex located(R"(^([^:\n]+):([0-9]+):([0-9]+): (error|warning): ([^\n]*)\n?)");
  std::smatch parts;
  if (!std::regex_search(message, parts, located)) return line("error", message);
  nlohmann::ordered_json record{{"type", parts[4].str()}, {"message", parts[5].str()}, {"file", parts[1].str()},
                                {"line", std::stoi(parts[2])}, {"col", std::stoi(parts[3])}};
  if (const std::string rest = parts.suffix(); !rest.empty()) record["context"] = rest;
  writeRecord(out_, std::move(record));
}

int Diagnostics::error(llvm::Error error) {
  llvm::handleAllErrors(
      std::move(error), [](const AlreadyReported &) {},
      [&](const LocatedError &e) {
        if (json_)
          locatedRecord(e.message());
        else
          out_ << e.message() << "\n";
      },
      [&](const llvm::ErrorInfoBase &e) { line("error", e.message()); });
  return 1;
}

}  // namespace probecc
