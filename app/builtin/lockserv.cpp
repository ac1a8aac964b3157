// `lockserv` in the model registry.
#include <algorithm>

#include <fmt/format.h>

#include "app/builtin.hpp"
#include "app/system_check.hpp"
#include "models/lockserv/lockserv.hpp"

namespace verdict::lockserv {

namespace {

ModelInfo info() {
  return {"lockserv",
          "Verdi's lock service: a server and N agents; invariant: mutual exclusion",
          {{"agents", "2", "number of agents (nodes 1..N; node 0 is the server)", {}},
           {"rounds",
            "2",
            "times each agent locks and unlocks; 0: for ever (a cyclic workload, for liveness)",
            {}},
           {"bug", "none", "seeded bug", {"none", "grant-when-held", "forget-waiter"}}},
          {{"grant-when-held",
            "the server grants every Lock at once, even while another agent holds the lock; "
            "caught by mutual-exclusion on a reliable network"},
           {"forget-waiter",
            "the server drops a Lock that arrives while the lock is held, so that agent waits "
            "for ever; caught by agent-N-gets-lock (liveness)"}},
          true,
          {},
          {{"agent-N-gets-lock", "leads-to",
            "for each agent N: N waiting for the lock leads to N holding it, under weak fairness "
            "of deliveries and client inputs (an agent that holds the lock eventually unlocks). "
            "Holds on a reliable network; "
            "fails when a Lock or Locked can be lost (drop, crash): lockserv never resends"}}};
}

// rounds == 0: each agent locks and unlocks for ever (a repeating client).
Workload<LockServ> workload(std::size_t agents, std::size_t rounds) {
  Workload<LockServ> w;
  for (NodeId agent = 1; agent <= agents; ++agent) {
    Client<LockServ> c;
    c.repeat = rounds == 0;
    for (std::size_t r = 0; r < std::max<std::size_t>(rounds, 1); ++r) {
      c.ops.push_back({agent, Input::lock});
      c.ops.push_back({agent, Input::unlock});
    }
    w.clients.push_back(std::move(c));
  }
  return w;
}

std::unique_ptr<AnyModel> build(const ModelConfig& req) {
  LockServ sys;
  sys.agents = static_cast<std::size_t>(req.params.integer("agents", 1, 8));
  auto rounds = static_cast<std::size_t>(req.params.integer("rounds", 0, 8));
  const std::string& bug = req.params.text("bug");
  sys.bug = bug == "grant-when-held" ? Bug::grant_when_held
            : bug == "forget-waiter" ? Bug::forget_waiter
                                     : Bug::none;
  return build_system(sys, Semantics::step_async(), workload(sys.agents, rounds), req,
                      [agents = sys.agents](auto& model) {
                        using Sys = typename std::decay_t<decltype(model)>::Sys;
                        model.add_invariant("mutual-exclusion", mutual_exclusion<Sys>);
                        for (NodeId agent = 1; agent <= agents; ++agent)
                          model.add_leads_to(
                              fmt::format("agent-{}-gets-lock", agent),
                              [agent](const World<Sys>& w) { return waiting_for_lock(w, agent); },
                              [agent](const World<Sys>& w) { return holds_lock(w, agent); });
                      });
}

}  // namespace

void register_model(ModelRegistry& registry) {
  registry.add({info(), build});
}

}  // namespace verdict::lockserv
