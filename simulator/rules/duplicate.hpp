// Duplicate (Verdi): a packet in flight is copied; the copy joins the bag
// (on an ordered network, at the tail of its link). A fault: counted against
// the run's duplicate budget. On a network that merges identical packets in
// flight (Semantics::merge_identical_packets) a copy would merge back into
// its original, so there is no such step.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Duplicate {
  using Label = PacketStep<S, StepKind::duplicate>;
  static constexpr StepKind kind = StepKind::duplicate;

  template <class Out>
  static void enabled(const StepContext<S>& ctx, const World<S>& w, Out& out) {
    if (ctx.semantics.merge_identical_packets) return;
    enable_packet_fault<S, Label>(ctx, w, StepKind::duplicate, out);
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    if (ctx.semantics.merge_identical_packets) return StepResult::not_enabled;
    auto i = packet_for_fault(ctx, w, StepKind::duplicate, step);
    if (!i) return StepResult::not_enabled;
    add_packet(ctx.semantics, w, Packet<S>(w.packets[*i]));
    ++w.faults_used[StepKind::duplicate];
    return StepResult::applied;
  }

  // The label in trace files and for people (steps.hpp: label_to_json, label_text).
  static void write(const Label& step, nlohmann::json& j) { write_packet_label(step, j); }
  static Label read(const nlohmann::json& j) { return read_packet_label<Label>(j); }
  static std::string text(const Label& step) { return packet_label_text(kind, step); }
};

}  // namespace verdict::rules
