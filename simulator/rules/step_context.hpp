// What every step relation needs besides the world: the System whose
// handlers run, the Semantics in force, and the Workload of client inputs.
#pragma once

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

// Finds a packet by content. Labels name packets by what they carry, never
// by position, so a trace survives shrinking.
template <class S>
std::optional<std::size_t> find_packet(const World<S>& w, NodeId from, NodeId to,
                                       const typename S::Msg& msg) {
  for (std::size_t i = 0; i < w.packets.size(); ++i) {
    const auto& p = w.packets[i];
    if (p.from == from && p.to == to && p.msg == msg) return i;
  }
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

}  // namespace verdict
