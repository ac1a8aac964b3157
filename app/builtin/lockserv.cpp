// `lockserv` in the model registry.
#include "models/lockserv/lockserv.hpp"
#include "app/builtin.hpp"
#include "app/system_check.hpp"

namespace verdict::lockserv {

namespace {

ModelInfo info() {
  return {"lockserv",
          "Verdi's lock service: a server and N agents; invariant: mutual exclusion",
          {{"agents", "2", "number of agents (nodes 1..N; node 0 is the server)", {}},
           {"rounds", "2", "times each agent locks and unlocks", {}},
           {"bug", "none", "seeded bug", {"none", "grant-when-held"}}},
          {{"grant-when-held",
            "the server grants every Lock at once, even while another agent holds the lock; "
            "caught by mutual-exclusion on a reliable network"}},
          true};
}

Workload<LockServ> workload(std::size_t agents, std::size_t rounds) {
  Workload<LockServ> w;
  for (NodeId agent = 1; agent <= agents; ++agent) {
    Client<LockServ> c;
    for (std::size_t r = 0; r < rounds; ++r) {
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
  auto rounds = static_cast<std::size_t>(req.params.integer("rounds", 1, 8));
  sys.bug = req.params.text("bug") == "grant-when-held" ? Bug::grant_when_held : Bug::none;
  return build_system(sys, Semantics::step_async(), workload(sys.agents, rounds), req,
                      [](auto& model) {
                        using Sys = typename std::decay_t<decltype(model)>::Sys;
                        model.add_invariant("mutual-exclusion", mutual_exclusion<Sys>);
                      });
}

}  // namespace

void register_model(ModelRegistry& registry) {
  registry.add({info(), build});
}

}  // namespace verdict::lockserv
