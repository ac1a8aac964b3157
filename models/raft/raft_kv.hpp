// Raft-KV: Raft over the key-value store, Verdi's vard, and the properties
// `verdict check raft-kv` checks. The checked system carries the Raft ghost
// (invariants.hpp: terms led, entries applied, leader append-only) for the
// properties of whole runs; the properties read node states and ghosts
// through base_state, so they hold for any transformer chain around it.
#pragma once

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

}  // namespace verdict::raft
