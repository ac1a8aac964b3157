// The World: Verdi's global state. Every node's local state, which nodes are
// up, the packets in flight, the armed timers, the partition, the faults used
// so far, each client's progress through the workload and, when a property
// needs it, the recorded trace of inputs and outputs.
//
// Worlds are values. Everything that is hashed or compared is kept in a
// canonical order (the packet bag sorted, timers sorted), so two worlds that
// Verdi would call equal compare and hash equal, whatever path led to them.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "simulator/semantics.hpp"
#include "simulator/system.hpp"
#include "simulator/value.hpp"
#include "simulator/workload.hpp"

namespace verdict {

template <class S>
struct Packet {
  NodeId from = 0;
  NodeId to = 0;
  typename S::Msg msg;

  bool same_link(const Packet& o) const { return from == o.from && to == o.to; }
  VERDICT_FIELDS(Packet, from, to, msg)
};

template <class S>
struct ArmedTimer {
  NodeId node = 0;
  typename S::Timer timer;
  VERDICT_FIELDS(ArmedTimer, node, timer)
};

// One entry of the external trace: an input given to a node, or an output it
// produced. `client` names the workload client an input came from, or that
// an output answered (-1: none).
template <class S>
struct IoEvent {
  NodeId node = 0;
  std::int32_t client = -1;
  std::variant<typename S::Input, typename S::Output> event;

  bool is_input() const { return event.index() == 0; }
  VERDICT_FIELDS(IoEvent, node, client, event)
};

struct ClientProgress {
  std::uint16_t next_op = 0;   // index of the next operation to issue
  bool waiting = false;        // closed loop: the last operation is unanswered
  bool resend = false;         // the last operation was redirected: send it again
  NodeId waiting_on = 0;       // the node the last operation (or its resend) went to
  std::uint8_t redirects = 0;  // resends after a redirect of the current operation
  std::uint8_t timeouts = 0;   // client timeouts so far (the whole run)

  // Whether the current operation is still the client's business.
  bool busy() const { return waiting || resend; }

  VERDICT_FIELDS(ClientProgress, next_op, waiting, resend, waiting_on, redirects, timeouts)
};

// Checker-only state a System may keep beside the world (e.g. a history for a
// linearizability tester): declare `using Ghost = ...;` and optionally
//   void ghost_on_send(Ghost&, NodeId from, NodeId to, const Msg&) const;
//   void ghost_on_deliver(Ghost&, NodeId from, NodeId to, const Msg&) const;
struct NoGhost {
  auto operator<=>(const NoGhost&) const = default;
  template <class H>
  void hash(H&) const {}
};

template <class S>
struct GhostOf {
  using type = NoGhost;
};
template <class S>
requires requires {
  typename S::Ghost;
}
struct GhostOf<S> {
  using type = typename S::Ghost;
};

template <class S>
struct World {
  using Ghost = typename GhostOf<S>::type;

  std::vector<typename S::State> states;
  std::uint64_t up = 0;         // bit n set: node n is up
  std::uint64_t partition = 0;  // 0: no partition; else the side holding node 0
  std::vector<Packet<S>> packets;
  std::vector<ArmedTimer<S>> timers;
  FaultCounts faults_used;
  std::vector<ClientProgress> clients;
  std::vector<IoEvent<S>> trace;  // only with Semantics::record_io_trace
  Ghost ghost{};

  std::size_t node_count() const { return states.size(); }
  bool is_up(NodeId n) const { return (up >> n) & 1U; }
  void set_up(NodeId n, bool on) {
    if (on)
      up |= (std::uint64_t{1} << n);
    else
      up &= ~(std::uint64_t{1} << n);
  }
  bool can_communicate(NodeId a, NodeId b) const {
    return partition == 0 || (((partition >> a) & 1U) == ((partition >> b) & 1U));
  }

  bool operator==(const World&) const = default;

  template <class H>
  void hash(H& h) const {
    h(states, up, partition, packets, timers, faults_used, clients, trace, ghost);
  }
  // Stable, for trace files; and the explorers' (hashing.hpp says why two).
  std::uint64_t fingerprint() const { return stable_hash(*this); }
  std::uint64_t search_fingerprint() const { return search_hash(*this); }
};

// Where a new packet goes in the bag. Unordered network: the bag is sorted by
// content, so equal bags are equal vectors. Ordered network: packets are
// grouped by link in (from, to) order and keep their sending order within
// the link, which is exactly what FIFO delivery needs.
template <class S>
void add_packet(const Semantics& sem, World<S>& w, Packet<S> p) {
  auto position = sem.ordered
                      ? std::upper_bound(w.packets.begin(), w.packets.end(), p,
                                         [](const Packet<S>& a, const Packet<S>& b) {
                                           return std::tie(a.from, a.to) < std::tie(b.from, b.to);
                                         })
                      : std::upper_bound(w.packets.begin(), w.packets.end(), p);
  if (sem.merge_identical_packets &&
      std::find(w.packets.begin(), w.packets.end(), p) != w.packets.end())
    return;
  w.packets.insert(position, std::move(p));
}

// Whether packet i may be delivered in the network's order: in a FIFO
// network only the oldest packet of each link.
template <class S>
bool is_deliverable_in_order(const Semantics& sem, const World<S>& w, std::size_t i) {
  return !sem.ordered || i == 0 || !w.packets[i - 1].same_link(w.packets[i]);
}

template <class S>
void set_timer(World<S>& w, NodeId n, const typename S::Timer& t, bool armed) {
  ArmedTimer<S> entry{n, t};
  auto it = std::lower_bound(w.timers.begin(), w.timers.end(), entry);
  bool present = it != w.timers.end() && *it == entry;
  if (armed && !present) w.timers.insert(it, std::move(entry));
  if (!armed && present) w.timers.erase(it);
}

// Applies what a handler at node n recorded: its sends join the bag, its
// outputs answer waiting clients and (redirects aside) join the trace, its
// timers are set or cancelled.
template <System S>
void apply_effects(const S& sys, const Semantics& sem, const Workload<S>& workload, World<S>& w,
                   NodeId n, const Effects<S>& fx) {
  for (const auto& [to, msg] : fx.sends()) {
    if constexpr (requires { sys.ghost_on_send(w.ghost, n, to, msg); })
      sys.ghost_on_send(w.ghost, n, to, msg);
    add_packet(sem, w, Packet<S>{n, to, msg});
  }
  for (const auto& out : fx.outputs()) {
    std::int32_t answered = -1;
    for (std::size_t c = 0; c < w.clients.size(); ++c) {
      auto& progress = w.clients[c];
      const auto& client = workload.clients[c];
      if (progress.waiting && progress.waiting_on == n &&
          is_response(sys, client.ops[progress.next_op - 1].input, out)) {
        progress.waiting = false;
        // A redirect sends the request on to the next node; past the client's
        // limit the client gives up on it and moves on, as a real one would.
        if (is_redirect(sys, out) && progress.redirects < client.redirects) {
          ++progress.redirects;
          progress.resend = true;
        }
        answered = static_cast<std::int32_t>(c);
        break;
      }
    }
    // A redirect tells the client's caller nothing (see rules/input.hpp).
    if (sem.record_io_trace && !is_redirect(sys, out))
      w.trace.push_back(
          IoEvent<S>{n, answered, decltype(IoEvent<S>::event)(std::in_place_index<1>, out)});
  }
  for (const auto& change : fx.timer_changes()) set_timer(w, n, change.timer, change.armed);
}

}  // namespace verdict
