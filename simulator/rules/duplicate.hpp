// Duplicate (Verdi): a packet in flight is copied; the copy joins the bag
// (on an ordered network, at the tail of its link). A fault: counted against
// the run's duplicate budget.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Duplicate {
  using Label = PacketStep<S, StepKind::duplicate>;

  static void enabled(const StepContext<S>& ctx, const World<S>& w,
                      std::vector<verdict::Label<S>>& out) {
    if (!ctx.semantics.within_budget(StepKind::duplicate, w.faults_used)) return;
    for_each_distinct_packet(w, [&](std::size_t i) {
      const auto& p = w.packets[i];
      out.emplace_back(Label{p.from, p.to, p.msg});
    });
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    auto i = find_packet(w, step.from, step.to, step.msg);
    if (!i || !ctx.semantics.within_budget(StepKind::duplicate, w.faults_used))
      return StepResult::not_enabled;
    add_packet(ctx.semantics, w, Packet<S>(w.packets[*i]));
    ++w.faults_used[StepKind::duplicate];
    return StepResult::applied;
  }
};

}  // namespace verdict::rules
