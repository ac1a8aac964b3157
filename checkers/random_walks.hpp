// Random exploration: seeded random walks over any Model, in parallel, for
// the deep runs that exhaustive search cannot reach (FoundationDB's
// simulator, TigerBeetle's VOPR). Walk i is driven only by a generator
// seeded from (seed, i), so a walk is the same whichever thread runs it.
//
// The walks run in a TBB pipeline: an in-order source hands out walk
// numbers, walks run in parallel, the expensive end-of-walk checks
// (Property::at_end, e.g. linearizability of the I/O history) run in
// parallel on whatever cores are free while later walks go on, and an
// in-order sink merges results in walk order. The sink stops at the lowest
// failing walk and ignores walks after it, so the verdict, the counterexample
// and every count are the same at any thread count; only time limits and
// interrupts make a run depend on speed.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include "checkers/hyperloglog.hpp"
#include "checkers/model.hpp"
#include "checkers/search_types.hpp"
#include "checkers/tsan_sync.hpp"
#include "checkers/walk_random.hpp"

namespace verdict {

template <class M>
struct WalkViolation {
  std::uint64_t walk = 0;
  std::size_t property = 0;  // index into the model's properties
  Path<M> path;
  std::map<std::string, double> mix;  // the walk's weights (swarm), by kind name
};

// simulate's liveness heuristic (docs/explorer.md): a walk that ran its full
// depth while a liveness property's goal stayed unmet through the last half
// of it or more, counted from its last fault, or that stopped where no step
// was enabled with the goal still owed. A hint at a livelock, not a proof: a
// random walk is not fair, and a longer one might still reach the goal.
template <class M>
struct WalkSuspect {
  std::uint64_t walk = 0;
  std::size_t property = 0;       // index into the model's properties
  std::uint64_t quiet_steps = 0;  // the last steps, after the last fault, without the goal
  bool stopped = false;           // the walk ended where no step was enabled
  Path<M> path;
  std::map<std::string, double> mix;
};

// What the walks found, but the paths: the part of a WalkResult that does not
// depend on the model's type, so reports about it compile once.
struct WalkStats {
  std::uint64_t walks = 0;  // walks merged: first_walk .. the last one counted
  std::uint64_t steps = 0;
  std::uint64_t histories_checked = 0;         // end-of-walk checks run
  double distinct_states = 0;                  // HyperLogLog estimate
  std::vector<std::uint64_t> depth_histogram;  // walks by length, in buckets of depth/10
  double seconds = 0;
  bool complete = false;  // every requested walk ran (or one failed)
  std::string stop_reason;
  std::uint64_t suspected_walks = 0;       // walks the liveness heuristic suspects
  std::uint64_t suspected_properties = 0;  // bit i: property i suspected in some walk
  std::vector<std::string> property_names;
  std::vector<Expectation> property_kinds;  // parallel to property_names
  std::vector<bool> property_at_end;        // checked once per walk, at its end
  std::uint64_t sometimes_reached = 0;      // bit i: `sometimes` property i held in a walk
};

template <class M>
struct WalkResult : WalkStats {
  std::optional<WalkViolation<M>> violation;
  std::optional<WalkSuspect<M>> suspect;  // the lowest-numbered suspected walk
};

namespace walk_detail {

template <class M>
std::vector<std::string> kinds_of(const M& model) {
  if constexpr (requires { model.action_kinds(); })
    return model.action_kinds();
  else
    return {"step"};
}

template <class M>
std::size_t kind_of(const M& model, const typename M::Action& a) {
  if constexpr (requires { model.action_kind(a); })
    return model.action_kind(a);
  else
    return 0;
}

}  // namespace walk_detail

template <Model M>
class RandomWalker {
 public:
  using State = typename M::State;
  using Action = typename M::Action;

