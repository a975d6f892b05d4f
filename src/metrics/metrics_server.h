#pragma once
// The HTTP server behind --metrics: GET /metrics answers with what `render` returns, in a thread of
// its own (Boost.Beast on one Asio io_context), so a scrape never waits for the session's event
// output nor stalls it. Connections close after each response; a client that stalls is dropped.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <llvm/Support/Error.h>

namespace probecc {

// --metrics [ADDR:]PORT: ADDR (default 127.0.0.1; [::1] for IPv6) and PORT (0: any free one).
struct MetricsAddress {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
};
llvm::Expected<MetricsAddress> parseMetricsAddress(const std::string &text);

class MetricsServer {
public:
  using Render = std::function<std::string()>;
  // Binds and listens now (an address in use is an error here), serves from a new thread.
  static llvm::Expected<std::unique_ptr<MetricsServer>> start(const MetricsAddress &address, Render render);
  ~MetricsServer();  // stops serving and joins the thread
  MetricsServer(const MetricsServer &) = delete;
  MetricsServer &operator=(const MetricsServer &) = delete;
  // The address as bound, host:port (with the port chosen when 0 was asked for).
  std::string boundAddress() const;

  struct State;

private:
  explicit MetricsServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace probecc
