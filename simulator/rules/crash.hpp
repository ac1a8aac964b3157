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
  static constexpr StepKind kind = StepKind::crash;

  template <class Out>
  static void enabled(const StepContext<S>& ctx, const World<S>& w, Out& out) {
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

  // The label in trace files and for people (steps.hpp: label_to_json, label_text).
  static void write(const Label& step, nlohmann::json& j) { j["node"] = step.node; }
  static Label read(const nlohmann::json& j) { return {detail::label_node(j, "node")}; }
  static std::string text(const Label& step) { return node_label_text(kind, step.node); }
};

}  // namespace verdict::rules
