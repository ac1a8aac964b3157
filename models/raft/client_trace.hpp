// Properties of the client-visible I/O trace of a Raft run:
//
// * client_history: the trace as a linearizability History. A client's
//   request (client id, request id) is one operation however often it was
//   retried: called at its first input, returned at its last real answer
//   (NotLeader answers do not count); without one its outcome is unknown.
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

#include "checkers/linearizability/history.hpp"
#include "models/raft/invariants.hpp"

namespace verdict::raft {

template <class Spec, class Sys, class ToInput, class ToOutput>
lincheck::History<Spec> client_history(const std::vector<IoEvent<Sys>>& trace, ToInput&& to_input,
                                       ToOutput&& to_output) {
  lincheck::History<Spec> history;
  std::map<std::pair<ClientId, RequestId>, std::size_t> op_of;
  for (std::size_t pos = 0; pos < trace.size(); ++pos) {
    const auto& event = trace[pos].event;
    if (event.index() == 0) {
      const auto& req = std::get<0>(event);
      if (op_of.emplace(std::pair{req.client, req.id}, history.size()).second)
        history.push_back({static_cast<int>(req.client), to_input(req.op), std::nullopt, pos, 0});
    } else {
      const auto& reply = std::get<1>(event);
      auto it = op_of.find({reply.client, reply.id});
      if (reply.not_leader() || it == op_of.end()) continue;
      history[it->second].output = to_output(*reply.result);
      history[it->second].ret = pos;
    }
  }
  return history;
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
