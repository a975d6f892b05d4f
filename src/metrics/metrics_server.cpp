#include "metrics/metrics_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <charconv>
#include <chrono>
#include <thread>

#include "support/error.h"

namespace probecc {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct MetricsServer::State {
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  Render render;
  std::string bound;  // host:port as bound
  std::thread thread;
};

namespace {

constexpr auto kClientTimeout = std::chrono::seconds(10);
constexpr const char *kExpositionType = "text/plain; version=0.0.4; charset=utf-8";

http::response<http::string_body> respond(const http::request<http::string_body> &request,
                                          const MetricsServer::Render &render) {
  http::response<http::string_body> response;
  response.version(request.version());
  response.keep_alive(false);
  response.set(http::field::server, "probecc");
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    response.result(http::status::method_not_allowed);
    response.set(http::field::allow, "GET, HEAD");
  } else if (request.target() == "/metrics" || request.target().starts_with("/metrics?")) {
    response.result(http::status::ok);
    response.set(http::field::content_type, kExpositionType);
    response.body() = render();
  } else if (request.target() == "/") {
    response.result(http::status::ok);
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.body() = "probecc: the metrics are at /metrics\n";
  } else {
    response.result(http::status::not_found);
    response.set(http::field::content_type, "text/plain; charset=utf-8");
    response.body() = "not found: the metrics are at /metrics\n";
  }
  response.prepare_payload();
  if (request.method() == http::verb::head) response.body().clear();
  return response;
}

asio::awaitable<void> serveConnection(tcp::socket socket, const MetricsServer::Render &render) {
  beast::tcp_stream stream(std::move(socket));
  try {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    stream.expires_after(kClientTimeout);
    co_await http::async_read(stream, buffer, request, asio::use_awaitable);
    auto response = respond(request, render);
    stream.expires_after(kClientTimeout);
    co_await http::async_write(stream, response, asio::use_awaitable);
  } catch (const boost::system::system_error &) {
    // a client that hung up or stalled: nothing to tell anyone
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> acceptConnections(MetricsServer::State &state) {
  for (;;) {
    beast::error_code error;
    tcp::socket socket = co_await state.acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (error == asio::error::operation_aborted) co_return;
    if (error) continue;  // e.g. out of fds for a moment
    asio::co_spawn(state.io, serveConnection(std::move(socket), state.render), asio::detached);
  }
}

}  // namespace

llvm::Expected<MetricsAddress> parseMetricsAddress(const std::string &text) {
  MetricsAddress address;
  std::string port = text;
  if (const auto colon = text.rfind(':'); colon != std::string::npos) {
    address.host = text.substr(0, colon);
    if (address.host.size() >= 2 && address.host.front() == '[' && address.host.back() == ']')
      address.host = address.host.substr(1, address.host.size() - 2);
    port = text.substr(colon + 1);
  }
  unsigned number = 0;
  const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || error != std::errc() || end != port.data() + port.size() || number > 65535)
    return makeError("--metrics takes [ADDR:]PORT (e.g. 9435, 127.0.0.1:9435, [::1]:9435), not '" + text + "'");
  address.port = static_cast<uint16_t>(number);
  boost::system::error_code bad;
  if (address.host.empty()) address.host = "0.0.0.0";
  asio::ip::make_address(address.host, bad);
  if (bad) return makeError("--metrics: '" + address.host + "' is not an IP address");
  return address;
}

llvm::Expected<std::unique_ptr<MetricsServer>> MetricsServer::start(const MetricsAddress &address, Render render) {
  auto state = std::make_unique<State>();
  state->render = std::move(render);
  const tcp::endpoint endpoint(asio::ip::make_address(address.host), address.port);
  boost::system::error_code error;
  state->acceptor.open(endpoint.protocol(), error);
  if (!error) state->acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) state->acceptor.bind(endpoint, error);
  if (!error) state->acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error)
    return makeError("--metrics: cannot listen on " + address.host + ":" + std::to_string(address.port) + ": " +
                     error.message());
  const auto endpointBound = state->acceptor.local_endpoint(error);
  const auto host = endpointBound.address();
  state->bound = (host.is_v6() ? "[" + host.to_string() + "]" : host.to_string()) + ":" + std::to_string(endpointBound.port());
  asio::co_spawn(state->io, acceptConnections(*state), asio::detached);
  state->thread = std::thread([io = &state->io] { io->run(); });
  return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(state)));
}

MetricsServer::MetricsServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

MetricsServer::~MetricsServer() {
  state_->io.stop();
  if (state_->thread.joinable()) state_->thread.join();
}

std::string MetricsServer::boundAddress() const { return state_->bound; }

}  // namespace probecc
