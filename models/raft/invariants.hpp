// Raft's safety properties (Figure 3 of the Raft paper) as invariants over a
// World, and the Raft ghost they need. `R` is the Raft instance and `Sys` the
// system actually checked (WithRaftGhost<R>, or it behind more transformers):
// node states and ghosts are read through base_state, so one invariant serves
// every transformer chain. Crashed nodes count too: their state is frozen,
// not gone.
//
// Election safety, state machine safety and leader append-only are properties
// of the whole run, not of one state: a leader of term 2 that crashed is no
// longer leader, an entry applied before a reboot is no longer applied. The
// Raft ghost (RaftGhost, kept beside each node's state by GhostVariables)
// records what they need: the terms each node led, what it applied at each
// index, and whether a step broke a rule no state shows afterwards.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/raft/raft.hpp"
#include "models/transformers/base_state.hpp"
#include "models/transformers/ghost.hpp"
#include "simulator/hashing.hpp"
#include "simulator/value.hpp"
#include "simulator/world.hpp"

namespace verdict::raft {

template <class R, class Sys>
const typename R::State& node_state(const World<Sys>& w, NodeId n) {
  return base_state<R, Sys>(w.states[n]);
}

// Calls check(a, b) for every ordered pair of distinct nodes' states; false
// as soon as one pair fails.
template <class R, class Sys, class Check>
bool all_pairs(const World<Sys>& w, Check&& check) {
  for (NodeId a = 0; a < w.node_count(); ++a)
    for (NodeId b = 0; b < w.node_count(); ++b)
      if (a != b && !check(node_state<R>(w, a), node_state<R>(w, b))) return false;
  return true;
}

template <class St>
bool same_prefix(const St& a, const St& b, std::size_t length) {
  return a.log.size() >= length && b.log.size() >= length &&
         std::equal(a.log.begin(), a.log.begin() + static_cast<std::ptrdiff_t>(length),
                    b.log.begin());
}

// Liveness (raft_kv.hpp): some up node's log does not begin with an up
// leader's whole log, so that leader still owes it entries (or will step
// down on learning of a later term).
template <class R, class Sys>
bool replication_owed(const World<Sys>& w) {
  for (NodeId l = 0; l < w.node_count(); ++l) {
    const auto& leader = node_state<R>(w, l);
    if (!w.is_up(l) || !leader.is_leader()) continue;
    for (NodeId f = 0; f < w.node_count(); ++f)
      if (f != l && w.is_up(f) && !same_prefix(leader, node_state<R>(w, f), leader.log.size()))
        return true;
  }
  return false;
}

// What the checker remembers of one node's run (never read by the node).
//
// `applied` holds, for each index the node ever applied, a stable 64-bit hash
// of the entry (term and request) it applied there first, rather than the
// entry: the log already holds the entries, and a copy of each applied one
// would grow every state by the requests' strings again. Two different
// entries share a hash with probability about 2^-64 per comparison, and a
// collision could only hide a violation, never report a false one.
struct RaftGhost {
  bool append_only_violated = false;   // a leader removed or changed an entry of its term's log
  bool reapplied_differently = false;  // after a reboot, applied another entry at an applied index
  std::uint64_t terms_led = 0;         // bit t: the node was leader of term t at some point
  std::vector<std::uint64_t> applied;  // [i]: hash of the entry first applied at index i + 1

  VERDICT_VALUE(RaftGhost, append_only_violated, reapplied_differently, terms_led, applied)
};

template <class Op>
std::uint64_t entry_hash(const Entry<Op>& e) {
  return stable_hash(e);
}

// The bit of `terms_led` for a term. The checker bounds terms far below 64
// (`max-term` is at most 20); a larger term is refused loudly rather than
// recorded wrongly.
inline std::uint64_t term_bit(Term t) {
  if (t >= 64)
    throw std::out_of_range("RaftGhost records terms below 64, not " + std::to_string(t));
  return std::uint64_t{1} << t;
}

// The observer that keeps a RaftGhost up to date; it sees each node's state
// before and after every step (models/transformers/ghost.hpp).
template <class R>
struct RaftGhostObserver {
  using State = RaftGhost;
  using NodeState = typename R::State;

  void observe_init(NodeId, const NodeState& initial, RaftGhost& g) const {
    record_leadership(initial, g);  // bootstrap: node 0 starts as leader of term 1
  }

  void observe(NodeId, const NodeState& before, const NodeState& after, RaftGhost& g) const {
    if (before.is_leader() && after.is_leader() && before.term == after.term &&
        !same_prefix(before, after, before.log.size()))
      g.append_only_violated = true;
    record_leadership(after, g);
    // Only a reboot lowers `applied` (to 0: the node then applies its log
    // again from the start); any other step raises it or leaves it. The
    // handler read each newly applied entry from the log it leaves behind; a
    // step that removed one again leaves the record shorter than `applied`,
    // which state_machine_safety reports.
    for (Index i = before.applied; i < after.applied && i < after.log.size(); ++i) {
      const std::uint64_t h = entry_hash(after.log[i]);
      if (i < g.applied.size())
        g.reapplied_differently = g.reapplied_differently || g.applied[i] != h;
      else
        g.applied.push_back(h);
    }
  }

