// Input (Verdi): the environment gives a client's next operation to an up
// node; the node's on_input handler runs. The trace records the input.
//
// A retrying client (simulator/workload.hpp) also resends its current
// operation, with the same input, to any other up node: at once after a
// redirect, or as a client timeout while it waits (each timeout uses one of
// its budget). Resends are input steps like any
// other; a node that is down is skipped, as a real client moves on when it
// cannot connect. The I/O trace holds what the client's caller sees: one
// input per operation, at its first send (the call), and the real answers;
// resends and redirects are not in it, so runs that differ only in when a
// request was bounced between nodes reach the same world.
#pragma once

#include <optional>

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Input {
  using Label = InputStep<S>;
  static constexpr StepKind kind = StepKind::input;

  // Where client c may send now and what: its next operation, or a resend
  // of its current one, to any node `fn(node, input)` is called with. The
  // input is the workload's own (no copy: this runs for every client in
  // every world the explorer expands).
  template <class Fn>
  static void for_each_send(const StepContext<S>& ctx, const World<S>& w, std::uint32_t c,
                            Fn&& fn) {
    const auto& progress = w.clients[c];
    const auto& client = ctx.workload.clients[c];
    if (progress.resend || (progress.waiting && progress.timeouts < client.timeouts)) {
      // A resend goes to any other node that is up (the one it last tried
      // only if no other is up): a client without a leader hint has no
      // better guess, and no fixed order makes one node special.
      const auto& input = client.ops[progress.next_op - 1].input;
      bool other = false;
      for (NodeId node = 0; node < w.node_count(); ++node)
        if (node != progress.waiting_on && w.is_up(node)) {
          other = true;
          fn(node, input);
        }
      if (!other && w.is_up(progress.waiting_on)) fn(progress.waiting_on, input);
      return;
    }
    if (progress.waiting) return;
    std::size_t index = progress.next_op;
    if (index >= client.ops.size()) {
      if (!client.repeat || client.ops.empty()) return;
      index = 0;  // a repeating client starts over
    }
    const auto& op = client.ops[index];
    const NodeId node = client.sticky && progress.next_op > 0 ? progress.waiting_on : op.node;
    if (w.is_up(node)) fn(node, op.input);
  }

  template <class Out>
  static void enabled(const StepContext<S>& ctx, const World<S>& w, Out& out) {
    for (std::uint32_t c = 0; c < w.clients.size(); ++c)
      for_each_send(ctx, w, c, [&](NodeId node, const typename S::Input& input) {
        out.emplace_back(Label{c, node, input});
      });
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    if (step.client >= w.clients.size()) return StepResult::not_enabled;
    bool enabled = false;
    for_each_send(ctx, w, step.client, [&](NodeId node, const typename S::Input& input) {
      enabled = enabled || (node == step.node && input == step.input);
    });
    if (!enabled) return StepResult::not_enabled;

    auto& progress = w.clients[step.client];
    const auto& client = ctx.workload.clients[step.client];
    const bool resend = progress.busy();
    if (progress.resend) {
      progress.resend = false;
      progress.waiting = true;
    } else if (progress.waiting) {
      ++progress.timeouts;
    } else {
      // The current operation stays at next_op - 1, also when a repeating
      // client wraps round to its first.
      progress.next_op = client.repeat && progress.next_op >= client.ops.size()
                             ? 1
                             : static_cast<std::uint16_t>(progress.next_op + 1);
      progress.redirects = 0;
      progress.waiting = client.closed_loop;
    }
    progress.waiting_on = step.node;
    if (ctx.semantics.record_io_trace && !resend)
      w.trace.push_back(
          IoEvent<S>{step.node, static_cast<std::int32_t>(step.client),
                     decltype(IoEvent<S>::event)(std::in_place_index<0>, step.input)});
    Effects<S>& fx = fresh_effects<S>();
    ctx.system.on_input(step.node, w.states[step.node], step.input, fx);
    apply_effects(ctx.system, ctx.semantics, ctx.workload, w, step.node, fx);
    return StepResult::applied;
  }

  // The label in trace files and for people (steps.hpp: label_to_json, label_text).
  static void write(const Label& step, nlohmann::json& j) {
    j["client"] = step.client;
    j["node"] = step.node;
    j["input"] = step.input;
  }
  static Label read(const nlohmann::json& j) {
    return {detail::label_value<std::uint32_t>(j, "client"), detail::label_node(j, "node"),
            detail::label_value<typename S::Input>(j, "input")};
  }
  static std::string text(const Label& step) {
    return fmt::format("input c{}->n{} {}", step.client, step.node,
                       nlohmann::json(step.input).dump());
  }
};

}  // namespace verdict::rules
