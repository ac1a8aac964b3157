// What every step relation needs besides the world: the System whose
// handlers run, the Semantics in force, and the Workload of client inputs.
#pragma once

#include <algorithm>
#include <tuple>

#include "simulator/semantics.hpp"
#include "simulator/system.hpp"
#include "simulator/workload.hpp"
#include "simulator/world.hpp"

namespace verdict {

template <class S>
struct StepContext {
  const S& system;
  const Semantics& semantics;
  const Workload<S>& workload;
};

// What applying a label did.
enum class StepResult {
  applied,      // the world changed by the rule
  not_enabled,  // the label's precondition does not hold in this world
  no_op,        // enabled, but not a transition (Stateright's no-op delivery)
};

// An empty Effects for one handler run. Each thread reuses one per System
// type, so that a step allocates nothing once its vectors have grown; the
// rules finish with it (apply_effects) before the next handler runs.
template <class S>
Effects<S>& fresh_effects() {
  thread_local Effects<S> fx;
  fx.clear();
  return fx;
}

// Finds a packet by content. Labels name packets by what they carry, never
// by position, so a trace survives shrinking. The bag is sorted by link
// first whatever the network (add_packet), so only the link's packets are
// compared.
template <class S>
std::optional<std::size_t> find_packet(const World<S>& w, NodeId from, NodeId to,
                                       const typename S::Msg& msg) {
  const auto link = std::tie(from, to);
  auto it = std::lower_bound(
      w.packets.begin(), w.packets.end(), link,
      [](const Packet<S>& p, const auto& l) { return std::tie(p.from, p.to) < l; });
  for (; it != w.packets.end() && it->from == from && it->to == to; ++it)
    if (it->msg == msg) return static_cast<std::size_t>(it - w.packets.begin());
  return std::nullopt;
}

// Calls `visit(index)` once per distinct packet in the bag (equal copies sit
// next to each other in a canonical bag), so that duplicates do not become
// distinct actions.
template <class S, class Visit>
void for_each_distinct_packet(const World<S>& w, Visit&& visit) {
  for (std::size_t i = 0; i < w.packets.size(); ++i)
    if (i == 0 || !(w.packets[i] == w.packets[i - 1])) visit(i);
}

// Drop and duplicate: one label per distinct packet, while the fault's budget lasts.
template <class S, class FaultLabel, class Out>
void enable_packet_fault(const StepContext<S>& ctx, const World<S>& w, StepKind fault, Out& out) {
  if (!ctx.semantics.within_budget(fault, w.faults_used)) return;
  for_each_distinct_packet(w, [&](std::size_t i) {
    const auto& p = w.packets[i];
    out.emplace_back(FaultLabel{p.from, p.to, p.msg});
  });
}

// The packet a drop or duplicate label names, if it is in flight and the
// fault's budget is not used up.
template <class S, class FaultLabel>
std::optional<std::size_t> packet_for_fault(const StepContext<S>& ctx, const World<S>& w,
                                            StepKind fault, const FaultLabel& step) {
  if (!ctx.semantics.within_budget(fault, w.faults_used)) return std::nullopt;
  return find_packet(w, step.from, step.to, step.msg);
}

// Crash and reboot: one label per node that is up (crash) or down (reboot),
// while the budget lasts.
template <class S, class NodeLabel, class Out>
void enable_node_fault(const StepContext<S>& ctx, const World<S>& w, StepKind fault, bool nodes_up,
                       Out& out) {
  if (!ctx.semantics.within_budget(fault, w.faults_used)) return;
  for (NodeId n = 0; n < w.node_count(); ++n)
    if (w.is_up(n) == nodes_up) out.emplace_back(NodeLabel{n});
}

}  // namespace verdict
