#include "cli/http_server.hpp"

#include <array>
#include <csignal>
#include <optional>
#include <random>
#include <string_view>
#include <utility>  // before Boost 1.74's asio, which needs std::exchange

#include <fmt/format.h>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "app/exit_codes.hpp"

namespace verdict::cli {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

constexpr std::size_t kHeaderLimit = 8 * 1024;
constexpr std::size_t kBodyLimit = 64 * 1024;
constexpr auto kRequestTimeout = std::chrono::seconds(10);
constexpr std::size_t kMaxConnections = 16;
constexpr std::size_t kDrainLimit = 1024 * 1024;

// 128 random bits as 32 hex digits.
std::string random_token() {
  std::random_device device;
  std::string token;
  for (int i = 0; i < 4; ++i) token += fmt::format("{:08x}", device());
  return token;
}

// Equal strings, compared in time that depends only on their lengths.
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

HttpResponse refusal(int status, std::string_view message) {
  return {status, "application/json", fmt::format("{{\"error\": \"{}\"}}\n", message)};
}

}  // namespace

struct LoopbackServer::Impl {
  Impl(std::uint16_t port, Handler h)
      : acceptor(ioc), handler(std::move(h)), token(random_token()) {
    boost::system::error_code ec;
    tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw UsageError(fmt::format("cannot listen on 127.0.0.1:{}: {}", port, ec.message()));
    bound_port = acceptor.local_endpoint().port();
    allowed_hosts = {fmt::format("127.0.0.1:{}", bound_port),
                     fmt::format("localhost:{}", bound_port)};
    allowed_origins = {fmt::format("http://127.0.0.1:{}", bound_port),
                       fmt::format("http://localhost:{}", bound_port)};
  }

  // The checks every request passes before the handler sees it.
  HttpResponse answer(const http::request<http::string_body>& req) const {
    const std::string_view host(req[http::field::host].data(), req[http::field::host].size());
    if (host != allowed_hosts[0] && host != allowed_hosts[1])
      return refusal(403, "wrong Host: this server answers only to 127.0.0.1 and localhost");
    if (req.count(http::field::origin) != 0) {
      const std::string_view origin(req[http::field::origin].data(),
                                    req[http::field::origin].size());
      if (origin != allowed_origins[0] && origin != allowed_origins[1])
        return refusal(403, "wrong Origin");
    }
    std::string_view target(req.target().data(), req.target().size());
    target = target.substr(0, target.find('?'));
    // "/TOKEN" then the end or "/..."
    if (target.size() < token.size() + 1 || target[0] != '/' ||
        !same_secret(target.substr(1, token.size()), token) ||
        (target.size() > token.size() + 1 && target[token.size() + 1] != '/'))
      return refusal(403, "no session token or a wrong one: use the URL the explorer printed");
    const std::string_view rest = target.substr(token.size() + 1);
    std::string path(rest.empty() ? std::string_view("/") : rest);
    return handler(HttpRequest{std::string(req.method_string()), path, req.body()});
  }

  asio::io_context ioc{1};
  tcp::acceptor acceptor;
  Handler handler;
  std::string token;
  std::uint16_t bound_port = 0;
  std::array<std::string, 2> allowed_hosts;
  std::array<std::string, 2> allowed_origins;
  std::size_t connections = 0;
};

namespace {

// One connection: read a request (bounded), answer it, again while the
// client keeps the connection alive.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, LoopbackServer::Impl& server)
      : stream_(std::move(socket)), server_(server) {
    ++server_.connections;
  }
  ~Connection() { --server_.connections; }

  void read() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(kBodyLimit);
    stream_.expires_after(kRequestTimeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted)
      return close();
    if (ec == http::error::body_limit) return send(refusal(413, "request body too large"), false);
    if (ec == http::error::header_limit)
      return send(refusal(431, "request headers too large"), false);
    if (ec) return send(refusal(400, "malformed HTTP request"), false);
    const auto& req = parser_->get();
    HttpResponse out;
    try {
      out = server_.answer(req);
    } catch (const std::exception& e) {
      out = refusal(500, "internal error");
      fmt::print(stderr, "verdict explore: internal error: {}\n", e.what());
    }
    send(std::move(out), req.keep_alive());
  }

  void send(HttpResponse out, bool keep_alive) {
    auto res = std::make_shared<http::response<http::string_body>>();
    res->result(static_cast<unsigned>(out.status));
    res->version(11);
    res->set(http::field::server, "verdict-explore");
    res->set(http::field::content_type, out.content_type);
    res->set(http::field::cache_control, "no-store");
    res->set("X-Content-Type-Options", "nosniff");
    res->set("X-Frame-Options", "DENY");
    res->set("Referrer-Policy", "no-referrer");  // the URL holds the token
    res->set("Content-Security-Policy",
             "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
             "connect-src 'self'; img-src data:; frame-ancestors 'none'");
    res->keep_alive(keep_alive);
    res->body() = std::move(out.body);
    res->prepare_payload();
    stream_.expires_after(kRequestTimeout);
    http::async_write(
        stream_, *res,
        [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
          if (!ec && keep_alive) return self->read();
          self->close();
        });
  }

  // Ends the connection without losing the last answer: closing a socket
  // with unread input (the rest of a refused body) would reset it, and the
  // client might never read the 413. So the rest is read and dropped, up to
  // a bound and for a short while, before the socket goes.
  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(2));
    drain(0);
  }

  void drain(std::size_t so_far) {
    if (so_far > kDrainLimit) return;
    stream_.async_read_some(asio::buffer(scratch_), [self = shared_from_this(), so_far](
                                                        beast::error_code ec, std::size_t n) {
      if (!ec) self->drain(so_far + n);
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{kHeaderLimit};
  std::array<char, 4096> scratch_{};
  std::optional<http::request_parser<http::string_body>> parser_;
  LoopbackServer::Impl& server_;
};

void accept(LoopbackServer::Impl& server) {
  server.acceptor.async_accept([&server](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (ec != asio::error::operation_aborted) accept(server);
      return;
    }
    if (server.connections < kMaxConnections)
      std::make_shared<Connection>(std::move(socket), server)->read();
    accept(server);  // a socket beyond the limit is closed as it goes out of scope
  });
}

}  // namespace

LoopbackServer::LoopbackServer(std::uint16_t port, Handler handler)
    : impl_(std::make_unique<Impl>(port, std::move(handler))) {}

LoopbackServer::~LoopbackServer() = default;

std::uint16_t LoopbackServer::port() const {
  return impl_->bound_port;
}

const std::string& LoopbackServer::token() const {
  return impl_->token;
}

std::string LoopbackServer::url() const {
  return fmt::format("http://127.0.0.1:{}/{}/", impl_->bound_port, impl_->token);
}

void LoopbackServer::run() {
  asio::signal_set signals(impl_->ioc, SIGINT, SIGTERM);
  signals.async_wait([this](beast::error_code, int) { impl_->ioc.stop(); });
  accept(*impl_);
  impl_->ioc.run();
}

}  // namespace verdict::cli
