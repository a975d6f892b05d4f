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
    writeRecord(out_, {{"type", severity.empty() ? "message" : severity.str()}, {"message", message.str()}});
    return;
  }
  if (severity.empty())
    out_ << "probecc: " << message << "\n";
  else
    out_ << "probecc: " << severity << ": " << message << "\n";
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
