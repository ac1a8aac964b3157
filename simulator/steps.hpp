// The semantics as a whole: lists every step enabled in a world (in the
// fixed StepKind order, rule by rule) and applies any label by handing it to
// the rule it names. This is the one place that knows the set of rules.
#pragma once

#include <type_traits>
#include <vector>

#include "simulator/labels.hpp"
#include "simulator/rules/crash.hpp"
#include "simulator/rules/deliver.hpp"
#include "simulator/rules/drop.hpp"
#include "simulator/rules/duplicate.hpp"
#include "simulator/rules/heal.hpp"
#include "simulator/rules/input.hpp"
#include "simulator/rules/partition.hpp"
#include "simulator/rules/reboot.hpp"
#include "simulator/rules/timeout.hpp"

namespace verdict {

template <System S>
void enabled_steps(const StepContext<S>& ctx, const World<S>& w, std::vector<Label<S>>& out) {
  const Semantics& sem = ctx.semantics;
  if (sem.allows(StepKind::input)) rules::Input<S>::enabled(ctx, w, out);
  if (sem.allows(StepKind::deliver)) rules::Deliver<S>::enabled(ctx, w, out);
  if (sem.allows(StepKind::timeout)) rules::Timeout<S>::enabled(ctx, w, out);
  if (sem.allows(StepKind::drop)) rules::Drop<S>::enabled(ctx, w, out);
  if (sem.allows(StepKind::duplicate)) rules::Duplicate<S>::enabled(ctx, w, out);
  if (sem.allows(StepKind::crash)) rules::Crash<S>::enabled(ctx, w, out);
  if (sem.allows(StepKind::reboot)) rules::Reboot<S>::enabled(ctx, w, out);
  if (sem.allows(StepKind::partition)) rules::Partition<S>::enabled(ctx, w, out);
  if (sem.allows(StepKind::heal)) rules::Heal<S>::enabled(ctx, w, out);
}

template <System S>
StepResult apply_step(const StepContext<S>& ctx, World<S>& w,
                      const std::type_identity_t<Label<S>>& label) {
  if (!ctx.semantics.allows(kind_of<S>(label))) return StepResult::not_enabled;
  return std::visit(
      [&](const auto& step) -> StepResult {
        using T = std::decay_t<decltype(step)>;
        if constexpr (std::is_same_v<T, InputStep<S>>)
          return rules::Input<S>::apply(ctx, w, step);
        else if constexpr (std::is_same_v<T, PacketStep<S, StepKind::deliver>>)
          return rules::Deliver<S>::apply(ctx, w, step);
        else if constexpr (std::is_same_v<T, TimeoutStep<S>>)
          return rules::Timeout<S>::apply(ctx, w, step);
        else if constexpr (std::is_same_v<T, PacketStep<S, StepKind::drop>>)
          return rules::Drop<S>::apply(ctx, w, step);
        else if constexpr (std::is_same_v<T, PacketStep<S, StepKind::duplicate>>)
          return rules::Duplicate<S>::apply(ctx, w, step);
        else if constexpr (std::is_same_v<T, NodeStep<StepKind::crash>>)
          return rules::Crash<S>::apply(ctx, w, step);
        else if constexpr (std::is_same_v<T, NodeStep<StepKind::reboot>>)
          return rules::Reboot<S>::apply(ctx, w, step);
        else if constexpr (std::is_same_v<T, PartitionStep>)
          return rules::Partition<S>::apply(ctx, w, step);
        else
          return rules::Heal<S>::apply(ctx, w, step);
      },
      label);
}

// The initial world: every node up, its state from init, whose effects
// (initial sends and timers) are already applied.
template <System S>
World<S> initial_world(const StepContext<S>& ctx) {
  World<S> w;
  const std::size_t n = ctx.system.node_count();
  w.states.reserve(n);
  w.clients.resize(ctx.workload.clients.size());
  std::vector<Effects<S>> effects(n);
  for (NodeId node = 0; node < n; ++node) {
    w.states.push_back(ctx.system.init(node, effects[node]));
    w.set_up(node, true);
  }
  for (NodeId node = 0; node < n; ++node)
    apply_effects(ctx.system, ctx.semantics, ctx.workload, w, node, effects[node]);
  return w;
}

}  // namespace verdict
