// What Stateright's register examples share, ported so that our state counts
// can be compared with Stateright's: the register protocol messages
// (src/actor/register.rs: RegisterMsg), the client actor (RegisterActor::
// Client with put_count 1), the linearizability tester's history
// (src/semantics/linearizability.rs) kept as the World's Ghost state, and
// RegisterSystem<Server>, the System that puts servers and clients together
// (Stateright's ActorModel with record_msg_out = record_invocations and
// record_msg_in = record_returns). Run it under Semantics::stateright_actor().
//
// Node ids: servers 0..S-1, then clients S..S+C-1. Client i sends
// Put(i, 'A' + (i - S)) to server i mod S at start, and after its PutOk,
// Get(2i) to server (i + 1) mod S. The history records an invocation when a
// client sends Put/Get and a return when a PutOk/GetOk is delivered.
//
// Layouts are small and fixed (at most 8 nodes, 2 operations per client) so
// that copying a World copies no heap nodes; each type hashes a few packed
// words rather than field by field.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "simulator/json_support.hpp"
#include "simulator/system.hpp"

namespace verdict::reference {

inline constexpr unsigned kMaxRegisterNodes = 8;
using RequestId = std::uint32_t;
using RegisterValue = char;  // '\0' is the register's initial value

inline std::size_t majority(std::size_t cluster_size) {
  return cluster_size / 2 + 1;
}

// Servers keep request ids in 16 bits (they stay below 3 x 8 here).
inline std::uint16_t narrow_request_id(RequestId id) {
  if (id > 0xffff) throw std::out_of_range("request id beyond 16 bits");
  return static_cast<std::uint16_t>(id);
}

// Packs up to 8 bytes into a word, for hashing.
template <std::size_t N>
std::uint64_t pack_bytes(const std::array<std::uint8_t, N>& bytes) {
  static_assert(N <= 8);
  std::uint64_t word = 0;
  std::memcpy(&word, bytes.data(), N);
  return word;
}

// ---------------------------------------------------------------------------
// RegisterMsg: Internal(m) | Put(id, v) | Get(id) | PutOk(id) | GetOk(id, v),
// ordered as Rust derives it (by variant, then fields), so deliveries are
// listed in Stateright's order.
template <class Internal>
struct RegisterMsg {
  enum class Kind : std::uint8_t { internal, put, get, put_ok, get_ok };
  Kind kind = Kind::internal;
  RequestId request_id = 0;  // Put, Get, PutOk, GetOk
  RegisterValue value = 0;   // Put, GetOk
  Internal internal{};       // Internal

  static RegisterMsg put(RequestId id, RegisterValue v) { return {Kind::put, id, v, {}}; }
  static RegisterMsg get(RequestId id) { return {Kind::get, id, 0, {}}; }
  static RegisterMsg put_ok(RequestId id) { return {Kind::put_ok, id, 0, {}}; }
  static RegisterMsg get_ok(RequestId id, RegisterValue v) { return {Kind::get_ok, id, v, {}}; }
  static RegisterMsg wrap(Internal m) { return {Kind::internal, 0, 0, std::move(m)}; }