  RandomWalker(const M& model, WalkOptions options)
      : model_(model),
        options_(std::move(options)),
        properties_(model.properties()),
        kinds_(walk_detail::kinds_of(model)),
        inits_(model.init_states()) {
    // Per-property results are bit masks (sometimes_reached, suspected_properties).
    if (properties_.size() > 64)
      throw std::invalid_argument("random walks follow at most 64 properties of a model");
    base_weights_.assign(kinds_.size(), 1.0);
    for (const auto& kind : kinds_) is_fault_.push_back(is_fault_kind(kind));
    for (std::size_t i = 0; i < properties_.size(); ++i)
      if (is_liveness(properties_[i].expectation)) liveness_.push_back(i);
    for (std::size_t k = 0; k < kinds_.size(); ++k)
      if (auto it = options_.weights.find(kinds_[k]); it != options_.weights.end())
        base_weights_[k] = it->second;
  }

  const std::vector<std::string>& kinds() const { return kinds_; }

  WalkResult<M> run() {
    const auto start = std::chrono::steady_clock::now();
    WalkResult<M> result;
    for (const auto& p : properties_) {
      result.property_names.push_back(p.name);
      result.property_kinds.push_back(p.expectation);
      result.property_at_end.push_back(p.at_end);
    }
    const std::uint64_t buckets = 10;
    result.depth_histogram.assign(buckets + 1, 0);
    HyperLogLog distinct;
    std::uint64_t next_walk = options_.first_walk;
    const std::uint64_t end_walk = options_.first_walk + options_.walks;
    std::atomic<bool> stop{false};
    auto last_progress = start;
    // TSan cannot see TBB hand items from filter to filter (Debian's TBB is
    // not instrumented); each filter holds this one edge while it runs,
    // which states the pipeline's ordering for it.
    const int handoff = 0;
    tsan_release(&handoff);

    auto elapsed = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };

    tbb::task_arena arena(static_cast<int>(std::max(1U, options_.threads)));
    arena.execute([&] {
      tbb::parallel_pipeline(
          std::max<std::size_t>(4, 4 * options_.threads),
          tbb::make_filter<void, std::uint64_t>(
              tbb::filter_mode::serial_in_order,
              [&](tbb::flow_control& fc) -> std::uint64_t {
                TsanScope scope(&handoff);
                if (stop || next_walk >= end_walk) {
                  fc.stop();
                  return 0;
                }
                if (options_.interrupt && options_.interrupt->load()) {
                  result.stop_reason = "interrupted";
                  stop = true;
                } else if (options_.time_limit_seconds &&
                           elapsed() > *options_.time_limit_seconds) {
                  result.stop_reason = "time-limit";
                  stop = true;
                }
                if (stop) {
                  fc.stop();
                  return 0;
                }
                return next_walk++;
              }) &
              tbb::make_filter<std::uint64_t, Walk>(tbb::filter_mode::parallel,
                                                    [&](std::uint64_t i) {
                                                      TsanScope scope(&handoff);
                                                      return walk(i);
                                                    }) &
              tbb::make_filter<Walk, Walk>(tbb::filter_mode::parallel,
                                           [&](Walk w) {
                                             TsanScope scope(&handoff);
                                             check_at_end(w);
                                             return w;
                                           }) &
              tbb::make_filter<Walk, void>(tbb::filter_mode::serial_in_order, [&](Walk w) {
                TsanScope scope(&handoff);
                if (result.violation) return;  // walks after the first failure do not count
                ++result.walks;
                result.steps += w.path.actions.size();
                result.histories_checked += w.checked_at_end ? 1 : 0;
                result.sometimes_reached |= w.reached;
                distinct.merge(w.seen);
                const std::uint64_t bucket =
                    options_.depth == 0 ? 0 : w.path.actions.size() * buckets / options_.depth;
                ++result.depth_histogram[std::min(bucket, buckets)];
                if (w.violated) {
                  result.violation = WalkViolation<M>{w.index, *w.violated, std::move(w.path),
                                                      mix_by_name(w.weights)};
                  stop = true;
                } else if (w.suspected) {
                  ++result.suspected_walks;
                  result.suspected_properties |= std::uint64_t{1} << *w.suspected;
                  if (!result.suspect)
                    result.suspect =
                        WalkSuspect<M>{w.index,    *w.suspected,      w.quiet_steps,
                                       w.dead_end, std::move(w.path), mix_by_name(w.weights)};
                }
                if (options_.progress) {
                  auto now = std::chrono::steady_clock::now();
                  if (now - last_progress > std::chrono::seconds(3)) {
                    last_progress = now;
                    std::fprintf(stderr, "  %llu walks, %llu steps, %.0f walks/s\n",
                                 static_cast<unsigned long long>(result.walks),
                                 static_cast<unsigned long long>(result.steps),
                                 static_cast<double>(result.walks) / elapsed());
                  }
                }
              }));
    });
    tsan_acquire(&handoff);
    result.distinct_states = distinct.estimate();
    result.complete = result.violation.has_value() || result.walks == options_.walks;
    if (result.violation) result.stop_reason = "violation";
    result.seconds = elapsed();
    return result;
  }

