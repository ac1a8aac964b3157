#include "net/server.hpp"

#include <csignal>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <utility>

#include <fmt/format.h>
#include <boost/asio.hpp>

#include "net/connection.hpp"
#include "net/durable_log.hpp"
#include "net/wire.hpp"

namespace verdict::net {

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Fx = Effects<RaftKv>;

// The handlers with the checker's bounds lifted: terms and heartbeats are
// unbounded, every node starts as a follower at term 0.
raft::Config serve_config(const ServerOptions& o) {
  raft::Config c;
  c.nodes = o.peers.size();
  c.max_term = std::numeric_limits<raft::Term>::max();
  c.heartbeats = raft::kUnlimitedHeartbeats;
  c.bootstrap_leader = false;
  c.max_entries = o.max_entries;
  c.bug = o.bug;
  return c;
}

const char* role_name(raft::Role r) {
  switch (r) {
    case raft::Role::leader:
      return "leader";
    case raft::Role::candidate:
      return "candidate";
    default:
      return "follower";
  }
}

class Server {
 public:
  Server(const ServerOptions& o, DurableLog log)
      : o_(o),
        sys_{kv::Machine{}, serve_config(o)},
        log_(std::move(log)),
        peer_acceptor_(io_),
        client_acceptor_(io_),
        election_(io_),
        heartbeat_(io_),
        signals_(io_, SIGINT, SIGTERM),
        rng_(std::random_device{}()) {}

  // Binds the listening sockets; a message on failure.
  std::optional<std::string> bind() {
    try {
      tcp::resolver resolver(io_);
      for (std::size_t p = 0; p < o_.peers.size(); ++p) {
        auto results = resolver.resolve(o_.peers[p].host, std::to_string(o_.peers[p].port));
        links_.push_back(std::make_unique<Link>(io_));
        links_.back()->endpoints.assign(results.begin(), results.end());
      }
      listen(peer_acceptor_, *links_[o_.id]->endpoints.begin());
      auto client = resolver.resolve(o_.client_host, std::to_string(o_.client_port));
      listen(client_acceptor_, *client.begin());
    } catch (const boost::system::system_error& e) {
      return std::string(e.what());
    }
    return std::nullopt;
  }

  void run(DurableState recovered, bool first_boot) {
    Fx fx;
    state_ = sys_.init(o_.id, fx);
    if (!first_boot) {
      // What survived the crash, then the handler that says what a reboot keeps.
      fx = Fx{};
      state_.term = recovered.term;
      state_.voted_for = recovered.voted_for;
      state_.log = std::move(recovered.log);
      sys_.on_reboot(o_.id, state_, fx);
    }
    take_effects(fx);
    accept_peers();
    accept_clients();
    for (NodeId p = 0; p < links_.size(); ++p)
      if (p != o_.id) connect(p);
    signals_.async_wait([this](boost::system::error_code, int sig) {
      note(fmt::format("signal {}, stopping", sig));
      io_.stop();
    });
    io_.run();
  }

 private:
  struct Link {  // the connection this node sends to a peer on
    explicit Link(asio::io_context& io) : retry(io) {}
    std::vector<tcp::endpoint> endpoints;
    std::shared_ptr<Connection> conn;
    asio::steady_timer retry;
    bool cut = false;  // fault injection: drop traffic both ways
  };
  struct Slot {  // an armed handler timer
    explicit Slot(asio::io_context& io) : timer(io) {}
    asio::steady_timer timer;
    std::uint64_t generation = 0;
    bool armed = false;
  };

  void note(const std::string& text) const { fmt::print(stderr, "[node {}] {}\n", o_.id, text); }

  void listen(tcp::acceptor& a, const tcp::endpoint& at) {
    a.open(at.protocol());
    a.set_option(tcp::acceptor::reuse_address(true));
    a.bind(at);
    a.listen();
  }

  // ---- handler events -------------------------------------------------

  template <class F>
  void step(F&& handler) {
    Fx fx;
    handler(fx);
    take_effects(fx);
  }