  auto operator<=>(const RegisterMsg&) const = default;
  template <class H>
  void hash(H& h) const {
    h(static_cast<std::uint64_t>(kind) << 40 | std::uint64_t{request_id} << 8 |
          static_cast<std::uint8_t>(value),
      internal);
  }
};

template <class Internal>
void to_json(nlohmann::json& j, const RegisterMsg<Internal>& m) {
  using K = typename RegisterMsg<Internal>::Kind;
  switch (m.kind) {
    case K::internal:
      j = {{"Internal", m.internal}};
      break;
    case K::put:
      j = {{"Put", {m.request_id, std::string(1, m.value)}}};
      break;
    case K::get:
      j = {{"Get", m.request_id}};
      break;
    case K::put_ok:
      j = {{"PutOk", m.request_id}};
      break;
    case K::get_ok:
      j = {{"GetOk", {m.request_id, std::string(1, m.value)}}};
      break;
  }
}

template <class Internal>
void from_json(const nlohmann::json& j, RegisterMsg<Internal>& m) {
  using K = typename RegisterMsg<Internal>::Kind;
  if (!j.is_object() || j.size() != 1)
    throw std::invalid_argument("a register message is an object with one key");
  const std::string name = j.begin().key();
  const nlohmann::json& body = j.begin().value();
  auto value_of = [](const nlohmann::json& v) -> RegisterValue {
    const auto s = v.get<std::string>();
    if (s.size() != 1) throw std::invalid_argument("a register value is one character");
    return s[0];
  };
  m = RegisterMsg<Internal>{};
  if (name == "Internal") {
    m.kind = K::internal;
    m.internal = body.template get<Internal>();
  } else if (name == "Put") {
    m = RegisterMsg<Internal>::put(body.at(0).get<RequestId>(), value_of(body.at(1)));
  } else if (name == "Get") {
    m = RegisterMsg<Internal>::get(body.get<RequestId>());
  } else if (name == "PutOk") {
    m = RegisterMsg<Internal>::put_ok(body.get<RequestId>());
  } else if (name == "GetOk") {
    m = RegisterMsg<Internal>::get_ok(body.at(0).get<RequestId>(), value_of(body.at(1)));
  } else {
    throw std::invalid_argument("unknown register message \"" + name + "\"");
  }
}

// ---------------------------------------------------------------------------
// The client actor (RegisterActor::Client, put_count 1).
struct ClientState {
  std::optional<RequestId> awaiting;
  std::uint32_t op_count = 0;
  auto operator<=>(const ClientState&) const = default;
  template <class H>
  void hash(H& h) const {
    h(std::uint64_t{awaiting.value_or(0)} << 33 | std::uint64_t{awaiting.has_value()} << 32 |
      op_count);
  }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(ClientState, awaiting, op_count)

// A node's state: a server's or a client's.
template <class ServerState>
struct RegisterNodeState {
  bool is_client = false;
  ServerState server{};
  ClientState client{};
  auto operator<=>(const RegisterNodeState&) const = default;
  template <class H>
  void hash(H& h) const {
    if (is_client)
      h(client);
    else
      h(server);
  }
};

template <class ServerState>
void to_json(nlohmann::json& j, const RegisterNodeState<ServerState>& s) {
  if (s.is_client)
    j = {{"Client", s.client}};
  else
    j = {{"Server", s.server}};
}
template <class ServerState>
void from_json(const nlohmann::json& j, RegisterNodeState<ServerState>& s) {
  s = {};
  if (j.contains("Client")) {
    s.is_client = true;
    s.client = j.at("Client").get<ClientState>();
  } else {
    s.server = j.at("Server").get<ServerState>();
  }
}

// ---------------------------------------------------------------------------
// The linearizability tester's history (LinearizabilityTester<Id,
// Register<char>>): per thread (node id) the completed operations, each with
// the index of the last operation every other thread had completed when it
// was invoked, the operation in flight with the same, and a validity flag.
struct RegisterOp {
  bool write = false;       // Write(value), else Read
  RegisterValue value = 0;  // Write's value
  auto operator<=>(const RegisterOp&) const = default;
};
struct RegisterRet {
  bool write_ok = false;    // WriteOk, else ReadOk(value)
  RegisterValue value = 0;  // ReadOk's value
  auto operator<=>(const RegisterRet&) const = default;
};

class LinearizabilityHistory {
 public:
  static constexpr unsigned kMaxOpsPerThread = 2;

  // LinearizabilityTester::on_invoke: a thread already in flight makes the
  // history invalid.
  void on_invoke(unsigned thread, RegisterOp op);
  // LinearizabilityTester::on_return: a return with nothing in flight makes
  // the history invalid.
  void on_return(unsigned thread, RegisterRet ret);
  // serialized_history().is_some(): some total order of the operations
  // respects real time and the register's sequential semantics.
  bool is_linearizable() const;

  bool operator==(const LinearizabilityHistory&) const = default;
  auto operator<=>(const LinearizabilityHistory&) const = default;
  template <class H>
  void hash(H& h) const {
    h(valid_);
    for (unsigned t = 0; t < kMaxRegisterNodes; ++t) {
      const Thread& th = threads_[t];
      if (!th.has_entry) continue;
      h(std::uint64_t{t} << 32 | std::uint64_t{th.completed_count} << 24 |
            std::uint64_t{th.in_flight} << 16 | op_word(th.in_flight_op),
        pack_bytes(th.in_flight_after));
      for (unsigned i = 0; i < th.completed_count; ++i) {
        const Completed& c = th.completed[i];
        h(op_word(c.op) << 16 | ret_word(c.ret), pack_bytes(c.after));
      }
    }
  }

 private:
  // after[t]: 0 when thread t had completed nothing (or is the thread
  // itself), else 1 + the index of t's last completed operation.
  using After = std::array<std::uint8_t, kMaxRegisterNodes>;
  struct Completed {
    After after{};
    RegisterOp op;
    RegisterRet ret;
    auto operator<=>(const Completed&) const = default;
  };
  struct Thread {
    bool has_entry = false;  // the thread has an entry in history_by_thread
    std::uint8_t completed_count = 0;
    std::array<Completed, kMaxOpsPerThread> completed{};
    bool in_flight = false;
    After in_flight_after{};
    RegisterOp in_flight_op;
    auto operator<=>(const Thread&) const = default;
  };

