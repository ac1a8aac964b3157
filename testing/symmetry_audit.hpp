// audit_symmetry(): tests a System's declared symmetry by brute force, for a
// System author's own tests (and ours). It enumerates every reachable World
// of a small configuration without reduction and checks that
//   * every renaming of the group maps each reachable World to a reachable
//     World (the renaming reaches every node id the states hold: a node id
//     kept in a bare integer rather than a NodeRef, NodeSet or PerNode shows
//     up here as a renamed World that no run reaches), and
//   * the number of orbits (classes of Worlds equal up to renaming), which is
//     what `--symmetry` must explore.
// Compare `orbits` with the unique states of a search with
// SearchOptions::symmetry on.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "simulator/symmetry.hpp"
#include "simulator/system_model.hpp"

namespace verdict {

struct SymmetryAudit {
  std::uint64_t reachable = 0;  // Worlds reachable without reduction
  std::uint64_t orbits = 0;     // classes of them equal up to a renaming of the group
  std::size_t group_size = 0;   // renamings, the identity included
  // The first World found whose renaming is not reachable, as JSON, with the
  // renaming; empty when the symmetry is sound on this configuration.
  std::string not_closed;
  // Likewise, the first World whose renamed fingerprint as the explorer
  // computes it (without building the renamed World) differs from the
  // fingerprint of the renamed World.
  std::string fingerprint_mismatch;
};

template <class S>
SymmetryAudit audit_symmetry(const SystemModel<S>& model, std::uint64_t max_states = 1'000'000) {
  using W = World<S>;
  std::unordered_map<std::uint64_t, W> seen;
  std::deque<std::uint64_t> queue;
  for (auto& w : model.init_states()) {
    const auto fp = w.search_fingerprint();
    if (seen.emplace(fp, w).second) queue.push_back(fp);
  }
  std::vector<Label<S>> actions;
  while (!queue.empty()) {
    const W w = seen.at(queue.front());
    queue.pop_front();
    actions.clear();
    model.actions(w, actions);
    for (const auto& a : actions) {
      auto next = model.next_state(w, a);
      if (!next) continue;
      const auto fp = next->search_fingerprint();
      if (seen.emplace(fp, std::move(*next)).second) queue.push_back(fp);
      if (seen.size() > max_states)
        throw std::length_error("audit_symmetry: more reachable worlds than max_states");
    }
  }

  SymmetryAudit audit;
  audit.reachable = seen.size();
  audit.group_size = model.symmetry_group().size();
  std::unordered_set<std::uint64_t> representatives;
  for (const auto& [fp, w] : seen) {
    std::uint64_t smallest = fp;
    for (const auto& r : model.symmetry_group()) {
      W renamed = w;
      rename_world(renamed, model.semantics(), r);
      const auto renamed_fp = renamed.search_fingerprint();
      const nlohmann::json what{{"renaming", r.to}, {"world_fingerprint", fp}};
      if (!seen.contains(renamed_fp) && audit.not_closed.empty()) audit.not_closed = what.dump();
      if (renamed_fingerprint(w, model.semantics(), r) != renamed_fp &&
          audit.fingerprint_mismatch.empty())
        audit.fingerprint_mismatch = what.dump();
      if (renamed_fp < smallest) smallest = renamed_fp;
    }
    representatives.insert(smallest);
  }
  audit.orbits = representatives.size();
  return audit;
}

}  // namespace verdict
