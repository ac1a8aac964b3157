// Drop (Verdi): a packet in flight is lost. Exactly one copy leaves the bag.
// A fault: counted against the run's drop budget.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Drop {
  using Label = PacketStep<S, StepKind::drop>;
  static constexpr StepKind kind = StepKind::drop;

  template <class Out>
  static void enabled(const StepContext<S>& ctx, const World<S>& w, Out& out) {
    enable_packet_fault<S, Label>(ctx, w, StepKind::drop, out);
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    auto i = packet_for_fault(ctx, w, StepKind::drop, step);
    if (!i) return StepResult::not_enabled;
    w.packets.erase(w.packets.begin() + static_cast<std::ptrdiff_t>(*i));
    ++w.faults_used[StepKind::drop];
    return StepResult::applied;
  }

  // The label in trace files and for people (steps.hpp: label_to_json, label_text).
  static void write(const Label& step, nlohmann::json& j) { write_packet_label(step, j); }
  static Label read(const nlohmann::json& j) { return read_packet_label<Label>(j); }
  static std::string text(const Label& step) { return packet_label_text(kind, step); }
};

}  // namespace verdict::rules
