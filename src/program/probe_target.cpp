#include "program/probe_target.h"

#include <array>
#include <cctype>

#include <llvm/ADT/StringRef.h>

#include "program/probe_kinds.h"
#include "support/error.h"
#include "support/name_pattern.h"

namespace probecc {
namespace {

template <typename... F> struct Overloaded : F... { using F::operator()...; };

std::string hex(uint64_t value) {
  std::string digits;
  do digits.insert(digits.begin(), "0123456789abcdef"[value % 16]); while (value /= 16);
  return "0x" + digits;
}

std::optional<uint64_t> number(std::string_view text) {
  uint64_t value = 0;
  if (text.empty() || llvm::StringRef(text).getAsInteger(0, value)) return std::nullopt;
  return value;
}

llvm::Expected<ProbeTarget> kernelName(std::string_view text) { return KernelName{std::string(text)}; }

// "CATEGORY/EVENT" (sections, BCC names) or "CATEGORY:EVENT" (-a): the category ends at the first.
llvm::Expected<ProbeTarget> tracepointName(std::string_view text) {
  auto split = text.find('/');
  if (split == std::string_view::npos) split = text.find(':');
  if (split == std::string_view::npos) return TracepointName{"", std::string(text)};
  return TracepointName{std::string(text.substr(0, split)), std::string(text.substr(split + 1))};
}

// "[PATH:]SYMBOL[+OFFSET]" or "PATH:ADDRESS", as libbpf's uprobe sections take them.
llvm::Expected<ProbeTarget> userFunction(std::string_view text) {
  UserFunction function;
  std::string place(text);
  if (auto split = splitPathSymbol(text)) std::tie(function.binary, place) = std::move(*split);
  if (!place.empty() && isdigit(static_cast<unsigned char>(place[0]))) {
    const auto address = number(place);
    if (!address) return makeError("'" + llvm::Twine(place) + "' is no symbol and no address");
    function.offset = *address;
    return function;
  }
  const auto plus = place.find('+');
  function.symbol = place.substr(0, plus);
  if (plus != std::string::npos) {
    const auto offset = number(std::string_view(place).substr(plus + 1));
    if (!offset) return makeError("'" + llvm::Twine(place) + "': write SYMBOL+OFFSET with a number");
    function.offset = *offset;
  }
  return function;
}

llvm::Expected<ProbeTarget> usdtProbe(std::string_view text) {
  auto usdt = parseUsdtTarget(text);
  if (!usdt) return usdt.takeError();
  return std::move(*usdt);
}

llvm::Expected<ProbeTarget> perfEvent(std::string_view text) {
  auto event = parsePerfEvent(text);
  if (!event) return event.takeError();
  return std::move(*event);
}

llvm::Expected<ProbeTarget> sectionName(std::string_view text) { return SectionName{std::string(text)}; }

// -a's spellings, where they are stricter than a section's or name more than the target.
using OptionText = llvm::Expected<std::string> (*)(std::string_view type, std::string_view text);

llvm::Expected<std::string> asWritten(std::string_view, std::string_view text) { return std::string(text); }

llvm::Expected<std::string> tracepointOption(std::string_view, std::string_view text) {
  if (text.find(':') == std::string_view::npos) return makeError("write tracepoint:CATEGORY:EVENT=FUNCTION");
  return std::string(text);
}

llvm::Expected<std::string> userFunctionOption(std::string_view type, std::string_view text) {
  const auto split = splitPathSymbol(text);
  const char *missing = !split ? "PATH:SYMBOL" : split->first.empty() ? "the PATH" : split->second.empty() ? "the SYMBOL" : nullptr;
  if (missing) return makeError("write " + llvm::Twine(type) + ":PATH:SYMBOL=FUNCTION (" + missing + " is missing)");
  return std::string(text);
}

// profile:... and interval:... name their event's kind in the type
llvm::Expected<std::string> perfEventOption(std::string_view type, std::string_view text) {
  return perfEventTarget(type, text);
}

// The shape of each target space's targets: what a kind's target is parsed into, and how -a writes it.
struct Shape {
  TargetSpace space;
  llvm::Expected<ProbeTarget> (*parse)(std::string_view);
  OptionText option;
};
constexpr std::array kShapes{
    Shape{TargetSpace::KernelFunction, kernelName, asWritten},
    Shape{TargetSpace::Syscall, kernelName, asWritten},
    Shape{TargetSpace::Tracepoint, tracepointName, tracepointOption},
    Shape{TargetSpace::RawTracepoint, kernelName, asWritten},
    Shape{TargetSpace::BtfFunction, kernelName, asWritten},
    Shape{TargetSpace::LsmHook, kernelName, asWritten},
    Shape{TargetSpace::UserFunction, userFunction, userFunctionOption},
    Shape{TargetSpace::UsdtProbe, usdtProbe, asWritten},
    Shape{TargetSpace::PerfEvent, perfEvent, perfEventOption},
    Shape{TargetSpace::None, sectionName, asWritten},
};

const Shape &shapeOf(ProbeKind kind) {
  const TargetSpace space = kindInfo(kind).targets;
  for (const auto &shape : kShapes)
    if (shape.space == space) return shape;
  return kShapes.back();
}

}  // namespace

std::optional<std::pair<std::string, std::string>> splitPathSymbol(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return std::pair{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

llvm::Expected<ProbeTarget> parseTarget(ProbeKind kind, std::string_view text) {
  if (text.empty()) return NoTarget{};
  return shapeOf(kind).parse(text);
}

llvm::Expected<ProbeTarget> parseOptionTarget(ProbeKind kind, std::string_view type, std::string_view text) {
  auto written = shapeOf(kind).option(type, text);
  if (!written) return written.takeError();
  return parseTarget(kind, *written);
}

std::string ProbeTarget::text() const {
  return std::visit(
      Overloaded{
          [](const NoTarget &) { return std::string(); },
          [](const KernelName &name) { return name.name; },
          [](const TracepointName &tp) { return tp.category.empty() ? tp.event : tp.category + "/" + tp.event; },
          [](const UserFunction &function) {
            std::string place = function.symbol.empty() ? hex(function.offset)
                                : function.offset     ? function.symbol + "+" + hex(function.offset)
                                                      : function.symbol;
            return function.binary.empty() ? place : function.binary + ":" + place;
          },
          [](const UsdtTarget &usdt) { return usdtTargetText(usdt); },
          [](const PerfEventSpec &event) { return event.spelling; },
          [](const SectionName &section) { return section.section; },
      },
      value_);
}

std::string ProbeTarget::shown() const {
  if (const auto *tp = as<TracepointName>(); tp && !tp->category.empty()) return tp->category + ":" + tp->event;
  return text();
}

bool ProbeTarget::isPattern() const { return hasWildcard(text()); }

}  // namespace probecc
