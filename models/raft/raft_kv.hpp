// Raft-KV: Raft over the key-value store, Verdi's vard, and the properties
// `verdict check raft-kv` checks. The checked system carries the Raft ghost
// (invariants.hpp: terms led, entries applied, leader append-only) for the
// properties of whole runs; the properties read node states and ghosts
// through base_state, so they hold for any transformer chain around it.
#pragma once

#include <string>

#include "checkers/linearizability/checker.hpp"
#include "checkers/linearizability/specs.hpp"
#include "models/kv/kv.hpp"
#include "models/raft/client_trace.hpp"
#include "models/raft/invariants.hpp"
#include "simulator/system_model.hpp"

namespace verdict::raft {

using RaftKv = Raft<kv::Machine>;
using RaftKvChecked = WithRaftGhost<RaftKv>;

inline lincheck::VardSpec::Input to_vard(const kv::Input& in) {
  using Kind = lincheck::VardSpec::Kind;
  constexpr Kind kinds[] = {Kind::get, Kind::put, Kind::del, Kind::cas, Kind::cad};
  return {kinds[static_cast<std::size_t>(in.op)], in.key, in.expected, in.value.value_or("")};
}

inline lincheck::VardSpec::Output to_vard(const kv::Response& r) {
  return {r.key, r.value_after, r.value_before};
}

// `config` is the Raft configuration the model runs (its bootstrap decides
// which leader counts as elected for the reach witnesses).
template <class Model>
void add_raft_kv_properties(Model& model, const Config& config) {
  using Sys = typename Model::Sys;
  model.add_invariant("election-safety", election_safety<RaftKv, Sys>);
  model.add_invariant("log-matching", log_matching<RaftKv, Sys>);
  model.add_invariant("leader-completeness", leader_completeness<RaftKv, Sys>);
  model.add_invariant("electable-completeness", electable_completeness<RaftKv, Sys>);
  model.add_invariant("match-index-agrees", match_index_agrees<RaftKv, Sys>);
  model.add_invariant("state-machine-safety", state_machine_safety<RaftKv, Sys>);
  model.add_invariant("data-is-replay",
                      [](const World<Sys>& w) { return data_is_replay<RaftKv, Sys>(w); });
  model.add_invariant("leader-append-only", leader_append_only<RaftKv, Sys>);
  model.add_invariant("consistent-answers", consistent_answers<Sys>);
  // Linearizability is the expensive property and, once lost, stays lost:
  // random walks check it once, at the end of each walk, on a free core
  // (exhaustive search checks it in every state).
  // The clients' I/O trace is linearizable against the vard specification.
  const auto linearizable = lincheck::io_linearizable<Sys>(
      model, lincheck::VardSpec{},
      [](const typename Sys::Input& request) { return to_vard(request.op); },
      [](const typename Sys::Output& reply) { return to_vard(*reply.result); }, same_request<Sys>);
  model.add_invariant_at_end("linearizability", linearizable, [linearizable](const World<Sys>& w) {
    return linearizable.evidence(w);
  });
  model.add_invariant("refines-kv",
                      [](const World<Sys>& w) { return refines_machine<RaftKv, Sys>(w); });
  const Term bootstrap_term = config.bootstrap_leader ? 1 : 0;
  model.add_reachable("new-leader-elected", [bootstrap_term](const World<Sys>& w) {
    return new_leader_elected<RaftKv, Sys>(w, bootstrap_term);
  });
  model.add_reachable("committed-in-later-term", [bootstrap_term](const World<Sys>& w) {
    return committed_in_later_term<RaftKv, Sys>(w, bootstrap_term);
  });
}

// Liveness (`--param liveness=on`, docs/raft-kv.md), under weak fairness of
// deliveries, inputs and the heartbeat timer. The election timer is not
// fair: untimed, it would have to fire under a leader whose heartbeats reset
// a real one, and elections would go on to the term bound. Both properties
// have the form "P leads-to not P": P must not hold for ever.
template <class Model>
void add_raft_kv_liveness(Model& model) {
  using Sys = typename Model::Sys;
  model.set_fair_timer([](const Timer& t) { return t == Timer::heartbeat; });
  // An up leader's log is not a prefix of an up node's: replication owes it.
  const auto owed = [](const World<Sys>& w) { return replication_owed<RaftKv, Sys>(w); };
  model.add_leads_to("leader-log-replicated", owed,
                     [owed](const World<Sys>& w) { return !owed(w); });
  for (std::size_t c = 0; c < model.workload().clients.size(); ++c) {
    // Client c waits on a node that is an up leader: it owes an answer.
    const auto waits = [c](const World<Sys>& w) {
      const auto& progress = w.clients[c];
      return progress.waiting && w.is_up(progress.waiting_on) &&
             node_state<RaftKv>(w, progress.waiting_on).is_leader();
    };
    model.add_leads_to("client-" + std::to_string(c) + "-answered-by-leader", waits,
                       [waits](const World<Sys>& w) { return !waits(w); });
  }
}

}  // namespace verdict::raft