  static std::uint64_t op_word(const RegisterOp& op) {
    return std::uint64_t{op.write} << 8 | static_cast<std::uint8_t>(op.value);
  }
  static std::uint64_t ret_word(const RegisterRet& ret) {
    return std::uint64_t{ret.write_ok} << 8 | static_cast<std::uint8_t>(ret.value);
  }
  bool serialize(std::array<std::uint8_t, kMaxRegisterNodes>& next, std::uint32_t in_flight,
                 RegisterValue reg) const;

  std::array<Thread, kMaxRegisterNodes> threads_{};
  bool valid_ = true;
};

// ---------------------------------------------------------------------------
// RegisterSystem<Server>: servers running Server's handlers, and clients.
//
// Server provides `using State`, `using Internal`, `State init(NodeId id)`
// and `on_msg(id, const State&, src, const Msg&, Out&)`, where Out offers
// send(to, msg), broadcast(msg) (to every other server) and write(), which
// returns the state for writing — Stateright's `state.to_mut()`. A delivery
// whose handler neither writes nor sends is not a transition.
template <class Server>
class RegisterSystem {
 public:
  using ServerState = typename Server::State;
  using Msg = RegisterMsg<typename Server::Internal>;
  using State = RegisterNodeState<ServerState>;
  using Input = Nothing;
  using Output = Nothing;
  using Timer = Nothing;
  using Ghost = LinearizabilityHistory;

  RegisterSystem(Server server, unsigned servers, unsigned clients)
      : server_(std::move(server)), servers_(servers), clients_(clients) {
    if (servers < 1 || clients < 1 || servers + clients > kMaxRegisterNodes)
      throw std::invalid_argument(
          "register models take at least one server and one client, "
          "at most 8 nodes in all");
  }

  unsigned servers() const { return servers_; }
  unsigned clients() const { return clients_; }
  std::size_t node_count() const { return servers_ + clients_; }

  class Out {
   public:
    Out(Effects<RegisterSystem>& fx, State& node, NodeId self, unsigned servers)
        : fx_(fx), node_(node), self_(self), servers_(servers) {}
    void send(NodeId to, Msg msg) { fx_.send(to, std::move(msg)); }
    void broadcast(const Msg& msg) {
      for (NodeId peer = 0; peer < servers_; ++peer)
        if (peer != self_) fx_.send(peer, msg);
    }
    ServerState& write() { return fx_.write(node_).server; }

   private:
    Effects<RegisterSystem>& fx_;
    State& node_;
    NodeId self_;
    unsigned servers_;
  };

  State init(NodeId id, Effects<RegisterSystem>& fx) const {
    State s;
    if (id < servers_) {
      s.server = server_.init(id);
      return s;
    }
    // RegisterActor::Client::on_start with put_count 1.
    s.is_client = true;
    const RequestId request = id;
    const auto value = static_cast<RegisterValue>('A' + (id - servers_));
    fx.send(id % servers_, Msg::put(request, value));
    s.client = {request, 1};
    return s;
  }

  void on_message(NodeId id, State& s, NodeId src, const Msg& msg,
                  Effects<RegisterSystem>& fx) const {
    if (!s.is_client) {
      Out out(fx, s, id, servers_);
      server_.on_msg(id, static_cast<const State&>(s).server, src, msg, out);
      return;
    }
    // RegisterActor::Client::on_msg (put_count 1: after the PutOk, a Get).
    if (!s.client.awaiting) return;
    const RequestId awaiting = *s.client.awaiting;
    const std::uint32_t op_count = s.client.op_count;
    if (msg.kind == Msg::Kind::put_ok && msg.request_id == awaiting) {
      const RequestId request = (op_count + 1) * id;
      fx.send((id + op_count) % servers_, Msg::get(request));
      fx.write(s).client = {request, op_count + 1};
    } else if (msg.kind == Msg::Kind::get_ok && msg.request_id == awaiting) {
      fx.write(s).client = {std::nullopt, op_count + 1};
    }
  }

  void on_input(NodeId, State&, const Input&, Effects<RegisterSystem>&) const {}
  void on_timeout(NodeId, State&, const Timer&, Effects<RegisterSystem>&) const {}
  void on_reboot(NodeId, State&, Effects<RegisterSystem>&) const {}

  // RegisterMsg::record_invocations.
  void ghost_on_send(Ghost& history, NodeId from, NodeId, const Msg& msg) const {
    if (msg.kind == Msg::Kind::get) history.on_invoke(from, RegisterOp{false, 0});
    if (msg.kind == Msg::Kind::put) history.on_invoke(from, RegisterOp{true, msg.value});
  }
  // RegisterMsg::record_returns.
  void ghost_on_deliver(Ghost& history, NodeId, NodeId to, const Msg& msg) const {
    if (msg.kind == Msg::Kind::get_ok) history.on_return(to, RegisterRet{false, msg.value});
    if (msg.kind == Msg::Kind::put_ok) history.on_return(to, RegisterRet{true, 0});
  }

 private:
  Server server_;
  unsigned servers_;
  unsigned clients_;
};

}  // namespace verdict::reference