 private:
  static void record_leadership(const NodeState& s, RaftGhost& g) {
    if (s.is_leader()) g.terms_led |= term_bit(s.term);
  }
};

template <class R>
using WithRaftGhost = GhostVariables<R, RaftGhostObserver<R>>;

template <class R, class Sys>
const RaftGhost& ghost_of(const World<Sys>& w, NodeId n) {
  return base_state<WithRaftGhost<R>, Sys>(w.states[n]).ghost;
}

// Election safety: at most one leader per term over the whole run — two
// nodes never led the same term, whether at the same time or one after the
// other (a leader that crashed or stepped down still counts).
template <class R, class Sys>
bool election_safety(const World<Sys>& w) {
  for (NodeId a = 0; a < w.node_count(); ++a)
    for (NodeId b = a + 1; b < w.node_count(); ++b)
      if (ghost_of<R>(w, a).terms_led & ghost_of<R>(w, b).terms_led) return false;
  return true;
}

// Log matching: if two logs hold an entry with the same index and term, they
// are identical up to that index. Checking the highest such index suffices.
template <class R, class Sys>
bool log_matching(const World<Sys>& w) {
  return all_pairs<R>(w, [](const auto& a, const auto& b) {
    for (std::size_t i = std::min(a.log.size(), b.log.size()); i > 0; --i)
      if (a.log[i - 1].term == b.log[i - 1].term) return same_prefix(a, b, i);
    return true;
  });
}

// Leader completeness: an entry committed in some term is in the log of every
// leader of a later term. A node's committed prefix was committed in a term no
// later than its current term, so every leader of a term after that holds it.
template <class R, class Sys>
bool leader_completeness(const World<Sys>& w) {
  return all_pairs<R>(w, [](const auto& a, const auto& leader) {
    return !(leader.is_leader() && leader.term > a.term) || same_prefix(a, leader, a.commit);
  });
}

// Electable completeness: every node that could win an election right now
// holds every node's committed prefix. A node is electable when a majority
// (itself included) would find its log at least as up-to-date as theirs — the
// vote's log check; its term and the votes already cast do not matter, since
// it can time out into a fresh term. This is leader completeness for the next
// election, checked before it happens: a commit that a later leader could
// overwrite (Raft's Figure 8) is caught the moment it is made, not only
// after the several more steps that elect that leader, which random walks
// rarely all take.
template <class R, class Sys>
bool electable_completeness(const World<Sys>& w) {
  for (NodeId x = 0; x < w.node_count(); ++x) {
    const auto& cand = node_state<R>(w, x);
    std::size_t voters = 0;
    for (NodeId v = 0; v < w.node_count(); ++v) {
      const auto& voter = node_state<R>(w, v);
      if (cand.last_term() > voter.last_term() ||
          (cand.last_term() == voter.last_term() && cand.last_index() >= voter.last_index()))
        ++voters;
    }
    if (voters * 2 <= w.node_count()) continue;
    for (NodeId a = 0; a < w.node_count(); ++a) {
      const auto& s = node_state<R>(w, a);
      if (a != x && !same_prefix(s, cand, s.commit)) return false;
    }
  }
  return true;
}

// Match index agrees: a leader's match index for a peer is a fact about the
// peer's log, not a guess: while the peer is in the leader's term, its log
// equals the leader's up to that index (Verdi's match_index_all_entries, for
// peers of the leader's term: a peer that moved to a later term may be
// rewritten by a newer leader). In that term the peer takes entries from this
// leader only, and truncates only where an entry conflicts, which the
// leader's own entries never do. And a peer still in an older term has not
// answered this leader (a reply counts only in the leader's term, and terms
// never go back): its match index is 0. A reply counted wrongly (of another
// term, or for entries the peer no longer holds) is caught when it is
// counted, before a commit relies on it and a later election exposes that.
template <class R, class Sys>
bool match_index_agrees(const World<Sys>& w) {
  for (NodeId l = 0; l < w.node_count(); ++l) {
    const auto& leader = node_state<R>(w, l);
    if (!leader.is_leader()) continue;
    for (NodeId f = 0; f < w.node_count() && f < leader.match_index.size(); ++f) {
      const auto& peer = node_state<R>(w, f);
      if (f == l) continue;
      if (peer.term < leader.term && leader.match_index[f] != 0) return false;
      if (peer.term == leader.term && !same_prefix(peer, leader, leader.match_index[f]))
        return false;
    }
  }
  return true;
}

// State machine safety, over what nodes applied rather than their current
// logs: no two nodes ever applied different entries at one index, no node
// applied, after a reboot, another entry at an index it had applied before,
// and every node's log still holds, up to its applied index, the entries it
// applied there.
template <class R, class Sys>
bool state_machine_safety(const World<Sys>& w) {
  for (NodeId a = 0; a < w.node_count(); ++a) {
    const RaftGhost& ga = ghost_of<R>(w, a);
    if (ga.reapplied_differently) return false;
    const auto& s = node_state<R>(w, a);
    // A node applied its first `applied` entries, so the ghost saw them all
    // (unless a step applied entries and dropped them from its log at once).
    if (s.log.size() < s.applied || ga.applied.size() < s.applied) return false;
    for (Index i = 0; i < s.applied; ++i)
      if (entry_hash(s.log[i]) != ga.applied[i]) return false;
    for (NodeId b = a + 1; b < w.node_count(); ++b) {
      const RaftGhost& gb = ghost_of<R>(w, b);
      const std::size_t common = std::min(ga.applied.size(), gb.applied.size());
      if (!std::equal(ga.applied.begin(), ga.applied.begin() + static_cast<std::ptrdiff_t>(common),
                      gb.applied.begin()))
        return false;
    }
  }
  return true;
}

// What applying a log prefix in order means for the single-node machine
// behind Raft's client table: a request applies unless the table already
// holds a request of its client with an id at least as high (a retry of it,
// or an older request); applying records the request and its output in the
// table. Written here from that rule, not by calling the handlers' code, so
// that the properties built on it check apply_committed in raft.hpp.
template <class M>
struct Replay {
  typename M::Data data;
  std::vector<Applied<typename M::Output>> table;  // sorted by client, as a node's
  // The output each applied request (client, request id) got.
  std::map<std::pair<ClientId, RequestId>, typename M::Output> answers;
};

template <class M, class Op>
Replay<M> replay(const M& machine, const std::vector<Entry<Op>>& log, std::size_t count) {
  Replay<M> r{machine.initial(), {}, {}};
  std::map<ClientId, Applied<typename M::Output>> table;
  for (std::size_t i = 0; i < count && i < log.size(); ++i) {
    const Request<Op>& req = log[i].request;
    auto done = table.find(req.client);
    if (done != table.end() && done->second.id >= req.id) continue;
    auto out = machine.apply(r.data, req.op);
    r.answers.emplace(std::pair{req.client, req.id}, out);
    table.insert_or_assign(req.client, Applied<typename M::Output>{req.client, req.id, out});
  }
  for (auto& [client, entry] : table) r.table.push_back(std::move(entry));
  return r;
}

// Each node's data and client table are exactly the replay of its applied
// log prefix: a node's machine state comes from the entries it applied, in
// order, each request once, and from nothing else.
template <class R, class Sys>
bool data_is_replay(const World<Sys>& w, const typename R::Machine& machine = {}) {
  for (NodeId n = 0; n < w.node_count(); ++n) {
    const auto& s = node_state<R>(w, n);
    if (s.log.size() < s.applied) return false;  // no prefix to replay
    const auto r = replay(machine, s.log, s.applied);
    if (!(r.data == s.data) || !(r.table == s.table)) return false;
  }
  return true;
}

// Leader append-only is a property of steps, not states: the Raft ghost
// remembers whether a leader ever removed or changed an entry of its log
// while it stayed leader of the same term.
template <class R, class Sys>
bool leader_append_only(const World<Sys>& w) {
  for (NodeId n = 0; n < w.node_count(); ++n)
    if (ghost_of<R>(w, n).append_only_violated) return false;
  return true;
}

// Reach witnesses (`sometimes` properties). A complete check that never gets
// to one of these did not exercise what the invariants above are about, and
// `verdict check` fails rather than report a clean run (exit 1, "not
// reached"). Both need an election won by votes, so a term after
// `bootstrap_term`: the term a run starts in with a leader already in place
// (1 under bootstrap=leader), or 0 when every node starts as a follower.

// A cluster of several nodes elected a leader, and no node has moved to a
// later term since: the new leader is the one the cluster follows now, not a
// leftover of an election already superseded.
template <class R, class Sys>
bool new_leader_elected(const World<Sys>& w, Term bootstrap_term) {
  if (w.node_count() < 2) return false;
  Term newest = 0;
  for (NodeId n = 0; n < w.node_count(); ++n) newest = std::max(newest, node_state<R>(w, n).term);
  for (NodeId n = 0; n < w.node_count(); ++n) {
    const auto& s = node_state<R>(w, n);
    if (s.is_leader() && s.term > bootstrap_term && s.term == newest) return true;
  }
  return false;
}

// A cluster of several nodes committed an entry of an elected leader's term.
template <class R, class Sys>
bool committed_in_later_term(const World<Sys>& w, Term bootstrap_term) {
  if (w.node_count() < 2) return false;
  for (NodeId n = 0; n < w.node_count(); ++n) {
    const auto& s = node_state<R>(w, n);
    if (s.commit > 0 && s.term_at(s.commit) > bootstrap_term) return true;
  }
  return false;
}

}  // namespace verdict::raft
