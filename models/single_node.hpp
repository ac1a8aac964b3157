// SingleNode: a StateMachine run as a one-node System, Verdi's first step
// ("simple model"): every input is applied at once and its output returned,
// so the I/O trace is a list of [input, output] pairs. Nothing survives a
// crash but what the machine had (the single node is its own durable store).
#pragma once

#include "models/state_machine.hpp"

namespace verdict {

template <StateMachine M>
struct SingleNode {
  using Input = typename M::Input;
  using Output = typename M::Output;
  using State = typename M::Data;
  using Msg = Nothing;  // a single node sends nothing
  using Timer = Nothing;

  M machine;

  std::size_t node_count() const { return 1; }
  State init(NodeId, Effects<SingleNode>&) const { return machine.initial(); }
  void on_input(NodeId, State& s, const Input& in, Effects<SingleNode>& fx) const {
    fx.output(machine.apply(s, in));
  }
  void on_message(NodeId, State&, NodeId, const Msg&, Effects<SingleNode>&) const {}
  void on_timeout(NodeId, State&, const Timer&, Effects<SingleNode>&) const {}
  void on_reboot(NodeId, State&, Effects<SingleNode>&) const {}
};

}  // namespace verdict
