// `kv` in the model registry: the key-value store as a single-node system
// (Verdi's "simple model"), checked for the good-map property.
#include <fmt/format.h>

#include "app/builtin.hpp"
#include "app/system_check.hpp"
#include "models/kv/kv.hpp"
#include "models/single_node.hpp"

namespace verdict::kv {

namespace {

using KvNode = SingleNode<Machine>;

ModelInfo info() {
  return {"kv",
          "Verdi's key-value store (vard) on one node: Get/Put/Del/CAS/CAD; invariant: every "
          "output is the sequential store's answer to the inputs up to its own (good map)",
          {{"clients", "2", "concurrent clients, each running put, cas, cad, get on one key", {}}},
          {},
          true};
}

// Client i: put k vi; cas k vi -> wi; cad k wi; get k. Interleavings of the
// clients make every branch of CAS and CAD reachable.
Workload<KvNode> workload(std::size_t clients) {
  Workload<KvNode> w;
  for (std::size_t i = 0; i < clients; ++i) {
    Client<KvNode> c;
    std::string v = fmt::format("v{}", i);
    std::string nv = fmt::format("w{}", i);
    c.ops = {{0, Input::put("k", v)},
             {0, Input::cas("k", v, nv)},
             {0, Input::cad("k", nv)},
             {0, Input::get("k")}};
    w.clients.push_back(std::move(c));
  }
  return w;
}

std::unique_ptr<AnyModel> build(const ModelConfig& req) {
  auto clients = static_cast<std::size_t>(req.params.integer("clients", 1, 4));
  Semantics semantics = Semantics::step_async();
  semantics.record_io_trace = true;
  return build_system(KvNode{}, semantics, workload(clients), req, [](auto& model) {
    using Sys = typename std::decay_t<decltype(model)>::Sys;
    model.add_invariant("good-map", [](const World<Sys>& w) { return is_good_map<Sys>(w.trace); });
  });
}

}  // namespace

void register_model(ModelRegistry& registry) {
  registry.add({info(), build});
}

}  // namespace verdict::kv
