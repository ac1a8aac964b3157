// Deliver (Verdi): a packet in flight reaches its destination, which must be
// up and on the same side of any partition; the packet leaves the bag and
// on_message runs. On an ordered network only the oldest packet of a link
// may be delivered. Under the Stateright-compatible preset, a delivery whose
// handler neither writes its state nor sends is not a transition.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Deliver {
  using Label = PacketStep<S, StepKind::deliver>;
  static constexpr StepKind kind = StepKind::deliver;

  static bool deliverable(const StepContext<S>& ctx, const World<S>& w, std::size_t i) {
    const auto& p = w.packets[i];
    return w.is_up(p.to) && w.can_communicate(p.from, p.to) &&
           is_deliverable_in_order(ctx.semantics, w, i);
  }

  template <class Out>
  static void enabled(const StepContext<S>& ctx, const World<S>& w, Out& out) {
    for_each_distinct_packet(w, [&](std::size_t i) {
      if (deliverable(ctx, w, i)) {
        const auto& p = w.packets[i];
        out.emplace_back(Label{p.from, p.to, p.msg});
      }
    });
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    auto i = find_packet(w, step.from, step.to, step.msg);
    if (!i || !deliverable(ctx, w, *i)) return StepResult::not_enabled;
    w.packets.erase(w.packets.begin() + static_cast<std::ptrdiff_t>(*i));

    Effects<S>& fx = fresh_effects<S>();
    ctx.system.on_message(step.to, w.states[step.to], step.from, step.msg, fx);
    // No copy of the node's state is needed to undo an ignored delivery: a
    // world that a step did not apply to is thrown away (steps.hpp).
    if (ctx.semantics.no_op_delivery_is_not_a_step && !fx.wrote_state() && fx.sends().empty())
      return StepResult::no_op;
    if constexpr (requires { ctx.system.ghost_on_deliver(w.ghost, step.from, step.to, step.msg); })
      ctx.system.ghost_on_deliver(w.ghost, step.from, step.to, step.msg);
    apply_effects(ctx.system, ctx.semantics, ctx.workload, w, step.to, fx);
    return StepResult::applied;
  }

  // The label in trace files and for people (steps.hpp: label_to_json, label_text).
  static void write(const Label& step, nlohmann::json& j) { write_packet_label(step, j); }
  static Label read(const nlohmann::json& j) { return read_packet_label<Label>(j); }
  static std::string text(const Label& step) { return packet_label_text(kind, step); }
};

}  // namespace verdict::rules
