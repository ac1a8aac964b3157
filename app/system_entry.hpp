// system_entry(): a user's own System as a model of the command line. Give it
// the model's name and parameters, a function from parameter values to the
// System and its workload, and the invariants; run_cli(argc, argv, entry)
// (cli/run_cli.hpp) is then a program with the whole `verdict` command line
// (check, simulate, replay, shrink, export) for that System:
//
//   verdict::ModelEntry counter_entry() {
//     return verdict::system_entry(
//         {"counter", "two replicas of a counter", {{"bug", "none", "seeded bug", {"none", "x"}}}},
//         [](const verdict::Params& p) {
//           return verdict::SystemSetup<Counter>{Counter{p.text("bug") == "x"}, workload()};
//         },
//         verdict::invariant("converged", [](const auto& world) { return ...; }));
//   }
//   int main(int argc, char** argv) { return verdict::run_cli(argc, argv, counter_entry()); }
//
// examples/external/ is a complete, tested example.
//
// An invariant is a generic callable over the World of the System *as
// checked*, which is the user's System wrapped in the transformers that
// `--transform` names; state_of<Counter>(world, n) reads node n's state of the
// user's System through any such wrapping.
#pragma once

#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>

#include "app/registry.hpp"
#include "app/system_check.hpp"
#include "models/transformers/base_state.hpp"
#include "simulator/check_system.hpp"

namespace verdict {

// What a model's parameters build: the System, its workload and the network
// semantics before --faults (Verdi's step_async: a reliable network).
template <class S>
struct SystemSetup {
  S system;
  Workload<S> workload;
  Semantics semantics = Semantics::step_async();
};

// Node n's state of the user's System `Base`, in a world of Base or of any
// transformer chain around it.
template <class Base, class Sys>
const typename Base::State& state_of(const World<Sys>& world, NodeId n) {
  return base_state<Base, Sys>(world.states[n]);
}

// A named invariant: `holds` is called with the World of every system it is
// checked on (generic lambdas fit).
template <class F>
struct NamedInvariant {
  std::string name;
  F holds;

  template <class M>
  void operator()(M& model) const {
    model.add_invariant(name, [f = holds](const typename M::State& w) { return f(w); });
  }
};

template <class F>
NamedInvariant<F> invariant(std::string name, F holds) {
  return {std::move(name), std::move(holds)};
}

// The registry entry of a System. `setup(params)` returns its SystemSetup;
// each of `properties` is called with every SystemModel built (an invariant(),
// or any callable that adds properties to the model it is given).
//
// Chains: the `--transform` chains the model accepts. Every chain is a System
// type of its own, compiled with its steps, hash and JSON (its search goes
// through DynModel, compiled once in the library), so a model pays only for
// what it asks: none (the default) compiles your System alone;
// system_entry<1>(...) adds ghost, seqnum and retransmit (or primary-backup
// for a one-node System), 4 types; system_entry<2>(...) every pair of two
// different ones, 10 types (the same one twice in a row adds nothing, and is
// refused); system_entry<TransformChains{1, transformer::seqnum}>(...) only
// seqnum, 2 types.
template <TransformChains Chains = TransformChains{}, class Setup, class... Properties>
ModelEntry system_entry(ModelInfo info, Setup setup, Properties... properties) {
  using S = decltype(std::declval<Setup&>()(std::declval<const Params&>()).system);
  static_assert(check_system<S>());
  info.is_system = true;
  auto build = [setup = std::move(setup),
                ... properties = std::move(properties)](const ModelConfig& config) {
    SystemSetup<S> s = setup(config.params);
    return build_system<Chains>(std::move(s.system), s.semantics, s.workload, config,
                                [&](auto& model) { (properties(model), ...); });
  };
  return ModelEntry{std::move(info), std::move(build)};
}

}  // namespace verdict