  // One walk, from scratch: what the sink and a reproduction need.
  struct Walk {
    std::uint64_t index = 0;
    Path<M> path;
    std::optional<State> final_state;
    std::optional<std::size_t> violated;
    std::optional<std::size_t> suspected;  // a liveness property (WalkSuspect)
    std::uint64_t quiet_steps = 0;
    bool dead_end = false;      // it stopped where no step was enabled
    std::uint64_t reached = 0;  // bit i: `sometimes` property i held in a state of the walk
    bool checked_at_end = false;
    std::vector<double> weights;
    HyperLogLog seen;
  };

  Walk walk(std::uint64_t index) const {
    Walk w;
    w.index = index;
    WalkRandom rng(options_.seed, index);
    w.weights = weights_for(rng);
    w.path.init_index = inits_.size() == 1 ? 0 : rng.below(inits_.size());
    State state = inits_[w.path.init_index];
    w.seen.add(search_fingerprint(model_, state));
    note_reached(state, w);
    if ((w.violated = violated_now(state))) return w;
    GoalWatch goals(properties_, liveness_);
    goals.see(state, 0);

    std::vector<Action> actions;
    std::vector<double> cumulative;
    for (std::uint64_t d = 0; d < options_.depth; ++d) {
      actions.clear();
      model_.actions(state, actions);
      std::optional<State> next;
      // Draw by weight; an action that turns out not to be a transition is
      // removed and the draw repeated.
      while (!actions.empty() && !next) {
        cumulative.clear();
        double total = 0;
        for (const auto& a : actions) {
          total += w.weights[walk_detail::kind_of(model_, a)];
          cumulative.push_back(total);
        }
        if (total <= 0) break;
        const double x = rng.unit() * total;
        std::size_t pick = static_cast<std::size_t>(
            std::upper_bound(cumulative.begin(), cumulative.end(), x) - cumulative.begin());
        pick = std::min(pick, actions.size() - 1);
        next = model_.next_state(state, actions[pick]);
        if (next) {
          w.path.actions.push_back(actions[pick]);
          if (is_fault_[walk_detail::kind_of(model_, actions[pick])]) goals.fault_at(d + 1);
        } else
          actions.erase(actions.begin() + static_cast<std::ptrdiff_t>(pick));
      }
      if (!next) {  // nothing more can happen (or may, by the weights): the walk ends here
        w.dead_end = actions.empty();
        break;
      }
      state = std::move(*next);
      w.seen.add(search_fingerprint(model_, state));
      note_reached(state, w);
      if ((w.violated = violated_now(state))) return w;
      goals.see(state, d + 1);
    }
    if (w.dead_end || w.path.actions.size() == options_.depth)
      goals.suspect(w.path.actions.size(), w.dead_end, w);
    w.final_state = std::move(state);
    return w;
  }

