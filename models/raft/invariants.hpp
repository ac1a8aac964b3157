// Raft's safety properties (Figure 3 of the Raft paper) as invariants over a
// World. `R` is the Raft instance and `Sys` the system actually checked (R, or
// R behind more transformers): node states are read through base_state, so
// one invariant serves every transformer chain. Crashed nodes count too: their
// state is frozen, not gone.
#pragma once

#include <algorithm>
#include <cstddef>

#include "models/raft/raft.hpp"
#include "models/transformers/base_state.hpp"
#include "models/transformers/ghost.hpp"
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

// Election safety: at most one leader per term.
template <class R, class Sys>
bool election_safety(const World<Sys>& w) {
  return all_pairs<R>(w, [](const auto& a, const auto& b) {
    return !(a.is_leader() && b.is_leader() && a.term == b.term);
  });
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

// State machine safety: no two nodes apply different entries at one index
// (and no node loses an entry it applied).
template <class R, class Sys>
bool state_machine_safety(const World<Sys>& w) {
  return all_pairs<R>(w, [](const auto& a, const auto& b) {
    return same_prefix(a, b, std::min(a.applied, b.applied)) && a.log.size() >= a.applied;
  });
}

// Leader append-only is a property of steps, not states: a Ghost observer
// (models/transformers/ghost.hpp) compares each node's state before and after
// every step and remembers, in a sticky flag, whether a leader ever removed or
// changed an entry of its log while it stayed leader of the same term.
template <class R>
struct LeaderAppendOnly {
  using State = bool;  // true: violated at some step
  void observe(NodeId, const typename R::State& before, const typename R::State& after,
               bool& violated) const {
    if (before.is_leader() && after.is_leader() && before.term == after.term &&
        !same_prefix(before, after, before.log.size()))
      violated = true;
  }
};

template <class R>
using WithLeaderAppendOnly = GhostVariables<R, LeaderAppendOnly<R>>;

template <class R, class Sys>
bool leader_append_only(const World<Sys>& w) {
  for (NodeId n = 0; n < w.node_count(); ++n)
    if (base_state<WithLeaderAppendOnly<R>, Sys>(w.states[n]).ghost) return false;
  return true;
}

}  // namespace verdict::raft
