// Drop (Verdi): a packet in flight is lost. Exactly one copy leaves the bag.
// A fault: counted against the run's drop budget.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Drop {
  using Label = PacketStep<S, StepKind::drop>;

  static void enabled(const StepContext<S>& ctx, const World<S>& w,
                      std::vector<verdict::Label<S>>& out) {
    if (!ctx.semantics.within_budget(StepKind::drop, w.faults_used)) return;
    for_each_distinct_packet(w, [&](std::size_t i) {
      const auto& p = w.packets[i];
      out.emplace_back(Label{p.from, p.to, p.msg});
    });
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    auto i = find_packet(w, step.from, step.to, step.msg);
    if (!i || !ctx.semantics.within_budget(StepKind::drop, w.faults_used))
      return StepResult::not_enabled;
    w.packets.erase(w.packets.begin() + static_cast<std::ptrdiff_t>(*i));
    ++w.faults_used[StepKind::drop];
    return StepResult::applied;
  }
};

}  // namespace verdict::rules
