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

// An entry's bytes on the wire beyond its key and values: term, client and
// request ids, operation, three lengths and two flags, each at their widest.
constexpr std::size_t kEntryOverhead = 48;
// Replies waiting for a client that does not read them; more are dropped.
constexpr std::size_t kMaxClientQueued = 8u << 20;
// The largest AppendEntries frame: a batch is at most max-batch-bytes of keys
// and values, or one entry from a client frame when that is larger.
static_assert(kMaxBatchBytesLimit + kMaxClientFrame + kMaxEntriesLimit * kEntryOverhead + 64 +
                  kMacBytes <=
              kMaxFrame);

// The handlers with the checker's bounds lifted: terms and heartbeats are
// unbounded, every node starts as a follower at term 0.
raft::Config serve_config(const ServerOptions& o) {
  raft::Config c;
  c.nodes = o.peers.size();
  c.max_term = std::numeric_limits<raft::Term>::max();
  c.heartbeats = raft::kUnlimitedHeartbeats;
  c.bootstrap_leader = false;
  c.max_entries = o.max_entries;
  c.max_batch_bytes = o.max_batch_bytes;
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
  Server(const ServerOptions& o, DurableLog log, ClusterKey key)
      : o_(o),
        sys_{kv::Machine{}, serve_config(o)},
        log_(std::move(log)),
        key_(std::move(key)),
        peer_port_(io_, "peer", 2 * o.peers.size() + 8),
        client_port_(io_, "client", o.max_client_connections),
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
      incoming_.resize(links_.size());
      listen(peer_port_.acceptor, *links_[o_.id]->endpoints.begin());
      auto client = resolver.resolve(o_.client_host, std::to_string(o_.client_port));
      listen(client_port_.acceptor, *client.begin());
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
    std::optional<FrameMac> mac;  // set once the peer proved the key: messages may go
    asio::steady_timer retry;
    bool cut = false;     // fault injection: drop traffic both ways
    bool warned = false;  // a failed handshake was logged (once until one succeeds)
  };
  // A connection a peer dialed: its handshake, then its messages.
  struct Incoming {
    std::optional<Handshake> handshake;  // after the Hello
    std::optional<FrameMac> mac;         // after the Proof: the peer is handshake->dialer
  };
  // A listening port, the connections it accepted (up to `cap` open at once).
  struct Port {
    Port(asio::io_context& io, const char* port_name, std::size_t max_open)
        : acceptor(io), backoff(io), name(port_name), cap(max_open) {}
    tcp::acceptor acceptor;
    asio::steady_timer backoff;
    const char* name;
    std::size_t cap;
    std::vector<std::weak_ptr<Connection>> open;
  };
  struct Slot {  // an armed handler timer
    explicit Slot(asio::io_context& io) : timer(io) {}
    asio::steady_timer timer;
    std::uint64_t generation = 0;
    bool armed = false;
  };

  void note(const std::string& text) const { fmt::print(stderr, "[node {}] {}\n", o_.id, text); }

  // For what an outsider can make happen at will: at most 10 lines a second.
  void note_limited(const std::string& text) {
    const auto now = std::chrono::steady_clock::now();
    if (now - limited_since_ > std::chrono::seconds(1)) {
      if (limited_dropped_ > 0)
        note(fmt::format("({} more such lines not shown)", limited_dropped_));
      limited_since_ = now;
      limited_shown_ = limited_dropped_ = 0;
    }
    if (limited_shown_++ < 10)
      note(text);
    else
      ++limited_dropped_;
  }

  bool refuse(Connection& c, const char* port, const std::string& why) {
    note_limited(fmt::format("refused a {} connection from {}: {}", port, c.peer_text(), why));
    return false;
  }

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
    // Dropped, as a network may, when the link is down or not yet authenticated.
    if (link.cut || !link.conn || !link.conn->is_open() || !link.mac) return;
    link.conn->send(link.mac->seal(encode_frame(msg)));
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

  // ---- listening ports ------------------------------------------------

  // Accepts connections on `port` and hands each socket to `take`, which
  // starts a Connection. At the cap a connection is closed at once. When
  // accept fails (out of file descriptors: EMFILE) the connection stays
  // queued, so accepting again at once would spin: it waits 100 ms.
  template <class Take>
  void accept(Port& port, Take take) {
    port.acceptor.async_accept([this, &port, take](boost::system::error_code ec,
                                                   tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (ec) {
        note_limited(fmt::format("accepting on the {} port failed: {}; retrying in 100 ms",
                                 port.name, ec.message()));
        port.backoff.expires_after(std::chrono::milliseconds(100));
        port.backoff.async_wait([this, &port, take](boost::system::error_code e) {
          if (!e) accept(port, take);
        });
        return;
      }
      std::erase_if(port.open, [](const std::weak_ptr<Connection>& w) {
        const auto c = w.lock();
        return !c || !c->is_open();
      });
      if (port.open.size() >= port.cap) {
        boost::system::error_code ignored;
        const auto from = socket.remote_endpoint(ignored);
        note_limited(fmt::format("refused a connection from {} on the {} port: {} open, the cap",
                                 from.address().to_string(), port.name, port.cap));
        socket.close(ignored);
      } else {
        port.open.push_back(take(std::move(socket)));
      }
      accept(port, take);
    });
  }

  // ---- peers ----------------------------------------------------------

  std::uint32_t nodes() const { return static_cast<std::uint32_t>(links_.size()); }

  void connect(NodeId p) {
    auto socket = std::make_shared<tcp::socket>(io_);
    asio::async_connect(
        *socket, links_[p]->endpoints,
        [this, p, socket](boost::system::error_code ec, const tcp::endpoint&) {
          auto& link = *links_[p];
          if (ec) return reconnect_later(p);
          link.conn = std::make_shared<Connection>(std::move(*socket), kMaxHandshakeFrame);
          link.mac.reset();
          auto handshake = std::make_shared<Handshake>(
              Handshake{o_.id, p, nodes(), random_bytes<kNonceBytes>(), {}});
          link.conn->expire_after(o_.handshake_timeout, "no answer to the handshake");
          // After the handshake nothing comes back; reading detects the close.
          link.conn->start(
              [this, p, handshake](Connection& c, std::string_view body) {
                return on_dialed_frame(c, p, *handshake, body);
              },
              [this, p](Connection& c, const std::string& why) {
                auto& l = *links_[p];
                if (l.conn.get() != &c) return;
                if (o_.verbose) note(fmt::format("link to {} lost: {}", p, why));
                l.conn.reset();
                l.mac.reset();
                reconnect_later(p);
              });
          link.conn->send(encode_frame(Hello{o_.id, p, nodes(), handshake->dialer_nonce}));
          if (o_.verbose) note(fmt::format("connected to node {}", p));
        });
  }

  // The dialing side: the peer's Challenge must prove the key before this
  // node proves it and sends anything else.
  bool on_dialed_frame(Connection& c, NodeId p, Handshake& handshake, std::string_view body) {
    auto& link = *links_[p];
    if (link.mac || tag_of(body) != Tag::challenge) return false;
    const auto challenge = std::get<Challenge>(decode_body(body));
    handshake.acceptor_nonce = challenge.nonce;
    if (!same_mac(challenge.proof, handshake.acceptor_proof(key_))) {
      if (!std::exchange(link.warned, true))
        note(fmt::format("node {} at {} did not prove the cluster key: not sending to it", p,
                         c.peer_text()));
      return false;
    }
    c.send(encode_frame(Proof{handshake.dialer_proof(key_)}));
    link.mac.emplace(handshake.session_key(key_));
    link.warned = false;
    c.keep();
    return true;
  }

  void reconnect_later(NodeId p) {
    auto& link = *links_[p];
    link.retry.expires_after(std::chrono::milliseconds(100));
    link.retry.async_wait([this, p](boost::system::error_code ec) {
      if (!ec) connect(p);
    });
  }

  void accept_peers() {
    accept(peer_port_, [this](tcp::socket socket) {
      auto conn = std::make_shared<Connection>(std::move(socket), kMaxHandshakeFrame);
      auto in = std::make_shared<Incoming>();
      conn->expire_after(o_.handshake_timeout, "handshake not finished in time");
      conn->start(
          [this, in](Connection& c, std::string_view body) { return on_peer_frame(c, *in, body); },
          [this](Connection& c, const std::string& why) {
            if (why.starts_with("malformed") || why.starts_with("handshake") || o_.verbose)
              note_limited(fmt::format("peer connection from {} closed: {}", c.peer_text(), why));
          });
      return conn;
    });
  }

  // The accepting side: Hello, then Proof, then MAC'd peer messages; nothing
  // but the frame the handshake expects next is decoded.
  bool on_peer_frame(Connection& c, Incoming& in, std::string_view body) {
    if (in.mac) {
      const auto from = in.handshake->dialer;
      const auto inner = in.mac->open(body);
      if (!inner)
        return refuse(c, "peer", fmt::format("a frame from node {} failed its MAC", from));
      const auto tag = tag_of(*inner);
      if (tag < Tag::request_vote || tag > Tag::append_reply) return false;
      const Frame f = decode_body(*inner);
      if (!links_[from]->cut) deliver(from, std::get<PeerMsg>(f));
      return true;
    }
    if (!in.handshake) {
      if (tag_of(body) != Tag::hello) return refuse(c, "peer", "the first frame is not a Hello");
      const auto hello = std::get<Hello>(decode_body(body));
      if (hello.nodes != nodes() || hello.to != o_.id || hello.from >= nodes() ||
          hello.from == o_.id)
        return refuse(c, "peer",
                      fmt::format("a Hello from node {} to node {} of {}: not a peer of node {} "
                                  "of {}",
                                  hello.from, hello.to, hello.nodes, o_.id, nodes()));
      in.handshake =
          Handshake{hello.from, o_.id, nodes(), hello.nonce, random_bytes<kNonceBytes>()};
      c.send(encode_frame(
          Challenge{in.handshake->acceptor_nonce, in.handshake->acceptor_proof(key_)}));
      return true;
    }
    if (tag_of(body) != Tag::proof) return refuse(c, "peer", "no Proof after the Hello");
    const auto proof = std::get<Proof>(decode_body(body));
    const auto from = in.handshake->dialer;
    if (!same_mac(proof.proof, in.handshake->dialer_proof(key_)))
      return refuse(c, "peer",
                    fmt::format("claims to be node {} without proving the cluster key (a wrong "
                                "key, or a replayed handshake)",
                                from));
    in.mac.emplace(in.handshake->session_key(key_));
    c.set_max_frame(kMaxFrame);
    c.keep();
    // A node that reconnects replaces its old connection, which may not have
    // noticed yet that the node restarted.
    if (auto old = incoming_[from].lock(); old && old.get() != &c) old->close("replaced");
    incoming_[from] = c.shared_from_this();
    if (o_.verbose) note(fmt::format("node {} connected from {}", from, c.peer_text()));
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
    accept(client_port_, [this](tcp::socket socket) {
      auto conn =
          std::make_shared<Connection>(std::move(socket), kMaxClientFrame, kMaxClientQueued);
      auto client = std::make_shared<std::optional<raft::ClientId>>();
      conn->start(
          [this, client](Connection& c, std::string_view body) {
            return on_client_frame(c, *client, body);
          },
          [this, client](Connection& c, const std::string& why) {
            if (why.starts_with("malformed"))
              note_limited(fmt::format("client connection from {} closed: {}", c.peer_text(), why));
            if (!*client) return;
            const auto it = reply_to_.find(**client);
            if (it == reply_to_.end()) return;
            if (const auto p = it->second.lock(); !p || p.get() == &c) reply_to_.erase(it);
          });
      return conn;
    });
  }

  // A ClientHello binds the connection to the client id its token gives;
  // requests must carry that id, so no connection answers for another's.
  bool on_client_frame(Connection& c, std::optional<raft::ClientId>& client,
                       std::string_view body) {
    switch (tag_of(body)) {
      case Tag::client_hello:
        if (client) return refuse(c, "client", "a second ClientHello");
        client = client_id_of(std::get<ClientHello>(decode_body(body)).token);
        return true;
      case Tag::client_request: {
        if (!client) return refuse(c, "client", "a request before the ClientHello");
        const auto req = std::get<KvRequest>(decode_body(body));
        if (req.client != *client)
          return refuse(c, "client",
                        fmt::format("a request for client {}, not its own", req.client));
        if (req.id == 0) return false;  // ids count from 1
        reply_to_[req.client] = c.shared_from_this();
        step([&](Fx& fx) { sys_.on_input(o_.id, state_, req, fx); });
        return true;
      }
      case Tag::control:
        c.send(encode_frame(control(std::get<Control>(decode_body(body)))));
        return true;
      default:
        return false;
    }
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
  ClusterKey key_;
  Port peer_port_, client_port_;
  std::vector<std::unique_ptr<Link>> links_;
  std::vector<std::weak_ptr<Connection>> incoming_;  // per peer: the connection it dialed
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
  std::chrono::steady_clock::time_point limited_since_{};
  std::size_t limited_shown_ = 0, limited_dropped_ = 0;
};

