// Input (Verdi): the environment gives a client's next operation to an up
// node; the node's on_input handler runs. The trace records the input.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Input {
  using Label = InputStep<S>;

  static void enabled(const StepContext<S>& ctx, const World<S>& w,
                      std::vector<verdict::Label<S>>& out) {
    for (std::uint32_t c = 0; c < w.clients.size(); ++c) {
      const auto& progress = w.clients[c];
      const auto& client = ctx.workload.clients[c];
      if (progress.next_op >= client.ops.size() || progress.waiting) continue;
      const auto& op = client.ops[progress.next_op];
      if (w.is_up(op.node)) out.emplace_back(Label{c, op.node, op.input});
    }
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    if (step.client >= w.clients.size()) return StepResult::not_enabled;
    auto& progress = w.clients[step.client];
    const auto& client = ctx.workload.clients[step.client];
    if (progress.next_op >= client.ops.size() || progress.waiting) return StepResult::not_enabled;
    const auto& op = client.ops[progress.next_op];
    if (op.node != step.node || !(op.input == step.input) || !w.is_up(step.node))
      return StepResult::not_enabled;

    ++progress.next_op;
    if (client.closed_loop) {
      progress.waiting = true;
      progress.waiting_on = step.node;
    }
    if (ctx.semantics.record_io_trace)
      w.trace.push_back(
          IoEvent<S>{step.node, static_cast<std::int32_t>(step.client),
                     decltype(IoEvent<S>::event)(std::in_place_index<0>, step.input)});
    Effects<S> fx;
    ctx.system.on_input(step.node, w.states[step.node], step.input, fx);
    apply_effects(ctx.system, ctx.semantics, ctx.workload, w, step.node, fx);
    return StepResult::applied;
  }
};

}  // namespace verdict::rules
