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

  static void enabled(const StepContext<S>&, const World<S>& w,
                      std::vector<verdict::Label<S>>& out) {
    for (const auto& armed : w.timers)
      if (w.is_up(armed.node)) out.emplace_back(Label{armed.node, armed.timer});
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    ArmedTimer<S> entry{step.node, step.timer};
    auto it = std::lower_bound(w.timers.begin(), w.timers.end(), entry);
    if (it == w.timers.end() || !(*it == entry) || !w.is_up(step.node))
      return StepResult::not_enabled;
    w.timers.erase(it);
    Effects<S> fx;
    ctx.system.on_timeout(step.node, w.states[step.node], step.timer, fx);
    apply_effects(ctx.system, ctx.semantics, ctx.workload, w, step.node, fx);
    return StepResult::applied;
  }
};

}  // namespace verdict::rules
