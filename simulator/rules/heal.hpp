// Heal (Verdict): every link works again after a partition.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Heal {
  using Label = HealStep;

  static void enabled(const StepContext<S>&, const World<S>& w,
                      std::vector<verdict::Label<S>>& out) {
    if (w.partition != 0) out.emplace_back(Label{});
  }

  static StepResult apply(const StepContext<S>&, World<S>& w, const Label&) {
    if (w.partition == 0) return StepResult::not_enabled;
    w.partition = 0;
    return StepResult::applied;
  }
};

}  // namespace verdict::rules
