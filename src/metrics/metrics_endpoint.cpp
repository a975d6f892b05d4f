#include "metrics/metrics_endpoint.h"

#include "output/map_records.h"
#include "metrics/run_statistics.h"

namespace probecc {

struct MetricsEndpoint::State {
  State(bpf_object &object, const EventOutput *events, size_t probesAttached, const ExpositionOptions &options)
      : object(object), events(events), probesAttached(probesAttached), reader(object), exposition(options) {}

  // Runs in the server's thread only: the reader and the exposition are its own.
  std::string scrape() {
    // Queues and stacks are left alone (reading them pops them); stack ids stay ids.
    const auto maps = reader.readAll({.drainQueues = false, .resolveStacks = false,
                                      .maxEntries = exposition.options().maxSeriesPerMap});
    OwnMetrics own;
    own.probesAttached = probesAttached;
    if (events) own.lost = events->lostTotals();
    if (runStatistics.active()) own.programs = runStatistics.read(object);
    return exposition.render(maps, own);
  }

  bpf_object &object;
  const EventOutput *events;
  size_t probesAttached;
  MapReader reader;
  Exposition exposition;
  RunStatistics runStatistics = RunStatistics::enable();
  std::unique_ptr<MetricsServer> server;  // last: stops (joins its thread) before the rest goes
};

MetricsEndpoint::MetricsEndpoint(std::unique_ptr<State> state) : state_(std::move(state)) {}
MetricsEndpoint::~MetricsEndpoint() { state_->server.reset(); }

llvm::Expected<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::start(bpf_object &object, const EventOutput *events,
                                                                        size_t probesAttached,
                                                                        const MetricsOptions &options,
                                                                        Diagnostics &diagnostics) {
  auto state = std::make_unique<State>(object, events, probesAttached, options.exposition);
  if (!state->runStatistics.active()) diagnostics.note(state->runStatistics.whyInactive());
  auto server = MetricsServer::start(options.address, [raw = state.get()] { return raw->scrape(); });
  if (!server) return server.takeError();
  state->server = std::move(*server);
  diagnostics.progress("serving metrics on http://" + state->server->boundAddress() + "/metrics");
  return std::unique_ptr<MetricsEndpoint>(new MetricsEndpoint(std::move(state)));
}

}  // namespace probecc
