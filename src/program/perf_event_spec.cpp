#include "program/perf_event_spec.h"

#include <linux/perf_event.h>

#include <array>
#include <optional>

#include <llvm/ADT/StringRef.h>

#include "support/error.h"

namespace probecc {
namespace {

struct Named {
  std::string_view name;
  uint64_t value;
};

constexpr std::array kTypes{
    Named{"hardware", PERF_TYPE_HARDWARE}, Named{"hw", PERF_TYPE_HARDWARE},
    Named{"software", PERF_TYPE_SOFTWARE}, Named{"sw", PERF_TYPE_SOFTWARE},
    Named{"raw", PERF_TYPE_RAW},
};

constexpr std::array kHardwareEvents{
    Named{"cpu-cycles", PERF_COUNT_HW_CPU_CYCLES},
    Named{"cycles", PERF_COUNT_HW_CPU_CYCLES},
    Named{"instructions", PERF_COUNT_HW_INSTRUCTIONS},
    Named{"cache-references", PERF_COUNT_HW_CACHE_REFERENCES},
    Named{"cache-misses", PERF_COUNT_HW_CACHE_MISSES},
    Named{"branch-instructions", PERF_COUNT_HW_BRANCH_INSTRUCTIONS},
    Named{"branches", PERF_COUNT_HW_BRANCH_INSTRUCTIONS},
    Named{"branch-misses", PERF_COUNT_HW_BRANCH_MISSES},
    Named{"bus-cycles", PERF_COUNT_HW_BUS_CYCLES},
    Named{"stalled-cycles-frontend", PERF_COUNT_HW_STALLED_CYCLES_FRONTEND},
    Named{"stalled-cycles-backend", PERF_COUNT_HW_STALLED_CYCLES_BACKEND},
    Named{"ref-cycles", PERF_COUNT_HW_REF_CPU_CYCLES},
};

constexpr std::array kSoftwareEvents{
    Named{"cpu-clock", PERF_COUNT_SW_CPU_CLOCK},
    Named{"task-clock", PERF_COUNT_SW_TASK_CLOCK},
    Named{"page-faults", PERF_COUNT_SW_PAGE_FAULTS},
    Named{"faults", PERF_COUNT_SW_PAGE_FAULTS},
    Named{"context-switches", PERF_COUNT_SW_CONTEXT_SWITCHES},
    Named{"cs", PERF_COUNT_SW_CONTEXT_SWITCHES},
    Named{"cpu-migrations", PERF_COUNT_SW_CPU_MIGRATIONS},
    Named{"migrations", PERF_COUNT_SW_CPU_MIGRATIONS},
    Named{"minor-faults", PERF_COUNT_SW_PAGE_FAULTS_MIN},
    Named{"major-faults", PERF_COUNT_SW_PAGE_FAULTS_MAJ},
    Named{"alignment-faults", PERF_COUNT_SW_ALIGNMENT_FAULTS},
    Named{"emulation-faults", PERF_COUNT_SW_EMULATION_FAULTS},
    Named{"dummy", PERF_COUNT_SW_DUMMY},
};

template <size_t N>
std::optional<uint64_t> lookup(const std::array<Named, N> &table, std::string_view name) {
  for (const auto &entry : table)
    if (entry.name == name) return entry.value;
  return std::nullopt;
}

template <size_t N> std::string names(const std::array<Named, N> &table) {
  std::string out;
  for (const auto &entry : table) out += (out.empty() ? "" : ", ") + std::string(entry.name);
  return out;
}

// Decimal or 0x-prefixed hexadecimal.
std::optional<uint64_t> number(std::string_view text) {
  uint64_t value = 0;
  if (text.empty() || llvm::StringRef(text).getAsInteger(0, value)) return std::nullopt;
  return value;
}

// The caller quotes the spec as the user wrote it.
llvm::Error bad(std::string_view, const llvm::Twine &why) { return makeError(why + "\n" + perfEventHelp()); }

// N of UNIT as nanoseconds, the cpu-clock's period; nullopt if that does not fit in 64 bits.
std::optional<uint64_t> nanoseconds(uint64_t count, uint64_t unit) {
  uint64_t period;
  if (__builtin_mul_overflow(count, unit, &period)) return std::nullopt;
  return period;
}

// profile:/interval: UNIT:N on the cpu-clock (whose period counts nanoseconds).
llvm::Expected<PerfEventSpec> clockEvent(std::string_view target, std::string_view rest, bool oneCpu) {
  const auto colon = rest.find(':');
  const auto unit = rest.substr(0, colon);
  const auto count = colon == std::string_view::npos ? std::nullopt : number(rest.substr(colon + 1));
  if (!count || *count == 0) return bad(target, "write UNIT:N with a positive N, e.g. hz:99 or s:1");
  PerfEventSpec spec{PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 0, 0, oneCpu, "software:cpu-clock", ""};
  std::optional<uint64_t> period;
  if (unit == "hz") spec.frequency = *count;
  else if (unit == "s") period = nanoseconds(*count, 1000000000);
  else if (unit == "ms") period = nanoseconds(*count, 1000000);
  else if (unit == "us") period = nanoseconds(*count, 1000);
  else return bad(target, "unknown unit '" + llvm::Twine(unit) + "' (hz, s, ms or us)");
  if (unit != "hz" && !period)
    return bad(target, llvm::Twine(*count) + " " + llvm::Twine(unit) + " is too long a period (at most 2^64 ns, " +
                           llvm::Twine(UINT64_MAX / 1000000000) + " s)");
  if (period) spec.period = *period;
  // perf_event_attr's sample_freq is 64-bit, but the kernel caps it (kernel.perf_event_max_sample_rate)
  if (unit == "hz" && *count > UINT32_MAX) return bad(target, llvm::Twine(*count) + " hz is more than the kernel allows");
  return spec;
}

llvm::Expected<PerfEventSpec> parseSpelling(std::string_view target) {
  if (target.starts_with("profile:")) return clockEvent(target, target.substr(8), false);
  if (target.starts_with("interval:")) return clockEvent(target, target.substr(9), true);

  const auto first = target.find(':'), last = target.rfind(':');
  if (first == std::string_view::npos || first == last) return bad(target, "write TYPE:CONFIG:PERIOD");
  const auto typeName = target.substr(0, first);
  const auto configName = target.substr(first + 1, last - first - 1);
  auto periodText = target.substr(last + 1);

  PerfEventSpec spec;
  auto type = lookup(kTypes, typeName);
  if (!type) type = number(typeName);
  if (!type || *type > UINT32_MAX)
    return bad(target, "unknown type '" + llvm::Twine(typeName) + "' (" + names(kTypes) + ", or a PMU's type number)");
  spec.type = static_cast<uint32_t>(*type);
  std::optional<uint64_t> config = number(configName);
  if (!config && spec.type == PERF_TYPE_HARDWARE) config = lookup(kHardwareEvents, configName);
  if (!config && spec.type == PERF_TYPE_SOFTWARE) config = lookup(kSoftwareEvents, configName);
  if (!config) {
    const std::string known = spec.type == PERF_TYPE_HARDWARE   ? " (" + names(kHardwareEvents) + ", or a number)"
                              : spec.type == PERF_TYPE_SOFTWARE ? " (" + names(kSoftwareEvents) + ", or a number)"
                                                                : " (a number for this type)";
    return bad(target, "unknown event '" + llvm::Twine(configName) + "'" + known);
  }
  spec.config = *config;

  const bool isFrequency = periodText.ends_with("hz");
  if (isFrequency) periodText.remove_suffix(2);
  const auto period = number(periodText);
  if (!period || *period == 0)
    return bad(target, "the last part is the period, N events (10000) or N a second (99hz), N > 0");
  (isFrequency ? spec.frequency : spec.period) = *period;
  spec.name = std::string(typeName) + ":" + std::string(configName);
  return spec;
}

}  // namespace

bool PerfEventSpec::isHardware() const { return type == PERF_TYPE_HARDWARE || type == PERF_TYPE_RAW; }

std::string perfEventTarget(std::string_view type, std::string_view rest) {
  if (type == "perf") return std::string(rest);
  return std::string(type) + ":" + std::string(rest);
}

llvm::Expected<PerfEventSpec> parsePerfEvent(std::string_view target) {
  auto spec = parseSpelling(target);
  if (spec) spec->spelling = std::string(target);
  return spec;
}

std::string perfEventHelp() {
  return "  -a perf:TYPE:CONFIG:PERIOD=fn  run fn on a perf event, on every CPU: TYPE hardware|hw, software|sw,\n"
         "                               raw or a PMU type number; CONFIG an event name (cpu-cycles,\n"
         "                               instructions, cache-misses, cpu-clock, page-faults, context-switches, ...)\n"
         "                               or a number; PERIOD N (every N events) or Nhz (N times a second)\n"
         "  -a profile:hz:N=fn           ... N times a second on every CPU (also profile:s|ms|us:N)\n"
         "  -a interval:s:N=fn           ... every N seconds, on one CPU (also interval:ms|us|hz:N)\n";
}

}  // namespace probecc