// Without a key every peer address must be on loopback: the first that is
// not (or cannot be resolved), as a message.
std::optional<std::string> non_loopback_peer(const std::vector<HostPort>& peers) {
  asio::io_context io;
  tcp::resolver resolver(io);
  for (const auto& peer : peers) {
    boost::system::error_code ec;
    const auto results = resolver.resolve(peer.host, std::to_string(peer.port), ec);
    if (ec) return fmt::format("cannot resolve peer {}: {}", peer.text(), ec.message());
    for (const auto& e : results)
      if (!e.endpoint().address().is_loopback())
        return fmt::format(
            "peer {} ({}) is not on loopback: a cluster beyond one machine needs "
            "--cluster-key FILE (docs/serve.md)",
            peer.text(), e.endpoint().address().to_string());
  }
  return std::nullopt;
}

}  // namespace

int run_server(const ServerOptions& o) {
  if (o.peers.size() < 1 || o.peers.size() > kMaxNodes || o.id >= o.peers.size()) {
    fmt::print(stderr, "verdict serve: --id {} is not one of the {} peers\n", o.id, o.peers.size());
    return 2;
  }
  if (o.max_entries < 1 || o.max_entries > kMaxEntriesLimit || o.max_batch_bytes < 1 ||
      o.max_batch_bytes > kMaxBatchBytesLimit) {
    fmt::print(stderr, "verdict serve: --max-entries must be 1..{}, --max-batch-bytes 1..{}\n",
               kMaxEntriesLimit, kMaxBatchBytesLimit);
    return 2;
  }
  ClusterKey key;
  if (o.cluster_key.empty()) {
    if (auto error = non_loopback_peer(o.peers)) {
      fmt::print(stderr, "verdict serve: {}\n", *error);
      return 2;
    }
  } else {
    try {
      key = ClusterKey::load(o.cluster_key);
    } catch (const KeyError& e) {
      fmt::print(stderr, "verdict serve: --cluster-key: {}\n", e.what());
      return 2;
    }
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
  const bool keyless = key.empty();
  Server server(o, std::move(*log), std::move(key));
  if (auto error = server.bind()) {
    fmt::print(stderr, "verdict serve: {}\n", *error);
    return 2;
  }
  if (keyless)
    fmt::print(stderr,
               "[node {}] warning: no --cluster-key, peers are not authenticated (allowed "
               "because every peer address is on loopback)\n",
               o.id);
  fmt::print(stderr, "[node {}] serving: peers on {}, clients on {}:{}\n", o.id,
             o.peers[o.id].text(), o.client_host, o.client_port);
  server.run(std::move(recovered), recovery.created);
  return 0;
}

}  // namespace verdict::net
