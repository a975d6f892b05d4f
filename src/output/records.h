#pragma once
// What the readers hand the renderers (renderer.h): a trace line, an event, a loss notice, a probe
// of a listing. A map's contents are MapRecords (map_records.h), which Prometheus's exposition
// (metrics/) reads too.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kernel/kernel_targets.h"
#include "output/output_sink.h"
#include "output/trace_pipe.h"

namespace probecc {

// One line of bpf_trace_printk's output (trace_pipe's, or the session's printk ring buffer's).
struct TraceRecord {
  std::string_view line;              // as the kernel writes it, without '\n'
  std::optional<TraceFields> fields;  // its parts, when it has trace_pipe's shape
};

// One BPF_PERF_OUTPUT / BPF_RINGBUF_OUTPUT record.
struct EventRecord {
  std::string_view map;   // the event map, as the user named it
  JsonValue data;         // decoded through the event's BTF type, or its bytes in hex
  bool labelled = false;  // the program has more than one event map: text names the map first
};

// Records an event buffer lost since the last notice (or, as a total, in all).
struct LossRecord {
  enum class Buffer { Perf, Ring, Printk } buffer = Buffer::Perf;
  std::string map;  // as the user named it
  uint64_t count = 0;
};

// One probe of -l's listing, as attach/target_listing.h finds it.
using ProbeRecord = ListedTarget;

}  // namespace probecc
