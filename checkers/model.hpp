// The Model concept: what every explorer searches. A Model has initial
// states, the actions enabled in a state, a successor function and
// properties. A System + Semantics + Workload is a Model (simulator/), and so
// is a plain state machine such as TLA+'s TwoPhase (models/reference/), which
// lets the explorers be cross-checked against other checkers on classic
// examples. The explorer knows nothing of networks.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace verdict {

enum class Expectation {
  always,      // an invariant: must hold in every reachable state
  sometimes,   // reachability: some reachable state satisfies it
  eventually,  // liveness: every fair behaviour reaches a state satisfying it
  leads_to,    // liveness: in every fair behaviour, each state satisfying `trigger`
               // is followed (or is itself) a state satisfying `condition`
};

inline const char* to_string(Expectation e) {
  switch (e) {
    case Expectation::always:
      return "always";
    case Expectation::sometimes:
      return "sometimes";
    case Expectation::eventually:
      return "eventually";
    case Expectation::leads_to:
      return "leads-to";
  }
  return "?";
}

// Liveness properties are judged on infinite (fair) behaviours, over the
// whole explored state graph (checkers/liveness.hpp), not state by state.
inline bool is_liveness(Expectation e) {
  return e == Expectation::eventually || e == Expectation::leads_to;
}

template <class State>
struct Property {
  std::string name;
  Expectation expectation = Expectation::always;
  std::function<bool(const State&)> condition;
  // An expensive invariant whose violation persists in every extension of a
  // run (e.g. linearizability of the I/O history so far). Exhaustive search
  // checks it in every state like any other; random walks check it once, at
  // the end of each walk, on other cores while walks go on.
  bool at_end = false;
  // leads_to only: the P of "P leads-to Q" (`condition` is Q).
  std::function<bool(const State&)> trigger;
  // Optional: what a state that violates the property shows, as JSON kept in
  // its trace file (e.g. {"history": ...}, the history a linearizability
  // property judged, which `verdict export` draws). Empty: nothing more than
  // the steps.
  std::function<nlohmann::json(const State&)> evidence;

  static Property make(std::string name, Expectation e, std::function<bool(const State&)> condition,
                       bool at_end = false, std::function<bool(const State&)> trigger = {}) {
    Property p;
    p.name = std::move(name);
    p.expectation = e;
    p.condition = std::move(condition);
    p.at_end = at_end;
    p.trigger = std::move(trigger);
    return p;
  }
  static Property always(std::string name, std::function<bool(const State&)> condition) {
    return make(std::move(name), Expectation::always, std::move(condition));
  }
  static Property sometimes(std::string name, std::function<bool(const State&)> condition) {
    return make(std::move(name), Expectation::sometimes, std::move(condition));
  }
  static Property always_at_end(std::string name, std::function<bool(const State&)> condition) {
    return make(std::move(name), Expectation::always, std::move(condition), true);
  }
  static Property eventually(std::string name, std::function<bool(const State&)> condition) {
    return make(std::move(name), Expectation::eventually, std::move(condition));
  }
  static Property leads_to(std::string name, std::function<bool(const State&)> trigger,
                           std::function<bool(const State&)> condition) {
    return make(std::move(name), Expectation::leads_to, std::move(condition), false,
                std::move(trigger));
  }
};

// Required of every model:
//   State, Action                     value types (State copyable, Action copyable)
//   init_states()                     the initial states
//   actions(state, out)               appends the actions enabled in state
//   next_state(state, action)         the successor, or nullopt when the action
//                                     is not a transition (it is then ignored)
//   properties()                      the properties checked
//   fingerprint(state)                a stable 64-bit hash; equal states hash equal
//                                     (recorded in trace files)
//   action_json(action)               the action as a label (JSON), used in paths
// Optional (detected with `requires`):
//   search_fingerprint(state) -> uint64  what the explorers key states on, when
//                                     it is cheaper than fingerprint() (it need not
//                                     be stable across versions; see
//                                     search_fingerprint() below)
//   within_boundary(state) -> bool    false: the state is counted and checked but
//                                     not expanded
//   representative(state) -> State    a canonical member of the state's symmetry
//                                     class, used with --symmetry
//   canonicalize(state&) -> uint64    the same in place, returning the result's
//                                     search fingerprint (saves a copy and a hash per
//                                     successor; used instead when present)
//   is_terminal(state) -> bool        true: having no enabled action is not a deadlock
//   action_kinds() -> vector<string>  names of kinds of action (e.g. step relations),
//   action_kind(action) -> size_t     for --weight and --swarm in random walks
//   fairness_key(action) -> optional<uint64>  needed by liveness properties: the
//                                     weakly fair "thing" the action serves (a
//                                     packet, a timer, a client), or nullopt for
//                                     an unfair step (a fault). Weak fairness: a
//                                     key enabled continuously from some point
//                                     on is eventually taken (docs/explorer.md).
template <class M>
concept Model = requires(const M& m, const typename M::State& s, const typename M::Action& a,
                         std::vector<typename M::Action>& out) {
  typename M::State;
  typename M::Action;
  { m.init_states() } -> std::convertible_to<std::vector<typename M::State>>;
  {m.actions(s, out)};
  { m.next_state(s, a) } -> std::convertible_to<std::optional<typename M::State>>;
  { m.properties() } -> std::convertible_to<std::vector<Property<typename M::State>>>;
  { m.fingerprint(s) } -> std::convertible_to<std::uint64_t>;
  { m.action_json(a) } -> std::convertible_to<nlohmann::json>;
};

// The fingerprint the explorers key a state on: the model's
// search_fingerprint() when it has one, else its stable fingerprint().
// Everything a search compares (visited sets, parent paths, symmetry
// representatives, the BFS graph liveness reads) uses this one; trace files
// and replay use the stable one.
template <Model M>
std::uint64_t search_fingerprint(const M& model, const typename M::State& s) {
  if constexpr (requires { model.search_fingerprint(s); })
    return model.search_fingerprint(s);
  else
    return model.fingerprint(s);
}

template <class M>
concept HasBoundary = requires(const M& m, const typename M::State& s) {
  { m.within_boundary(s) } -> std::convertible_to<bool>;
};

template <class M>
concept HasSymmetry = requires(const M& m, const typename M::State& s) {
  { m.representative(s) } -> std::convertible_to<typename M::State>;
};

template <class M>
concept HasCanonicalize = requires(const M& m, typename M::State& s) {
  { m.canonicalize(s) } -> std::convertible_to<std::uint64_t>;
};

// next_state_into(s, a, out): next_state into a state the caller keeps and
// assigns over (true when `a` is a transition), so that the explorers reuse
// one successor's storage for the next.
template <class M>
concept HasNextStateInto = requires(const M& m, const typename M::State& s,
                                    const typename M::Action& a, typename M::State& out) {
  { m.next_state_into(s, a, out) } -> std::convertible_to<bool>;
};

template <class M>
concept HasFairness = requires(const M& m, const typename M::Action& a) {
  { m.fairness_key(a) } -> std::convertible_to<std::optional<std::uint64_t>>;
};

template <class M>
concept HasTerminal = requires(const M& m, const typename M::State& s) {
  { m.is_terminal(s) } -> std::convertible_to<bool>;
};

}  // namespace verdict
