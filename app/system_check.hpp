// build_system(): the registry's path from a System to a built model. Applies
// the requested faults to the model's semantics preset, wraps the System in
// the requested transformers and builds the Model. `add_properties`
// is a generic callable given the SystemModel of the transformed system; it
// reads node states through base_state<Base, Sys> so one invariant serves
// every transformer chain.
#pragma once

#include <type_traits>
#include <utility>

#include "app/erased_dyn.hpp"
#include "app/erased_model.hpp"
#include "app/transform_chain.hpp"
#include "simulator/system_model.hpp"

namespace verdict {

// A workload of the base system, for a transformed one (transformers keep the
// base system's inputs).
template <class To, class From>
Workload<To> rebind_workload(const Workload<From>& from) {
  Workload<To> to;
  for (const auto& client : from.clients) {
    Client<To> c;
    c.closed_loop = client.closed_loop;
    c.redirects = client.redirects;
    c.timeouts = client.timeouts;
    c.sticky = client.sticky;
    c.repeat = client.repeat;
    for (const auto& op : client.ops) c.ops.push_back(ClientOp<To>{op.node, op.input});
    to.clients.push_back(std::move(c));
  }
  return to;
}

// Chains: the --transform chains compiled (see with_transforms).
template <TransformChains Chains = TransformChains{kMaxTransformDepth}, System Base,
          class AddProperties>
std::unique_ptr<AnyModel> build_system(Base system, const Semantics& preset,
                                       const Workload<Base>& workload, const ModelConfig& config,
                                       AddProperties&& add_properties) {
  const Semantics semantics = config.faults.apply_to(preset);
  return with_transforms<Chains>(
      std::move(system), config.transforms, [&](auto sys) -> std::unique_ptr<AnyModel> {
        using Sys = decltype(sys);
        SystemModel<Sys> model(std::move(sys), semantics, rebind_workload<Sys>(workload));
        add_properties(model);
        // The System as registered keeps the templated explorers; a
        // transformer chain goes through DynModel, whose explorers are
        // compiled once for every chain (checkers/dyn_model.hpp).
        if constexpr (std::is_same_v<Sys, Base>)
          return make_any_model(std::move(model), config);
        else
          return make_any_dyn_model(make_dyn_model(std::move(model)), config);
      });
}

}  // namespace verdict
