// Timeout (Verdict): an armed timer at an up node fires; it is disarmed and
// on_timeout runs (which may arm it again). Timers carry no time: any armed
// timer may fire at any point, which covers every relative speed of clocks.
// Part of the normal semantics, not a fault.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Timeout {
  using Label = TimeoutStep<S>;
  static constexpr StepKind kind = StepKind::timeout;

  template <class Out>
  static void enabled(const StepContext<S>&, const World<S>& w, Out& out) {
    for (const auto& armed : w.timers)
      if (w.is_up(armed.node)) out.emplace_back(Label{armed.node, armed.timer});
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    ArmedTimer<S> entry{step.node, step.timer};
    auto it = std::lower_bound(w.timers.begin(), w.timers.end(), entry);
    if (it == w.timers.end() || !(*it == entry) || !w.is_up(step.node))
      return StepResult::not_enabled;
    w.timers.erase(it);
    Effects<S>& fx = fresh_effects<S>();
    ctx.system.on_timeout(step.node, w.states[step.node], step.timer, fx);
    apply_effects(ctx.system, ctx.semantics, ctx.workload, w, step.node, fx);
    return StepResult::applied;
  }

  // The label in trace files and for people (steps.hpp: label_to_json, label_text).
  static void write(const Label& step, nlohmann::json& j) {
    j["node"] = step.node;
    j["timer"] = step.timer;
  }
  static Label read(const nlohmann::json& j) {
    return {detail::label_node(j, "node"), detail::label_value<typename S::Timer>(j, "timer")};
  }
  static std::string text(const Label& step) {
    return fmt::format("timeout n{} {}", step.node, nlohmann::json(step.timer).dump());
  }
};

}  // namespace verdict::rules
