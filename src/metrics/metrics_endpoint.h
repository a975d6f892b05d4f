#pragma once
// --metrics: the session's maps and probecc's own counters served to Prometheus while tracing.
// Scrapes read the maps through their fds in the server's thread; the session's thread goes on
// printing events meanwhile.
#include <memory>
#include <string>

#include <bpf/libbpf.h>
#include <llvm/Support/Error.h>

#include "output/event_output.h"
#include "metrics/exposition.h"
#include "metrics/metrics_server.h"
#include "support/diagnostics.h"

namespace probecc {

struct MetricsOptions {
  MetricsAddress address;
  ExpositionOptions exposition;
};

class MetricsEndpoint {
public:
  // Starts serving once the probes are attached; `events` may be null (no event buffers).
  static llvm::Expected<std::unique_ptr<MetricsEndpoint>> start(bpf_object &object, const EventOutput *events,
                                                                size_t probesAttached, const MetricsOptions &options,
                                                                Diagnostics &diagnostics);
  ~MetricsEndpoint();

  struct State;

private:
  explicit MetricsEndpoint(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace probecc