  // Records the durable changes, applies timer changes at once (they stay in
  // the process) and holds sends and replies until the next sync.
  void take_effects(Fx& fx) {
    log_.record(state_.term, state_.voted_for, state_.log);
    if (state_.term != seen_term_) {
      seen_term_ = state_.term;
      leader_.reset();
    }
    if (state_.role != seen_role_) {
      seen_role_ = state_.role;
      note(fmt::format("{} of term {} (log {} entries)", role_name(state_.role), state_.term,
                       state_.log.size()));
    }
    for (const auto& change : fx.timer_changes()) {
      if (change.armed)
        arm(change.timer);
      else
        disarm(change.timer);
    }
    for (const auto& [to, msg] : fx.sends()) {
      if (const auto* v = std::get_if<raft::Vote>(&msg.body); v && v->granted) postpone_election();
      pending_sends_.emplace_back(to, msg);
    }
    for (const auto& out : fx.outputs())
      pending_replies_.push_back(
          ClientReply{out.client, out.id, out.result, out.not_leader() ? leader_ : std::nullopt});
    if (!flush_posted_ && (!pending_sends_.empty() || !pending_replies_.empty() || log_.dirty())) {
      flush_posted_ = true;
      asio::post(io_, [this] { flush(); });
    }
  }

  // Runs after every event that was ready: one sync for all of them, then
  // their sends and replies. An AppendEntries to a peer that a later one in
  // the same batch supersedes (same term, starts no later, reaches at least as
  // far) is dropped — a network drop the checked handlers tolerate.
  void flush() {
    flush_posted_ = false;
    log_.sync();
    std::vector<const raft::AppendEntries<kv::Input>*> last_ae(links_.size(), nullptr);
    for (const auto& [to, msg] : pending_sends_)
      if (const auto* ae = std::get_if<raft::AppendEntries<kv::Input>>(&msg.body)) last_ae[to] = ae;
    for (const auto& [to, msg] : pending_sends_) {
      const auto* ae = std::get_if<raft::AppendEntries<kv::Input>>(&msg.body);
      if (ae && ae != last_ae[to] && ae->term == last_ae[to]->term &&
          ae->prev_index >= last_ae[to]->prev_index &&
          ae->prev_index + ae->entries.size() <=
              last_ae[to]->prev_index + last_ae[to]->entries.size())
        continue;
      send_peer(to, msg);
    }
    pending_sends_.clear();
    for (const auto& r : pending_replies_) reply(r);
    pending_replies_.clear();
  }

  void send_peer(NodeId to, const PeerMsg& msg) {
    auto& link = *links_[to];
    if (link.cut || !link.conn || !link.conn->is_open()) return;  // dropped, as a network may
    link.conn->send(encode_frame(msg));
  }

  void reply(const ClientReply& r) {
    auto it = reply_to_.find(r.client);
    if (it == reply_to_.end()) return;
    if (drop_replies_percent_ > 0 &&
        std::uniform_int_distribution<std::uint64_t>(0, 99)(rng_) < drop_replies_percent_)
      return;  // fault injection: lost on the way, the client will retry
    if (auto conn = it->second.lock()) conn->send(encode_frame(r));
  }

  // ---- timers ---------------------------------------------------------

  Slot& slot(raft::Timer t) { return t == raft::Timer::election ? election_ : heartbeat_; }

  void arm(raft::Timer t) {
    auto& s = slot(t);
    s.armed = true;
    const auto generation = ++s.generation;
    if (t == raft::Timer::election) {
      std::uniform_int_distribution<long> jitter(0, o_.election_timeout.count() - 1);
      s.timer.expires_after(o_.election_timeout + std::chrono::milliseconds(jitter(rng_)));
    } else {
      s.timer.expires_after(o_.heartbeat);
    }
    s.timer.async_wait([this, t, generation](boost::system::error_code ec) {
      auto& fired = slot(t);
      if (ec || !fired.armed || fired.generation != generation) return;
      fired.armed = false;  // a fired timer is disarmed; the handler may arm it again
      step([&](Fx& fx) { sys_.on_timeout(o_.id, state_, t, fx); });
    });
  }

