// Heal (Verdict): every link works again after a partition.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Heal {
  using Label = HealStep;
  static constexpr StepKind kind = StepKind::heal;

  template <class Out>
  static void enabled(const StepContext<S>&, const World<S>& w, Out& out) {
    if (w.partition != 0) out.emplace_back(Label{});
  }

  static StepResult apply(const StepContext<S>&, World<S>& w, const Label&) {
    if (w.partition == 0) return StepResult::not_enabled;
    w.partition = 0;
    return StepResult::applied;
  }

  // The label in trace files and for people (steps.hpp: label_to_json, label_text).
  static void write(const Label&, nlohmann::json&) {}
  static Label read(const nlohmann::json&) { return {}; }
  static std::string text(const Label&) { return "heal"; }
};

}  // namespace verdict::rules
