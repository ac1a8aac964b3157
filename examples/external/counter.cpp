// The replicated counter as a model of the command line (counter.hpp).
#include "counter.hpp"

namespace counter {

verdict::Workload<Counter> workload(long increments) {
  verdict::Workload<Counter> w;
  for (NodeId replica : {0u, 1u}) {
    verdict::Client<Counter> client;
    for (long i = 0; i < increments; ++i) client.ops.push_back({replica, Input::increment});
    w.clients.push_back(client);
  }
  return w;
}

verdict::ModelEntry entry() {
  // --transform seqnum, and no other chain: each chain is compiled, so a
  // model asks only for what its users run (system_entry<1> would add ghost
  // and retransmit too).
  return verdict::system_entry<verdict::TransformChains{1, verdict::transformer::seqnum}>(
      {"counter",
       "a counter replicated on two nodes; invariant: converged",
       {{"increments", "2", "increments at each replica", {}},
        {"bug", "none", "seeded bug", {"none", "overwrite"}}},
       {{"overwrite", "receivers overwrite their value: concurrent increments are lost"}}},
      [](const verdict::Params& p) {  // parameter values -> system and workload
        Counter system{p.text("bug") == "overwrite"};
        return verdict::SystemSetup<Counter>{system, workload(p.integer("increments", 1, 4))};
      },
      verdict::invariant("converged", [](const auto& world) { return converged(world); }));
}

}  // namespace counter
