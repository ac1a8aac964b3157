// Crash (Verdi's fail): an up node stops. Its state is kept but frozen until
// a reboot, its timers are cancelled, and packets addressed to it stay in
// flight (they may be dropped, or delivered after a reboot). A fault:
// counted against the run's crash budget.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Crash {
  using Label = NodeStep<StepKind::crash>;

  static void enabled(const StepContext<S>& ctx, const World<S>& w,
                      std::vector<verdict::Label<S>>& out) {
    enable_node_fault<S, Label>(ctx, w, StepKind::crash, true, out);
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    if (step.node >= w.node_count() || !w.is_up(step.node) ||
        !ctx.semantics.within_budget(StepKind::crash, w.faults_used))
      return StepResult::not_enabled;
    w.set_up(step.node, false);
    std::erase_if(w.timers, [&](const ArmedTimer<S>& t) { return t.node == step.node; });
    ++w.faults_used[StepKind::crash];
    return StepResult::applied;
  }
};

}  // namespace verdict::rules
