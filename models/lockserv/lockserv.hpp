// Verdi's lock service (theories/Systems/LockServ.v): node 0 is the server,
// nodes 1..N are agents. An agent asked to Lock sends Lock to the server;
// the server queues requests and grants the lock (Locked) to the head of its
// queue; an agent that holds the lock and is asked to Unlock releases it
// with Unlock, and the server grants the next in line.
//
// Mutual exclusion — at most one agent believes it holds the lock — holds on
// a reliable network and fails under duplication: a duplicated Unlock pops
// the queue twice, granting the lock while another agent still holds it.
// That is the motivation for the sequence-numbering transformer.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "simulator/json_support.hpp"

#include "models/transformers/base_state.hpp"
#include "simulator/system.hpp"
#include "simulator/value.hpp"
#include "simulator/world.hpp"

namespace verdict::lockserv {

inline constexpr NodeId kServer = 0;

enum class Msg : std::uint8_t { lock, unlock, locked };
enum class Input : std::uint8_t { lock, unlock };
enum class Output : std::uint8_t { locked, unlocked };

VERDICT_JSON_ENUM(Msg, {{Msg::lock, "Lock"}, {Msg::unlock, "Unlock"}, {Msg::locked, "Locked"}})
VERDICT_JSON_ENUM(Input, {{Input::lock, "Lock"}, {Input::unlock, "Unlock"}})
VERDICT_JSON_ENUM(Output, {{Output::locked, "Locked"}, {Output::unlocked, "Unlocked"}})

// Seeded bugs: the first is caught by mutual exclusion, the second by the
// liveness property (every agent that asks eventually holds the lock).
enum class Bug : std::uint8_t {
  none,
  grant_when_held,  // the server grants every Lock at once, queue or not
  forget_waiter,    // a Lock that arrives while the lock is held is not queued
};

struct State {
  std::vector<NodeId> queue;  // server: agents waiting, the head holds the lock
  bool held = false;          // agent: believes it holds the lock

  VERDICT_VALUE(State, queue, held)
};

struct LockServ {
  using State = lockserv::State;
  using Msg = lockserv::Msg;
  using Input = lockserv::Input;
  using Output = lockserv::Output;
  using Timer = Nothing;

  std::size_t agents = 2;
  Bug bug = Bug::none;

  std::size_t node_count() const { return agents + 1; }
  State init(NodeId, Effects<LockServ>&) const { return {}; }
  void on_input(NodeId n, State& s, const Input& in, Effects<LockServ>& fx) const;
  void on_message(NodeId n, State& s, NodeId from, const Msg& m, Effects<LockServ>& fx) const;
  void on_timeout(NodeId, State&, const Timer&, Effects<LockServ>&) const {}
  // Verdi's lock service keeps no durable state worth modelling: a rebooted
  // node starts afresh.
  void on_reboot(NodeId, State& s, Effects<LockServ>&) const { s = State{}; }
  bool is_response(const Input& in, const Output& out) const {
    return (in == Input::lock) == (out == Output::locked);
  }
};

// At most one agent believes it holds the lock. Sys is LockServ or any
// transformer chain around it.
template <class Sys>
bool mutual_exclusion(const World<Sys>& world) {
  int holders = 0;
  for (NodeId n = 1; n < world.node_count(); ++n)
    holders += base_state<LockServ, Sys>(world.states[n]).held ? 1 : 0;
  return holders <= 1;
}

// Liveness: agent n (client n-1 of the workload) asked for the lock and is
// waiting for it...
template <class Sys>
bool waiting_for_lock(const World<Sys>& world, NodeId agent) {
  return world.clients.at(agent - 1).waiting;
}
// ...and holds it.
template <class Sys>
bool holds_lock(const World<Sys>& world, NodeId agent) {
  return base_state<LockServ, Sys>(world.states[agent]).held;
}

}  // namespace verdict::lockserv
