// Properties of the client-visible I/O trace of a Raft run:
//
// * client_history: the trace as a linearizability History, by the one path
//   every System uses (lincheck::io_history): a client's request (client id,
//   request id) is one operation however often it was retried: called at
//   its first input, returned at its first real answer (NotLeader answers
//   are redirects and not in the trace); without one its outcome is unknown.
//   The first answer is when the operation had surely taken effect; a later
//   answer would only widen the window a linearization may use.
// * consistent_answers: every real answer to one request is the same. A
//   History operation has one output, so a second, different answer cannot
//   be part of it; rather than make linearizability fail for a reason that
//   is not about order, this property names the fault itself (a request
//   applied twice, a client table answering from the wrong entry), and is
//   cheap enough to check in every state of a random walk. Together the two
//   say that the history of every answer the clients saw is linearizable.
// * refines_machine: trace preservation against the single-node machine.
//   Replaying the longest applied log prefix through the plain StateMachine
//   (each request once, by the client table's rule: `replay` in
//   invariants.hpp) must give exactly the answers the clients received for
//   those requests: Raft<M> shows the clients nothing that SingleNode<M>
//   running that sequence would not.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "checkers/linearizability/world_history.hpp"
#include "models/raft/invariants.hpp"

namespace verdict::raft {

// Two inputs are one request: the same client and request id, however often
// and wherever it was sent (lincheck::io_history's same_request).
template <class Sys>
bool same_request(const typename Sys::Input& a, const typename Sys::Input& b) {
  return a.client == b.client && a.id == b.id;
}

// The trace as a linearizability History (lincheck::io_history, keyed by
// request); to_input and to_output map the operation inside a request and
// the answer inside a reply.
template <class Spec, class Sys, class ToInput, class ToOutput>
lincheck::History<Spec> client_history(const Sys& checked, const std::vector<IoEvent<Sys>>& trace,
                                       const ToInput& to_input, const ToOutput& to_output) {
  return lincheck::io_history<Sys, Spec>(
      checked, trace, [&](const typename Sys::Input& request) { return to_input(request.op); },
      [&](const typename Sys::Output& reply) { return to_output(*reply.result); },
      same_request<Sys>);
}

// Every real answer to a request (client, request id) equals its first.
template <class Sys>
bool consistent_answers(const World<Sys>& w) {
  std::map<std::pair<ClientId, RequestId>, const typename Sys::Output*> first;
  for (const auto& event : w.trace) {
    if (event.is_input()) continue;
    const auto& reply = std::get<1>(event.event);
    if (reply.not_leader()) continue;
    auto [it, fresh] = first.emplace(std::pair{reply.client, reply.id}, &reply);
    if (!fresh && !(*it->second == reply)) return false;
  }
  return true;
}

// Whether the last trace event is an answer: only then can a history that
// was linearizable one step earlier have stopped being so (a new call can
// always be left out of the linearization).
template <class Sys>
bool ends_with_output(const World<Sys>& w) {
  return !w.trace.empty() && !w.trace.back().is_input();
}

template <class R, class Sys>
bool refines_machine(const World<Sys>& w, const typename R::Machine& machine = {}) {
  const typename R::State* longest = nullptr;
  for (NodeId n = 0; n < w.node_count(); ++n) {
    const auto& s = node_state<R>(w, n);
    if (!longest || s.applied > longest->applied) longest = &s;
  }
  const auto expected = replay(machine, longest->log, longest->applied).answers;
  for (const auto& event : w.trace) {
    if (event.is_input()) continue;
    const auto& reply = std::get<1>(event.event);
    if (reply.not_leader()) continue;
    auto it = expected.find({reply.client, reply.id});
    if (it != expected.end() && !(it->second == *reply.result)) return false;
  }
  return true;
}

}  // namespace verdict::raft
