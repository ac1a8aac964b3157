// A replicated counter: two replicas, each taking Increment inputs from its
// own client and telling the other one about them. The invariant: once no
// message is in flight, both replicas hold the total number of increments.
//
// The seeded bug `overwrite` sends a replica's whole value instead of the
// increment, and the receiver overwrites its own value with it: two
// concurrent increments leave both replicas at 1. The correct version is
// correct on a reliable network only: a dropped update is lost for good, and
// a duplicated one is counted twice (--transform seqnum fixes that one).
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "simulator/json_support.hpp"

#include "app/system_entry.hpp"
#include "simulator/value.hpp"

namespace counter {

using verdict::Effects;
using verdict::NodeId;

enum class Input : std::uint8_t { increment };
enum class Output : std::uint8_t { ack };
VERDICT_JSON_ENUM(Input, {{Input::increment, "Increment"}})
VERDICT_JSON_ENUM(Output, {{Output::ack, "Ack"}})

struct Update {
  std::int64_t amount = 0;  // the increment (or, with the bug, the sender's whole value)

  // Comparison, the stable hash and JSON, from one list of fields.
  VERDICT_VALUE(Update, amount)
};

struct State {
  std::int64_t value = 0;  // the counter as this replica sees it
  std::int64_t local = 0;  // increments this replica accepted from its client

  VERDICT_VALUE(State, value, local)
};

struct Counter {
  using State = counter::State;
  using Msg = Update;
  using Input = counter::Input;
  using Output = counter::Output;
  using Timer = verdict::Nothing;

  bool overwrite_bug = false;

  std::size_t node_count() const { return 2; }
  State init(NodeId, Effects<Counter>&) const { return {}; }

  void on_input(NodeId n, State& s, const Input&, Effects<Counter>& fx) const {
    s.value += 1;
    s.local += 1;
    fx.send(1 - n, Update{overwrite_bug ? s.value : 1});
    fx.output(Output::ack);
  }

  void on_message(NodeId, State& s, NodeId, const Update& u, Effects<Counter>&) const {
    s.value = overwrite_bug ? u.amount : s.value + u.amount;
  }

  void on_timeout(NodeId, State&, const Timer&, Effects<Counter>&) const {}
  // The counter is durable: a rebooted replica keeps what it had.
  void on_reboot(NodeId, State&, Effects<Counter>&) const {}
};

// Once nothing is in flight, every replica holds the total. Sys is Counter
// or any transformer chain around it.
template <class Sys>
bool converged(const verdict::World<Sys>& world) {
  if (!world.packets.empty()) return true;  // only judge a quiet network
  const State& a = verdict::state_of<Counter>(world, 0);
  const State& b = verdict::state_of<Counter>(world, 1);
  return a.value == a.local + b.local && b.value == a.local + b.local;
}

// `increments` increments at each replica, from one closed-loop client each.
verdict::Workload<Counter> workload(long increments);

// The counter as a model of the command line: parameters `increments` and
// `bug` (none or overwrite), invariant `converged`.
verdict::ModelEntry entry();

}  // namespace counter
