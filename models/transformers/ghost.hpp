// GhostVariables (ghost variables, as in Verdi's proofs): checker-only state
// beside each node's state, updated after every handler run by an Observer
// that sees the node's state before and after the step. The wrapped system
// never reads it, so its behaviour (messages, outputs, timers) is unchanged;
// invariants read it to state properties of steps rather than of states
// (e.g. "a leader never removes an entry from its log").
//
//   struct MyObserver {
//     using State = ...;  // a Value
//     void observe(NodeId n, const S::State& before, const S::State& after, State& ghost) const;
//     // Optional: what the ghost records of a node's initial state (e.g. a
//     // node that starts as leader); without it the ghost starts as State{}.
//     void observe_init(NodeId n, const S::State& initial, State& ghost) const;
//   };
#pragma once

#include <cstdint>
#include <utility>

#include "models/transformers/transformer.hpp"
#include "simulator/symmetry.hpp"
#include "simulator/system.hpp"
#include "simulator/value.hpp"
#include "simulator/workload.hpp"

namespace verdict {

template <System S, class Observer>
struct GhostVariables : Transformer<GhostVariables<S, Observer>, S> {
  using Msg = typename S::Msg;
  using Timer = typename S::Timer;
  using GhostState = typename Observer::State;

  struct State {
    typename S::State inner;
    GhostState ghost{};
    VERDICT_VALUE(State, inner, ghost)
  };

  Observer observer{};

  State init(NodeId n, Effects<GhostVariables>& fx) const {
    Effects<S> inner_fx;
    State s{this->inner.init(n, inner_fx), {}};
    if constexpr (requires { observer.observe_init(n, s.inner, s.ghost); })
      observer.observe_init(n, s.inner, s.ghost);
    this->forward(s, inner_fx, fx);
    return s;
  }
  // The ghost only watches, so the wrapped system's symmetry is this one's.
  std::vector<std::vector<NodeId>> symmetric_nodes() const requires HasSymmetricNodes<S> {
    return this->inner.symmetric_nodes();
  }

  // Every handler comes through here: the observer sees the state before
  // and after the wrapped handler ran.
  template <class Run>
  void step(NodeId n, State& s, Effects<GhostVariables>& fx, Run&& run) const {
    const typename S::State before = s.inner;
    Effects<S> inner_fx;
    run(inner_fx);
    observer.observe(n, before, s.inner, s.ghost);
    this->forward(s, inner_fx, fx);
  }
};

// The observer behind `--transform ghost`: counts each node's steps (handler
// runs). It shows the mechanism on any system: the behaviour is the base
// system's, while the ghost tells invariants how busy each node has been.
template <System S>
struct StepCounter {
  using State = std::uint32_t;
  void observe(NodeId, const typename S::State&, const typename S::State&, State& steps) const {
    ++steps;
  }
};

template <System S>
using GhostSteps = GhostVariables<S, StepCounter<S>>;

}  // namespace verdict