  void disarm(raft::Timer t) {
    auto& s = slot(t);
    s.armed = false;
    ++s.generation;
    s.timer.cancel();
  }

  void postpone_election() {
    if (election_.armed) arm(raft::Timer::election);
  }

  // ---- peers ----------------------------------------------------------

  void connect(NodeId p) {
    auto socket = std::make_shared<tcp::socket>(io_);
    asio::async_connect(
        *socket, links_[p]->endpoints,
        [this, p, socket](boost::system::error_code ec, const tcp::endpoint&) {
          auto& link = *links_[p];
          if (ec) return reconnect_later(p);
          link.conn = std::make_shared<Connection>(std::move(*socket));
          // Nothing comes back on this connection; reading detects its close.
          link.conn->start([](Connection&, std::string_view) { return false; },
                           [this, p](Connection&, const std::string& why) {
                             if (o_.verbose) note(fmt::format("link to {} lost: {}", p, why));
                             links_[p]->conn.reset();
                             reconnect_later(p);
                           });
          link.conn->send(encode_frame(Hello{o_.id, static_cast<std::uint32_t>(links_.size())}));
          if (o_.verbose) note(fmt::format("connected to node {}", p));
        });
  }

  void reconnect_later(NodeId p) {
    auto& link = *links_[p];
    link.retry.expires_after(std::chrono::milliseconds(100));
    link.retry.async_wait([this, p](boost::system::error_code ec) {
      if (!ec) connect(p);
    });
  }

  void accept_peers() {
    peer_acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (!ec) {
        auto conn = std::make_shared<Connection>(std::move(socket));
        auto from = std::make_shared<std::optional<NodeId>>();
        conn->start(
            [this, from](Connection& c, std::string_view body) {
              return on_peer_frame(c, *from, body);
            },
            [this](Connection& c, const std::string& why) {
              if (why.starts_with("malformed") || why.starts_with("unexpected") || o_.verbose)
                note(fmt::format("peer connection from {} closed: {}", c.peer_text(), why));
            });
      }
      accept_peers();
    });
  }

  bool on_peer_frame(Connection& c, std::optional<NodeId>& from, std::string_view body) {
    const Frame f = decode_body(body);
    if (!from) {
      const auto* hello = std::get_if<Hello>(&f);
      if (!hello || hello->nodes != links_.size() || hello->from >= links_.size() ||
          hello->from == o_.id) {
        note(fmt::format("rejected a peer connection from {}: bad hello", c.peer_text()));
        return false;
      }
      from = hello->from;
      return true;
    }
    const auto* msg = std::get_if<PeerMsg>(&f);
    if (!msg) return false;
    if (links_[*from]->cut) return true;  // dropped
    deliver(*from, *msg);
    return true;
  }

  void deliver(NodeId from, const PeerMsg& msg) {
    // The one message a handler cannot survive unchecked: a reply claiming
    // the follower stores more than the leader has (a genuine one cannot).
    if (const auto* r = std::get_if<raft::AppendReply>(&msg.body);
        r && r->term == state_.term && r->match > state_.last_index()) {
      note(fmt::format("dropped an AppendReply from node {} matching past our log", from));
      return;
    }
    const bool from_leader = std::holds_alternative<raft::AppendEntries<kv::Input>>(msg.body) &&
                             msg.term() >= state_.term;
    step([&](Fx& fx) { sys_.on_message(o_.id, state_, from, msg, fx); });
    if (from_leader && msg.term() == state_.term) {
      leader_ = from;
      postpone_election();
    }
  }

  // ---- clients --------------------------------------------------------

  void accept_clients() {
    client_acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (!ec) {
        auto conn = std::make_shared<Connection>(std::move(socket), 1u << 20);
        conn->start(
            [this](Connection& c, std::string_view body) { return on_client_frame(c, body); },
            [this](Connection& c, const std::string& why) {
              if (why.starts_with("malformed") || why.starts_with("unexpected"))
                note(fmt::format("client connection from {} closed: {}", c.peer_text(), why));
              std::erase_if(reply_to_, [&](const auto& kv) {
                auto p = kv.second.lock();
                return !p || p.get() == &c;
              });
            });
      }
      accept_clients();
    });
  }

  bool on_client_frame(Connection& c, std::string_view body) {
    const Frame f = decode_body(body);
    if (const auto* req = std::get_if<KvRequest>(&f)) {
      if (req->id == 0) return false;  // ids count from 1
      reply_to_[req->client] = c.shared_from_this();
      step([&](Fx& fx) { sys_.on_input(o_.id, state_, *req, fx); });
      return true;
    }
    if (const auto* ctl = std::get_if<Control>(&f)) {
      c.send(encode_frame(control(*ctl)));
      return true;
    }
    return false;
  }

  ControlReply control(const Control& ctl) {
    if (!o_.fault_injection) return {false, "fault injection is off (serve --fault-injection)"};
    if (ctl.kind == Control::Kind::drop_replies) {
      drop_replies_percent_ = ctl.arg;
      note(fmt::format("dropping {}% of client replies", ctl.arg));
      return {true, fmt::format("{}%", ctl.arg)};
    }
    std::string peers;
    for (NodeId p = 0; p < links_.size(); ++p) {
      if (p == o_.id || !((ctl.arg >> p) & 1)) continue;
      links_[p]->cut = ctl.kind == Control::Kind::cut;
      peers += (peers.empty() ? "" : ",") + std::to_string(p);
    }
    note(fmt::format("{} link(s) to {}", ctl.kind == Control::Kind::cut ? "cut" : "healed",
                     peers.empty() ? "none" : peers));
    return {true, peers};
  }

  asio::io_context io_;  // first: destroyed last
  ServerOptions o_;
  RaftKv sys_;
  RaftKv::State state_;
  DurableLog log_;
  tcp::acceptor peer_acceptor_, client_acceptor_;
  std::vector<std::unique_ptr<Link>> links_;
  Slot election_, heartbeat_;
  asio::signal_set signals_;
  std::mt19937_64 rng_;
  std::vector<std::pair<NodeId, PeerMsg>> pending_sends_;
  std::vector<ClientReply> pending_replies_;
  bool flush_posted_ = false;
  std::uint64_t drop_replies_percent_ = 0;
  std::map<raft::ClientId, std::weak_ptr<Connection>> reply_to_;
  std::optional<NodeId> leader_;  // who sent this term's AppendEntries
  raft::Term seen_term_ = 0;
  raft::Role seen_role_ = raft::Role::follower;
};

}  // namespace

