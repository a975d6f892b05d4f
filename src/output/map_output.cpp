#include "output/map_output.h"

namespace probecc {

int MapPrinter::printAll(OutputSink &out) {
  MapReadOptions options;
  options.maxKeysRead = kMaxMapKeysRead;
  options.interrupted = interrupted_;
  const auto all = reader_.readAll(options);
  for (const auto &records : all) {
    out.render(records);
    if (records.truncated)
      addNote("map " + records.name.name + ": only its first " + std::to_string(records.keysRead) + " of " +
              std::to_string(records.capacity) + " slots were read, to print in seconds; what they hold is shown");
  }
  if (interrupted_()) addNote("printing the maps stopped: interrupted");
  return static_cast<int>(all.size());
}

}  // namespace probecc
