// What BFS and DFS share: the properties being checked (plus the deadlock
// pseudo-property), symmetry canonicalisation, successor generation with the
// optional determinism and fingerprint checks, and the replay that turns a
// chain of action indices back into a Path of real actions.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "checkers/search_monitor.hpp"
#include "checkers/search_types.hpp"

namespace verdict {

// The name of the pseudo-property that --check-deadlock adds.
inline constexpr const char* kDeadlockProperty = "deadlock";

// Index of an action in the list Model::actions() returns for a state. The
// explorers store these instead of actions: 3 bytes in a parent link.
using ActionIndex = std::uint32_t;
inline constexpr ActionIndex kMaxActionsPerState = (1U << 24) - 1;

// The explorers keep fingerprints, not states: two different states with one
// fingerprint are silently merged, and the search is unsound. With
// VERDICT_VALUE the hash and == come from one field list, but a hand-written
// hash() can leave a field out. The audit keeps the first kAuditedStates
// states it sees by fingerprint and compares every later state with the same
// fingerprint; a mismatch is reported like nondeterminism (exit 3), naming
// both states' fingerprint. On in debug builds (CI's sanitizer run) and with
// SearchOptions::audit_fingerprints; bounded so that a debug build of a big
// search does not keep every state.
template <class State>
class FingerprintAudit {
 public:
  static constexpr std::size_t kAuditedStates = 200'000;

  // An empty string, or what is wrong.
  std::string check(std::uint64_t fp, const State& s) {
    if constexpr (std::equality_comparable<State>) {
      std::lock_guard lock(mutex_);
      auto it = seen_.find(fp);
      if (it == seen_.end()) {
        if (seen_.size() < kAuditedStates) seen_.emplace(fp, s);
        return {};
      }
      if (it->second == s) return {};
      return fmt::format(
          "two different states have fingerprint {:016x}: the state's hash leaves out a field "
          "that == compares (or, far less likely, a 64-bit collision)",
          fp);
    } else {
      (void)fp, (void)s;
      return {};
    }
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::uint64_t, State> seen_;
};

#ifdef NDEBUG
inline constexpr bool kAuditFingerprintsAlways = false;
#else
inline constexpr bool kAuditFingerprintsAlways = true;
#endif

// The successors of the state being expanded, in slots kept from one state
// to the next: assigning over a slot reuses its storage, and most successors
// are visited already, so a successor then costs no allocation.
template <class Slot>
class ReusedSlots {
 public:
  void clear() { used_ = 0; }
  Slot& add() {
    if (used_ == slots_.size()) slots_.emplace_back();
    return slots_[used_++];
  }
  std::span<Slot> used() { return std::span(slots_).first(used_); }

 private:
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

template <Model M>
class SearchContext {
 public:
  using State = typename M::State;
  using Action = typename M::Action;

  SearchContext(const M& searched, const SearchOptions& asked)
      : model(searched),
        options(asked),
        properties(searched.properties()),
        symmetry(asked.symmetry && HasSymmetry<M>),
        monitor(asked),
        audit_(asked.audit_fingerprints || kAuditFingerprintsAlways
                   ? std::make_unique<FingerprintAudit<State>>()
                   : nullptr) {
    if (properties.size() > 63) throw std::invalid_argument("at most 63 properties per model");
  }

  const M& model;
  const SearchOptions& options;
  const std::vector<Property<State>> properties;
  const bool symmetry;
  mutable SearchMonitor monitor;  // stops are requested from const helpers too

  // Index of the deadlock pseudo-property among the results.
  std::size_t deadlock_index() const { return properties.size(); }
  std::size_t result_count() const { return properties.size() + (options.check_deadlock ? 1 : 0); }

  // The state as stored: its symmetry representative when --symmetry is on.
  State canonical(State s) const {
    store_form(s);
    return s;
  }

  // Turns s into the state as stored, in place, and returns its fingerprint.
  std::uint64_t store_form(State& s) const {
    const std::uint64_t fp = [&] {
      if constexpr (HasCanonicalize<M>) {
        if (symmetry) return model.canonicalize(s);
      } else if constexpr (HasSymmetry<M>) {
        if (symmetry) s = model.representative(s);
      }
      return search_fingerprint(model, s);
    }();
    if (audit_) {
      if (std::string problem = audit_->check(fp, s); !problem.empty())
        report_nondeterminism(problem);
    }
    return fp;
  }

  // Bit i set: property i is noteworthy in s (an `always` one fails, a
  // `sometimes` one holds).
  std::uint64_t noteworthy(const State& s) const {
    std::uint64_t hits = 0;
    for (std::size_t i = 0; i < properties.size(); ++i) {
      if (is_liveness(properties[i].expectation)) continue;  // judged on the graph
      const bool holds = properties[i].condition(s);
      if (holds == (properties[i].expectation == Expectation::sometimes))
        hits |= std::uint64_t{1} << i;
    }
    return hits;
  }

  bool is_deadlock(const State& s) const {
    if (!options.check_deadlock) return false;
    if constexpr (HasTerminal<M>) return !model.is_terminal(s);
    return true;
  }

