#include "net/client.hpp"

#include <random>

#include "net/connection.hpp"

namespace verdict::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct ClientSession::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::io_context& context, std::vector<HostPort> nodes, ClientOptions opts)
      : io(context),
        endpoints(std::move(nodes)),
        options(opts),
        attempt_timer(context),
        retry_timer(context) {
    std::random_device rd;
    std::mt19937_64 rng((std::uint64_t{rd()} << 32) ^ rd());
    target = static_cast<std::size_t>(rng() % endpoints.size());
  }

  asio::io_context& io;
  std::vector<HostPort> endpoints;
  ClientOptions options;
  ClientToken token = random_bytes<kTokenBytes>();
  raft::ClientId client = client_id_of(token);
  raft::RequestId next_id = 1;
  std::uint64_t sent = 0;
  std::size_t target = 0;  // endpoint index
  std::shared_ptr<Connection> conn;
  std::size_t conn_target = 0;
  bool connecting = false;
  std::uint64_t generation = 0;  // bumped per attempt, so stale callbacks do nothing
  asio::steady_timer attempt_timer, retry_timer;

  struct Pending {
    KvRequest request;
    Done done;
    Clock::time_point deadline;
  };
  std::optional<Pending> pending;

  void submit(kv::Input op, Done done) {
    pending = Pending{
        {client, next_id++, std::move(op)}, std::move(done), Clock::now() + options.op_timeout};
    attempt();
  }

  void finish(std::optional<kv::Response> r) {
    ++generation;
    attempt_timer.cancel();
    retry_timer.cancel();
    auto done = std::move(pending->done);
    pending.reset();
    done(std::move(r));
  }

  // Sends the pending request to `target`, connecting first if needed.
  void attempt() {
    if (!pending) return;
    if (Clock::now() >= pending->deadline) return finish(std::nullopt);
    const auto g = ++generation;
    attempt_timer.expires_after(options.attempt_timeout);
    attempt_timer.async_wait([self = shared_from_this(), g](boost::system::error_code ec) {
      if (ec || g != self->generation) return;
      self->drop_connection();  // a silent node: try the next one
      self->move_on(std::nullopt, std::chrono::milliseconds(0));
    });
    if (conn && conn->is_open() && conn_target == target) {
      ++sent;
      conn->send(encode_frame(pending->request));
      return;
    }
    drop_connection();
    const auto socket = std::make_shared<tcp::socket>(io);
    auto resolver = std::make_shared<tcp::resolver>(io);
    const auto& ep = endpoints[target];
    resolver->async_resolve(
        ep.host, std::to_string(ep.port),
        [self = shared_from_this(), g, socket, resolver](boost::system::error_code ec,
                                                         tcp::resolver::results_type results) {
          if (g != self->generation) return;
          if (ec) return self->move_on(std::nullopt, std::chrono::milliseconds(50));
          asio::async_connect(
              *socket, results,
              [self, g, socket](boost::system::error_code error, const tcp::endpoint&) {
                if (g != self->generation) return;
                if (error) return self->move_on(std::nullopt, std::chrono::milliseconds(50));
                self->open(std::move(*socket));
              });
        });
  }

  void open(tcp::socket socket) {
    conn = std::make_shared<Connection>(std::move(socket));
    conn_target = target;
    std::weak_ptr<Impl> weak = shared_from_this();
    const auto my_conn = conn.get();
    conn->start(
        [weak](Connection&, std::string_view body) {
          auto self = weak.lock();
          return self && self->on_frame(body);
        },
        [weak, my_conn](Connection&, const std::string&) {
          auto self = weak.lock();
          if (!self || self->conn.get() != my_conn) return;
          self->conn.reset();
          if (self->pending) self->move_on(std::nullopt, std::chrono::milliseconds(50));
        });
    conn->send(encode_frame(ClientHello{token}));
    ++sent;
    conn->send(encode_frame(pending->request));
  }

  bool on_frame(std::string_view body) {
    if (tag_of(body) != Tag::client_reply) return false;
    const Frame f = decode_body(body);
    const auto* r = std::get_if<ClientReply>(&f);
    if (!r || r->client != client) return false;
    if (!pending || r->id != pending->request.id) return true;  // an answer to an earlier attempt
    if (r->result) {
      finish(*r->result);
      return true;
    }
    // NotLeader: go where the node points, or to the next node.
    std::optional<std::size_t> hint;
    if (r->leader && *r->leader < endpoints.size() && *r->leader != target) hint = *r->leader;
    // A hint can be stale for a moment after an election; the short pause
    // keeps two nodes that name each other from bouncing a request at full speed.
    move_on(hint, std::chrono::milliseconds(hint ? 1 : 50));
    return true;
  }

  void move_on(std::optional<std::size_t> to, std::chrono::milliseconds pause) {
    if (!pending) return;
    const auto g = ++generation;
    attempt_timer.cancel();
    target = to ? *to : (target + 1) % endpoints.size();
    retry_timer.expires_after(pause);
    retry_timer.async_wait([self = shared_from_this(), g](boost::system::error_code ec) {
      if (!ec && g == self->generation) self->attempt();
    });
  }

  void drop_connection() {
    if (!conn) return;
    auto c = std::move(conn);
    c->close("switching node");
  }
};

ClientSession::ClientSession(asio::io_context& io, std::vector<HostPort> endpoints,
                             ClientOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(endpoints), options)) {}

ClientSession::~ClientSession() {
  impl_->pending.reset();
  ++impl_->generation;
  impl_->attempt_timer.cancel();
  impl_->retry_timer.cancel();
  impl_->drop_connection();
}

void ClientSession::submit(kv::Input op, Done done) {
  impl_->submit(std::move(op), std::move(done));
}
raft::ClientId ClientSession::client_id() const {
  return impl_->client;
}
std::uint64_t ClientSession::attempts() const {
  return impl_->sent;
}

ControlReply send_control(const HostPort& node, const Control& command,
                          std::chrono::milliseconds timeout) {
  asio::io_context io;
  ControlReply reply{false, "no answer from " + node.text()};
  try {
    tcp::socket socket(io);
    tcp::resolver resolver(io);
    asio::connect(socket, resolver.resolve(node.host, std::to_string(node.port)));
    auto conn = std::make_shared<Connection>(std::move(socket));
    conn->start(
        [&](Connection& c, std::string_view body) {
          if (tag_of(body) != Tag::control_reply) return false;
          const Frame f = decode_body(body);
          if (const auto* r = std::get_if<ControlReply>(&f)) reply = *r;
          c.close("done");
          return true;
        },
        [](Connection&, const std::string&) {});
    conn->send(encode_frame(command));
    io.run_for(timeout);
  } catch (const std::exception& e) {
    reply.text = node.text() + ": " + e.what();
  }
  return reply;
}

std::optional<kv::Response> run_one(const std::vector<HostPort>& endpoints, const kv::Input& op,
                                    const ClientOptions& options) {
  asio::io_context io;
  std::optional<kv::Response> result;
  ClientSession session(io, endpoints, options);
  session.submit(op, [&](std::optional<kv::Response> r) {
    result = std::move(r);
    io.stop();
  });
  io.run();
  return result;
}

}  // namespace verdict::net
