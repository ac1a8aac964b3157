// The parts of a World's JSON (SystemModel::state_json) that do not depend on
// the System: compiled once in the core library, not once per System type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "simulator/semantics.hpp"
#include "simulator/world.hpp"

namespace verdict::world_json {

// null when the network is whole; else [nodes on node 0's side, the others].
nlohmann::json partition(std::uint64_t partition, std::size_t nodes);
// For each fault the semantics allows: {"used", "budget"} (budget null: unlimited).
nlohmann::json faults(const FaultCounts& used, const Semantics& semantics);
// One object per client; `ops[c]`: client c's operations in the workload.
nlohmann::json clients(const std::vector<ClientProgress>& clients,
                       const std::vector<std::size_t>& ops);

}  // namespace verdict::world_json