int run_server(const ServerOptions& o) {
  if (o.peers.size() < 1 || o.peers.size() > kMaxNodes || o.id >= o.peers.size()) {
    fmt::print(stderr, "verdict serve: --id {} is not one of the {} peers\n", o.id, o.peers.size());
    return 2;
  }
  DurableState recovered;
  Recovery recovery;
  std::optional<DurableLog> log;
  try {
    log.emplace(DurableLog::open(o.data_dir, o.id, static_cast<std::uint32_t>(o.peers.size()),
                                 recovered, recovery));
  } catch (const CorruptData& e) {
    fmt::print(stderr, "verdict serve: corrupt data directory, not serving: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "verdict serve: cannot open the data directory: {}\n", e.what());
    return 2;
  }
  fmt::print(stderr, "[node {}] {}: term {}, log {} entries ({} records replayed{})\n", o.id,
             recovery.created ? "new data directory" : "recovered", recovered.term,
             recovered.log.size(), recovery.records,
             recovery.truncated_bytes
                 ? fmt::format(", torn tail of {} bytes truncated", recovery.truncated_bytes)
                 : "");
  if (o.bug != raft::Bug::none)
    fmt::print(stderr, "[node {}] running with a seeded bug (serve --bug)\n", o.id);
  Server server(o, std::move(*log));
  if (auto error = server.bind()) {
    fmt::print(stderr, "verdict serve: {}\n", *error);
    return 2;
  }
  fmt::print(stderr, "[node {}] serving: peers on {}, clients on {}:{}\n", o.id,
             o.peers[o.id].text(), o.client_host, o.client_port);
  server.run(std::move(recovered), recovery.created);
  return 0;
}

}  // namespace verdict::net