 private:
  // Per liveness property, the step from which its goal has been unmet with
  // an obligation open (leads-to: the trigger held then; eventually: from
  // the start), and the step just after the walk's last fault.
  class GoalWatch {
   public:
    GoalWatch(const std::vector<Property<State>>& properties,
              const std::vector<std::size_t>& liveness)
        : properties_(properties), liveness_(liveness), open_(properties.size()) {}
    void see(const State& s, std::uint64_t step) {
      for (std::size_t i : liveness_) {
        const auto& p = properties_[i];
        if (p.condition(s))
          open_[i].reset();
        else if (!open_[i] && (p.expectation == Expectation::eventually ? step == 0 : p.trigger(s)))
          open_[i] = step;
      }
    }
    void fault_at(std::uint64_t step) { quiet_from_ = step; }
    // The first property whose goal stayed unmet through at least the last
    // half of a walk of `steps` steps, counted from the later of its
    // obligation and the last fault; or, where the walk stopped because no
    // step was enabled, whose obligation is open there at all.
    void suspect(std::uint64_t steps, bool dead_end, Walk& w) const {
      for (std::size_t i : liveness_) {
        if (!open_[i]) continue;
        const std::uint64_t quiet = steps - std::min(steps, std::max(*open_[i], quiet_from_));
        if (dead_end || (2 * quiet >= steps && quiet > 0)) {
          w.suspected = i;
          w.quiet_steps = quiet;
          return;
        }
      }
    }

   private:
    const std::vector<Property<State>>& properties_;
    const std::vector<std::size_t>& liveness_;
    std::vector<std::optional<std::uint64_t>> open_;
    std::uint64_t quiet_from_ = 0;
  };

  // A `sometimes` property is looked for in every state of a walk until the
  // walk has seen it hold.
  void note_reached(const State& s, Walk& w) const {
    for (std::size_t i = 0; i < properties_.size(); ++i)
      if (properties_[i].expectation == Expectation::sometimes && !((w.reached >> i) & 1U) &&
          properties_[i].condition(s))
        w.reached |= std::uint64_t{1} << i;
  }

  std::optional<std::size_t> violated_now(const State& s) const {
    for (std::size_t i = 0; i < properties_.size(); ++i)
      if (properties_[i].expectation == Expectation::always && !properties_[i].at_end &&
          !properties_[i].condition(s))
        return i;
    return std::nullopt;
  }

  void check_at_end(Walk& w) const {
    if (w.violated || !w.final_state) return;
    for (std::size_t i = 0; i < properties_.size(); ++i) {
      if (!properties_[i].at_end) continue;
      w.checked_at_end = true;
      if (!properties_[i].condition(*w.final_state)) {
        w.violated = i;
        break;
      }
    }
    w.final_state.reset();
  }

  // Swarm testing: each walk draws its own mix — every kind of action gets a
  // weight from 1..10, and each fault is left out with probability 1/2 —
  // so some walks see no drops, others heavy partitions or many crashes,
  // which finds bugs that one uniform mix makes too rare.
  std::vector<double> weights_for(WalkRandom& rng) const {
    if (!options_.swarm) return base_weights_;
    std::vector<double> w = base_weights_;
    for (std::size_t k = 0; k < kinds_.size(); ++k) {
      const bool fault = is_fault_kind(kinds_[k]);
      if (fault && rng.below(2) == 0)
        w[k] = 0;
      else
        w[k] *= static_cast<double>(1 + rng.below(10));
    }
    return w;
  }

  static bool is_fault_kind(const std::string& kind) {
    for (const char* fault : {"drop", "duplicate", "crash", "reboot", "partition"})
      if (kind == fault) return true;
    return false;
  }

  std::map<std::string, double> mix_by_name(const std::vector<double>& weights) const {
    std::map<std::string, double> out;
    for (std::size_t k = 0; k < kinds_.size(); ++k) out[kinds_[k]] = weights[k];
    return out;
  }

  const M& model_;
  WalkOptions options_;
  std::vector<Property<State>> properties_;
  std::vector<std::string> kinds_;
  std::vector<State> inits_;
  std::vector<double> base_weights_;
  std::vector<bool> is_fault_;         // by kind
  std::vector<std::size_t> liveness_;  // indices of the liveness properties
};

}  // namespace verdict
