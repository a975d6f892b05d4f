#pragma once
// The spellings of a perf event on the command line, parsed into what perf_event_open needs:
//   perf:TYPE:CONFIG:PERIOD   TYPE hardware|hw, software|sw, raw or a PMU type number;
//                             CONFIG a name (cpu-cycles, cpu-clock, ...) or a number (0x1b);
//                             PERIOD N (every N events) or Nhz (N samples a second per CPU)
//   profile:UNIT:N            sample every CPU on the cpu-clock: UNIT hz (N a second), s, ms, us
//   interval:UNIT:N           a timer on one CPU: every N s/ms/us, or N times a second (hz)
#include <cstdint>
#include <string>
#include <string_view>

#include <llvm/Support/Error.h>

namespace probecc {

struct PerfEventSpec {
  uint32_t type = 0;
  uint64_t config = 0;
  uint64_t period = 0;     // sample every `period` events, or
  uint64_t frequency = 0;  // this many samples a second (the kernel adjusts the period)
  bool oneCpu = false;     // interval: a single timer, not one sampler per CPU
  std::string name;        // "software:cpu-clock", for messages
  std::string spelling;    // as the user wrote it: "software:cpu-clock:99hz", "profile:hz:99"
  bool isHardware() const;
  bool operator==(const PerfEventSpec &) const = default;
};

// `target` is what follows "perf:" (or the whole "profile:..." / "interval:..." spelling).
llvm::Expected<PerfEventSpec> parsePerfEvent(std::string_view target);

// The target a -a option of probe type `type` ("perf", "profile" or "interval") stands for.
std::string perfEventTarget(std::string_view type, std::string_view rest);

std::string perfEventHelp();

}  // namespace probecc
