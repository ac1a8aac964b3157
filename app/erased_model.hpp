// ErasedModel<M>: any concrete Model behind the AnyModel interface. Search
// (check) and step-by-step runs (replay, shrink) are instantiated here for
// the concrete type, so the hot paths stay templates.
#pragma once

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <type_traits>

#include <fmt/format.h>

#include "app/any_model.hpp"
#include "app/check_runner.hpp"
#include "checkers/random_walks.hpp"

namespace verdict {

// Optional parts of a Model that traces use:
//   action_from_json(json) -> Action       read a label back (throws on bad input)
//   action_text(action) -> string          a one-line label for people
//   describe_step(before, action, after) -> json   what a step changed
template <class M>
concept HasActionParsing = requires(const M& m, const nlohmann::json& j) {
  { m.action_from_json(j) } -> std::convertible_to<typename M::Action>;
};

template <Model M>
class ErasedModel final : public AnyModel {
 public:
  explicit ErasedModel(M model, ModelConfig config)
      : model_(std::move(model)), config_(std::move(config)) {}

  CheckOutcome check(const CheckRequest& request) const override {
    // A reduction the model cannot do is refused, not silently skipped (the
    // report would claim it).
    bool has_symmetry = HasSymmetry<M>;
    if constexpr (requires { model_.has_symmetry(); }) has_symmetry = model_.has_symmetry();
    if (request.search.symmetry && !has_symmetry)
      throw UsageError(fmt::format(
          "--symmetry: model {} declares no symmetry (no representative())", request.model));
    auto result = explore(model_, request.search);
    CheckOutcome out{search_report(model_, request, result, semantics()), 0, std::nullopt};
    out.exit_code = check_exit_code(out.report);
    if (result.violation) {
      const auto& property = result.properties[*result.violation];
      out.trace =
          trace_of(*property.example, property.name,
                   {{"command", "check"}, {"strategy", to_string(request.search.strategy)}});
      out.trace->cycle_steps = property.cycle;
    }
    return out;
  }

  CheckOutcome simulate(const SimulateRequest& request) const override {
    RandomWalker<M> walker(model_, request.walk);
    auto result = walker.run();
    CheckOutcome out{walk_report(request, result, walker.kinds()), exit_code::ok, std::nullopt};
    // The walk's trace, as simulate found it (`seed` and the walk rerun it).
    auto walk_trace = [&](const Path<M>& path, const std::string& property, std::uint64_t walk,
                          const std::map<std::string, double>& mix) {
      TraceFile t = trace_of(path, property,
                             {{"command", "simulate"},
                              {"walk", walk},
                              {"depth", request.walk.depth},
                              {"swarm", request.walk.swarm},
                              {"mix", mix}});
      t.seed = request.walk.seed;
      return t;
    };
    if (result.violation) {
      const auto& v = *result.violation;
      out.exit_code = exit_code::violation;
      out.trace = walk_trace(v.path, result.property_names[v.property], v.walk, v.mix);
    } else if (result.suspect) {
      // Not a violation: the trace records no violated property, so replay
      // runs it through and explore or export show it.
      const auto& s = *result.suspect;
      out.trace = walk_trace(s.path, "", s.walk, s.mix);
      out.trace->violation_step.reset();
      out.trace->origin["suspected"] = result.property_names[s.property];
      out.trace->origin["quiet_steps"] = s.quiet_steps;
    }
    if (!result.violation && !result.complete) out.exit_code = exit_code::incomplete;
    return out;
  }

  std::size_t init_count() const override { return model_.init_states().size(); }

  std::vector<std::string> liveness_names() const override {
    std::vector<std::string> names;
    for (const auto& p : model_.properties())
      if (is_liveness(p.expectation)) names.push_back(p.name);
    return names;
  }

  std::vector<std::string> invariant_names() const override {
    std::vector<std::string> names;
    for (const auto& p : model_.properties())
      if (p.expectation == Expectation::always) names.push_back(p.name);
    return names;
  }

