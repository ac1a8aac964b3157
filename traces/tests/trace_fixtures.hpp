// Shared by the trace tests: a real violating trace of lockserv, and a
// deliberately nondeterministic System.
#pragma once

#include <string>

#include "app/any_model.hpp"
#include "app/erased_model.hpp"
#include "simulator/system_model.hpp"

namespace verdict::test {

inline ModelConfig lockserv_config(std::vector<StepKind> faults) {
  ModelConfig config;
  config.model = "lockserv";
  config.params = Params(builtin_models().get("lockserv").info, {});
  config.faults.faults = std::move(faults);
  return config;
}

// The trace `verdict check lockserv --faults duplicate` writes.
inline TraceFile lockserv_duplicate_trace() {
  CheckRequest req;
  static_cast<ModelConfig&>(req) = lockserv_config({StepKind::duplicate});
  auto outcome = build_model(req)->check(req);
  return *outcome.trace;
}

// A handler that reads a counter outside its state: the same input gives a
// different state each time it runs — what a clock or a random generator
// would do. Replay and --check-determinism must catch it.
inline int nondeterministic_counter = 0;

struct Nondeterministic {
  using State = int;
  using Msg = int;
  using Input = int;
  using Output = int;
  using Timer = Nothing;
  std::size_t node_count() const { return 1; }
  State init(NodeId, Effects<Nondeterministic>&) const { return 0; }
  void on_input(NodeId, State& s, const Input& in, Effects<Nondeterministic>&) const {
    s = in + (++nondeterministic_counter % 3);
  }
  void on_message(NodeId, State&, NodeId, const Msg&, Effects<Nondeterministic>&) const {}
  void on_timeout(NodeId, State&, const Timer&, Effects<Nondeterministic>&) const {}
  void on_reboot(NodeId, State&, Effects<Nondeterministic>&) const {}
};

inline SystemModel<Nondeterministic> nondeterministic_model() {
  Workload<Nondeterministic> w;
  w.clients.push_back(Client<Nondeterministic>{{{0, 1}, {0, 2}}, true});
  return SystemModel<Nondeterministic>(Nondeterministic{}, Semantics::step_async(), w);
}

}  // namespace verdict::test
