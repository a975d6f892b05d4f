// The -a option's parsers: TYPE:TARGET=FN, perf event specs, USDT targets. Any text is a spec or
// an error that quotes it.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "frontend/probe_plan.h"
#include "program/perf_event_spec.h"
#include "program/usdt_target.h"

using namespace probecc;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string text(reinterpret_cast<const char *>(data), size);
  if (auto spec = planFromAttachOption(text); !spec) {
    const std::string error = llvm::toString(spec.takeError());
    if (error.find("-a " + text) != 0) abort();  // every -a error quotes the user's own text first
  }
  if (auto event = parsePerfEvent(text); !event) llvm::consumeError(event.takeError());
  else if (event->period == 0 && event->frequency == 0) abort();
  if (auto usdt = parseUsdtTarget(text); !usdt) llvm::consumeError(usdt.takeError());
  return 0;
}
