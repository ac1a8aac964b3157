#include "simulator/world_json.hpp"

#include <string>

namespace verdict::world_json {

nlohmann::json partition(std::uint64_t partition, std::size_t nodes) {
  if (partition == 0) return nullptr;
  nlohmann::json sides = {nlohmann::json::array(), nlohmann::json::array()};
  for (NodeId n = 0; n < nodes; ++n) sides[(partition >> n) & 1U ? 0 : 1].push_back(n);
  return sides;
}

nlohmann::json faults(const FaultCounts& used, const Semantics& semantics) {
  nlohmann::json out = nlohmann::json::object();
  for (StepKind f : kFaults)
    if (semantics.allows(f))
      out[std::string(to_string(f))] = {{"used", used[f]},
                                        {"budget", semantics.budget[f] == kUnlimitedReboots
                                                       ? nlohmann::json(nullptr)
                                                       : nlohmann::json(semantics.budget[f])}};
  return out;
}

nlohmann::json clients(const std::vector<ClientProgress>& clients,
                       const std::vector<std::size_t>& ops) {
  nlohmann::json out = nlohmann::json::array();
  for (std::size_t c = 0; c < clients.size(); ++c) {
    const ClientProgress& p = clients[c];
    out.push_back({{"client", c},
                   {"next_op", p.next_op},
                   {"ops", ops[c]},
                   {"waiting", p.waiting},
                   {"resend", p.resend},
                   {"waiting_on", p.waiting_on},
                   {"redirects", p.redirects},
                   {"timeouts", p.timeouts}});
  }
  return out;
}

}  // namespace verdict::world_json
