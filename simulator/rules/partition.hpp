// Partition (Verdict): the network splits the nodes into two sides that
// cannot exchange packets; packets across the cut stay in flight until a
// heal. One partition at a time; a fault counted against the partition
// budget. The side is named by the set that holds node 0, so each split has
// exactly one label.
#pragma once

#include "simulator/labels.hpp"
#include "simulator/rules/step_context.hpp"

namespace verdict::rules {

template <System S>
struct Partition {
  using Label = PartitionStep;
  static constexpr StepKind kind = StepKind::partition;

  template <class Out>
  static void enabled(const StepContext<S>& ctx, const World<S>& w, Out& out) {
    if (w.partition != 0 || !ctx.semantics.within_budget(StepKind::partition, w.faults_used))
      return;
    const std::uint64_t all = all_nodes(w);
    for (std::uint64_t side = 1; side < all; side += 2)  // odd masks: node 0 on this side
      if ((side & all) == side) out.emplace_back(Label{side});
  }

  static StepResult apply(const StepContext<S>& ctx, World<S>& w, const Label& step) {
    const std::uint64_t all = all_nodes(w);
    bool valid_side = (step.side & 1U) && (step.side & all) == step.side && step.side != all;
    if (!valid_side || w.partition != 0 ||
        !ctx.semantics.within_budget(StepKind::partition, w.faults_used))
      return StepResult::not_enabled;
    w.partition = step.side;
    ++w.faults_used[StepKind::partition];
    return StepResult::applied;
  }

  // The label in trace files and for people (steps.hpp: label_to_json, label_text).
  static void write(const Label& step, nlohmann::json& j) {
    nlohmann::json side = nlohmann::json::array();
    for (NodeId n = 0; n < kMaxNodes; ++n)
      if ((step.side >> n) & 1U) side.push_back(n);
    j["side"] = side;
  }
  static Label read(const nlohmann::json& j) {
    const auto& side = detail::label_field(j, "side");
    if (!side.is_array()) throw LabelError("field \"side\" must be an array of node numbers");
    std::uint64_t mask = 0;
    for (const auto& n : side) {
      if (!detail::is_node_number(n))
        throw LabelError(fmt::format("field \"side\" holds {}, not a node number", n.dump()));
      mask |= std::uint64_t{1} << n.get<NodeId>();
    }
    return {mask};
  }
  static std::string text(const Label& step) {
    std::string side;
    for (NodeId n = 0; n < kMaxNodes; ++n)
      if ((step.side >> n) & 1U) side += fmt::format("{}n{}", side.empty() ? "" : ",", n);
    return fmt::format("partition {{{}}} from the rest", side);
  }

 private:
  static std::uint64_t all_nodes(const World<S>& w) {
    return w.node_count() >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << w.node_count()) - 1;
  }
};

}  // namespace verdict::rules