  RunRecord run(std::size_t init_index, const std::vector<nlohmann::json>& labels,
                bool stop_at_violation) const override {
    RunRecord record;
    auto inits = model_.init_states();
    if (init_index >= inits.size()) {
      record.stuck_at = 0;
      record.stuck_reason = fmt::format("init_index {} but the model has {} initial states",
                                        init_index, inits.size());
      return record;
    }
    const auto properties = model_.properties();
    auto state = std::move(inits[init_index]);
    record.initial_fingerprint = fingerprint_hex(model_.fingerprint(state));
    record.initially_violated = violated(properties, state);
    record.initial_liveness = liveness_marks(properties, state, true);
    if (stop_at_violation && !record.initially_violated.empty()) return record;

    for (std::size_t i = 0; i < labels.size(); ++i) {
      auto action = parse(labels[i], record, i);
      if (!action) return record;
      auto next = model_.next_state(state, *action);
      if (!next) {
        record.stuck_at = i;
        record.stuck_reason = "the step is not enabled in the world reached so far";
        return record;
      }
      StepRecord step = record_step(properties, state, *action, *next);
      bool stop = stop_at_violation && !step.violated.empty();
      record.steps.push_back(std::move(step));
      state = std::move(*next);
      if (stop) break;
    }
    return record;
  }

  nlohmann::json evidence(std::size_t init_index, const std::vector<nlohmann::json>& labels,
                          const std::string& property) const override {
    const auto properties = model_.properties();
    auto p = std::find_if(properties.begin(), properties.end(),
                          [&](const auto& q) { return q.name == property; });
    auto inits = model_.init_states();
    if (p == properties.end() || !p->evidence || init_index >= inits.size()) return nullptr;
    auto state = std::move(inits[init_index]);
    RunRecord ignored;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      auto action = parse(labels[i], ignored, i);
      if (!action) return nullptr;
      auto next = model_.next_state(state, *action);
      if (!next) return nullptr;
      state = std::move(*next);
    }
    return p->evidence(state);
  }

  std::shared_ptr<const HeldState> initial(std::size_t init_index) const override {
    auto inits = model_.init_states();
    if (init_index >= inits.size())
      throw UsageError(fmt::format("init_index {} but the model has {} initial states", init_index,
                                   inits.size()));
    return std::make_shared<Held>(std::move(inits[init_index]));
  }

  StateView view(const HeldState& held) const override {
    const auto& s = state_of(held);
    StateView v;
    if constexpr (requires { model_.state_json(s); })
      v.state = model_.state_json(s);
    else if constexpr (std::is_constructible_v<nlohmann::json, const typename M::State&>)
      v.state = s;
    v.fingerprint = fingerprint_hex(model_.fingerprint(s));
    v.violated = violated(model_.properties(), s);
    return v;
  }

  std::vector<EnabledStep> enabled(const HeldState& held) const override {
    std::vector<EnabledStep> out;
    for (const auto& a : transitions(state_of(held)))
      out.push_back({model_.action_json(a), text_of(a)});
    return out;
  }

  std::optional<TakenStep> take(const HeldState& held, std::size_t index) const override {
    auto actions = transitions(state_of(held));
    if (index >= actions.size()) return std::nullopt;
    return take_action(state_of(held), actions[index]);
  }

  std::optional<TakenStep> take(const HeldState& held, const nlohmann::json& label) const override {
    RunRecord unused;
    auto action = parse(label, unused, 0);
    if (!action) throw std::invalid_argument(unused.stuck_reason);
    return take_action(state_of(held), *action);
  }

 private:
  struct Held final : HeldState {
    explicit Held(typename M::State s) : state(std::move(s)) {}
    typename M::State state;
  };
  static const typename M::State& state_of(const HeldState& held) {
    return dynamic_cast<const Held&>(held).state;
  }

  std::string text_of(const typename M::Action& a) const {
    if constexpr (requires { model_.action_text(a); })
      return model_.action_text(a);
    else
      return model_.action_json(a).dump();
  }

  // The enabled actions that are transitions (next_state gives a state).
  std::vector<typename M::Action> transitions(const typename M::State& s) const {
    std::vector<typename M::Action> actions, out;
    model_.actions(s, actions);
    for (auto& a : actions)
      if (model_.next_state(s, a)) out.push_back(std::move(a));
    return out;
  }

  std::optional<TakenStep> take_action(const typename M::State& s,
                                       const typename M::Action& a) const {
    auto next = model_.next_state(s, a);
    if (!next) return std::nullopt;
    auto again = model_.next_state(s, a);
    if (!again || model_.fingerprint(*again) != model_.fingerprint(*next))
      throw std::runtime_error(fmt::format(
          "\"{}\" gave two different worlds from the same one: a handler is nondeterministic "
          "(it read a clock, a random number, or iterated an unordered container)",
          text_of(a)));
    TakenStep taken{record_step(model_.properties(), s, a, *next), nullptr};
    taken.state = std::make_shared<Held>(std::move(*next));
    return taken;
  }

