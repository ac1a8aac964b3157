// Reboot (Verdi): a failed node comes back. on_reboot decides what of its
// state survived the crash (what it had made durable) and may re-arm timers.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Reboot {
  using Label = NodeStep<StepKind::reboot>;
  static constexpr StepKind kind = StepKind::reboot;

  template <class Out>
  static void enabled(const StepContext<S>& ctx, const World<S>& w, Out& out) {
    enable_node_fault<S, Label>(ctx, w, StepKind::reboot, false, out);
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    if (step.node >= w.node_count() || w.is_up(step.node) ||
        !ctx.semantics.within_budget(StepKind::reboot, w.faults_used))
      return StepResult::not_enabled;
    w.set_up(step.node, true);
    ++w.faults_used[StepKind::reboot];
    Effects<S>& fx = fresh_effects<S>();
    ctx.system.on_reboot(step.node, w.states[step.node], fx);
    apply_effects(ctx.system, ctx.semantics, ctx.workload, w, step.node, fx);
    return StepResult::applied;
  }

  // The label in trace files and for people (steps.hpp: label_to_json, label_text).
  static void write(const Label& step, nlohmann::json& j) { j["node"] = step.node; }
  static Label read(const nlohmann::json& j) { return {detail::label_node(j, "node")}; }
  static std::string text(const Label& step) { return node_label_text(kind, step.node); }
};

}  // namespace verdict::rules