  bool expandable(const State& s) const {
    if constexpr (HasBoundary<M>) return model.within_boundary(s);
    (void)s;
    return true;
  }

  // Calls on_successor(action_index, canonical successor, fingerprint) for
  // every action of s that is a transition, in action order, and returns how
  // many there were. With --check-determinism each successor is computed
  // twice; a mismatch stops the search.
  template <class OnSuccessor>
  std::uint32_t for_each_successor(const State& s, std::vector<Action>& actions,
                                   OnSuccessor&& on_successor) const {
    actions.clear();
    model.actions(s, actions);
    if (actions.size() > kMaxActionsPerState)
      throw std::length_error(fmt::format("a state has {} actions; the explorers handle {}",
                                          actions.size(), kMaxActionsPerState));
    std::uint32_t generated = 0;
    if constexpr (HasNextStateInto<M>) {
      // One successor World per thread, assigned over for every successor:
      // its vectors keep their storage. on_successor may move from it.
      thread_local State next;
      for (std::size_t a = 0; a < actions.size(); ++a) {
        if (!model.next_state_into(s, actions[a], next)) continue;
        ++generated;
        const std::uint64_t fp = store_form(next);
        if (options.check_determinism) check_determinism(s, actions[a], fp);
        on_successor(static_cast<ActionIndex>(a), std::move(next), fp);
      }
    } else {
      for (std::size_t a = 0; a < actions.size(); ++a) {
        auto next = model.next_state(s, actions[a]);
        if (!next) continue;
        ++generated;
        State stored = std::move(*next);
        const std::uint64_t fp = store_form(stored);
        if (options.check_determinism) check_determinism(s, actions[a], fp);
        on_successor(static_cast<ActionIndex>(a), std::move(stored), fp);
      }
    }
    return generated;
  }

  // Replays a chain of action indices (as the explorers stored them, on
  // stored states) from initial state `init_index` and returns the real
  // actions. Under symmetry the stored states are representatives, so at each
  // step it picks the first action of the real state whose successor has the
  // stored successor's representative.
  Path<M> replay(std::size_t init_index, const std::vector<ActionIndex>& chain) const {
    Path<M> path;
    path.init_index = init_index;
    State real = model.init_states().at(init_index);
    State stored = canonical(real);
    std::vector<Action> stored_actions, real_actions;
    for (ActionIndex a : chain) {
      stored_actions.clear();
      model.actions(stored, stored_actions);
      auto next_stored = model.next_state(stored, stored_actions.at(a));
      if (!next_stored) throw std::logic_error("replay: a stored step is no longer a transition");
      stored = canonical(std::move(*next_stored));
      if (!symmetry) {
        path.actions.push_back(stored_actions[a]);
        continue;
      }
      const std::uint64_t target = search_fingerprint(model, stored);
      real_actions.clear();
      model.actions(real, real_actions);
      bool found = false;
      for (const auto& action : real_actions) {
        auto next_real = model.next_state(real, action);
        if (next_real && search_fingerprint(model, canonical(*next_real)) == target) {
          real = std::move(*next_real);
          path.actions.push_back(action);
          found = true;
          break;
        }
      }
      if (!found)
        throw std::logic_error(
            "replay: representative() does not commute with the model's steps (not a symmetry)");
    }
    return path;
  }

  // Whether some property is judged on the state graph (liveness.hpp).
  bool has_liveness() const {
    for (const auto& p : properties)
      if (is_liveness(p.expectation)) return true;
    return false;
  }

  static Outcome initial_outcome(Expectation e) {
    switch (e) {
      case Expectation::always:
        return Outcome::holds;
      case Expectation::sometimes:
        return Outcome::not_reached;
      default:
        return Outcome::unchecked;  // until the graph analysis judges it
    }
  }

  // The result skeleton: every property not yet seen, plus deadlock.
  SearchResult<M> empty_result() const {
    SearchResult<M> result;
    for (const auto& p : properties)
      result.properties.push_back({p.name, p.expectation, initial_outcome(p.expectation), {}, {}});
    if (options.check_deadlock)
      result.properties.push_back({kDeadlockProperty, Expectation::always, Outcome::holds, {}, {}});
    return result;
  }

  mutable std::string nondeterminism;  // written under nondeterminism_mutex_, read after the search

  // Records the first failed self-check of --check-determinism and stops.
  void report_nondeterminism(const std::string& what) const {
    std::lock_guard lock(nondeterminism_mutex_);
    if (nondeterminism.empty()) nondeterminism = what;
    monitor.stop("nondeterminism");
  }

 private:
  void check_determinism(const State& s, const Action& action, std::uint64_t fp) const {
    auto again = model.next_state(s, action);
    const std::uint64_t fp2 = again ? search_fingerprint(model, canonical(std::move(*again))) : 0;
    if (again && fp2 == fp) return;
    report_nondeterminism(fmt::format("action {} gave two different successors of the same state",
                                      model.action_json(action).dump()));
  }
  mutable std::mutex nondeterminism_mutex_;
  std::unique_ptr<FingerprintAudit<State>> audit_;  // null: not audited
};

}  // namespace verdict
