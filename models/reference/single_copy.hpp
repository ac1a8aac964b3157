// A single-copy register, ported from Stateright's
// examples/single-copy-register.rs: each server keeps its own copy and
// answers at once, with no replication. Linearizable with one server (93
// states with 2 clients); with two, a client can read a stale copy (62
// states in all for 2 servers and 2 clients).
#pragma once

#include "models/reference/register_actor.hpp"

namespace verdict::reference {

// Servers exchange no internal messages.
struct NoInternal {
  auto operator<=>(const NoInternal&) const = default;
  template <class H>
  void hash(H&) const {}
  friend void to_json(nlohmann::json& j, const NoInternal&) { j = nullptr; }
  friend void from_json(const nlohmann::json&, NoInternal&) {}
};

struct SingleCopyState {
  RegisterValue value = 0;
  auto operator<=>(const SingleCopyState&) const = default;
  template <class H>
  void hash(H& h) const {
    h(static_cast<std::uint8_t>(value));
  }
  friend void to_json(nlohmann::json& j, const SingleCopyState& s) { j = std::string(1, s.value); }
  friend void from_json(const nlohmann::json& j, SingleCopyState& s) {
    const auto text = j.get<std::string>();
    s.value = text.empty() ? RegisterValue{0} : text[0];
  }
};

class SingleCopyServer {
 public:
  using State = SingleCopyState;
  using Internal = NoInternal;
  using Msg = RegisterMsg<NoInternal>;

  State init(NodeId) const { return {}; }

  template <class Out>
  void on_msg(NodeId, const State& state, NodeId src, const Msg& msg, Out& out) const {
    if (msg.kind == Msg::Kind::put) {
      out.write().value = msg.value;
      out.send(src, Msg::put_ok(msg.request_id));
    } else if (msg.kind == Msg::Kind::get) {
      out.send(src, Msg::get_ok(msg.request_id, state.value));
    }
  }
};

}  // namespace verdict::reference