  StepRecord record_step(const std::vector<Property<typename M::State>>& properties,
                         const typename M::State& before, const typename M::Action& a,
                         const typename M::State& after) const {
    StepRecord step;
    step.label = model_.action_json(a);
    step.text = text_of(a);
    step.fingerprint = fingerprint_hex(model_.fingerprint(after));
    if constexpr (requires { model_.describe_step(before, a, after); })
      step.touched = model_.describe_step(before, a, after);
    step.violated = violated(properties, after);
    step.liveness = liveness_marks(properties, after, false);
    return step;
  }

  // The trace file of a path: the model's configuration and every step with
  // its fingerprint, from a fresh run of the path.
  TraceFile trace_of(const Path<M>& path, const std::string& property,
                     nlohmann::json origin) const {
    std::vector<nlohmann::json> labels;
    for (const auto& a : path.actions) labels.push_back(model_.action_json(a));
    TraceFile trace;
    record_config(config_, trace);
    trace.origin = std::move(origin);
    trace.property = property;
    trace.violation_step = labels.size();
    trace.init_index = path.init_index;
    RunRecord run_record = run(trace.init_index, labels, false);
    trace.initial_fingerprint = run_record.initial_fingerprint;
    for (auto& step : run_record.steps)
      trace.steps.push_back({step.label, step.fingerprint, step.text, step.touched});
    trace.evidence = evidence(trace.init_index, labels, property);
    return trace;
  }

  nlohmann::json walk_report(const SimulateRequest& request, const WalkResult<M>& r,
                             const std::vector<std::string>& kinds) const {
    std::optional<WalkReport> violation, suspect;
    if (r.violation) {
      const auto& v = *r.violation;
      violation = WalkReport{v.property, v.walk, path_report(model_, v.path), v.mix, 0, false};
    }
    if (r.suspect) {
      const auto& s = *r.suspect;
      suspect = WalkReport{s.property, s.walk,        path_report(model_, s.path),
                           s.mix,      s.quiet_steps, s.stopped};
    }
    return verdict::walk_report(request, r, kinds, violation, suspect, semantics());
  }

  const Semantics* semantics() const {
    if constexpr (requires { model_.semantics_if_any(); })
      return model_.semantics_if_any();
    else if constexpr (requires { model_.semantics(); })
      return &model_.semantics();
    else
      return nullptr;
  }

  static std::vector<std::string> violated(
      const std::vector<Property<typename M::State>>& properties, const typename M::State& s) {
    std::vector<std::string> names;
    for (const auto& p : properties)
      if (p.expectation == Expectation::always && !p.condition(s)) names.push_back(p.name);
    return names;
  }

  // Per liveness property (in property order): 't' its trigger holds (leads-to
  // only), 'g' its goal holds, 'b' both, '-' neither. "eventually Q" is
  // "initial leads-to Q": its trigger holds in the initial state only.
  static std::string liveness_marks(const std::vector<Property<typename M::State>>& properties,
                                    const typename M::State& s, bool initial) {
    std::string marks;
    for (const auto& p : properties) {
      if (!is_liveness(p.expectation)) continue;
      const bool t = p.expectation == Expectation::eventually ? initial : p.trigger && p.trigger(s);
      const bool g = p.condition(s);
      marks.push_back(t && g ? 'b' : t ? 't' : g ? 'g' : '-');
    }
    return marks;
  }

  std::optional<typename M::Action> parse(const nlohmann::json& label, RunRecord& record,
                                          std::size_t i) const {
    if constexpr (HasActionParsing<M>) {
      try {
        return model_.action_from_json(label);
      } catch (const std::exception& e) {
        record.stuck_at = i;
        record.stuck_reason = fmt::format("bad label {}: {}", label.dump(), e.what());
        record.stuck_on_bad_label = true;
        return std::nullopt;
      }
    } else {
      record.stuck_at = i;
      record.stuck_reason = "this model cannot read labels back from JSON";
      record.stuck_on_bad_label = true;
      return std::nullopt;
    }
  }

  M model_;
  ModelConfig config_;
};

template <Model M>
std::unique_ptr<AnyModel> make_any_model(M model, ModelConfig config) {
  return std::make_unique<ErasedModel<M>>(std::move(model), std::move(config));
}

}  // namespace verdict
