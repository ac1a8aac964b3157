// Transformer: the one base of Verdi's system transformers (seqnum,
// retransmit, ghost). A transformer wraps a System S: each of its handlers
// runs S's handler on `s.inner` with S's own Effects, then passes those
// effects out through a hook of its own. What differs between transformers
// is only that hook and the steps they add, so a transformer writes:
//
//   template <System S>
//   struct MyTransformer : Transformer<MyTransformer<S>, S> {
//     struct State { typename S::State inner; ... };   // `inner` is required
//     using Msg = ...;                                // S::Msg, or a wrapping
//     using Timer = ...;                              // S::Timer, or a wrapping
//     // How S's sends, outputs and timer changes leave this node:
//     void forward(State& s, const Effects<S>& inner_fx, Effects<MyTransformer>& fx) const;
//     // Only the handlers whose behaviour differs; the rest are inherited.
//   };
//
// Inherited: `Inner`, `Input`, `Output`, `node_count`, `is_response`,
// `is_redirect`, and handlers that run S's handler and forward its effects
// (on_message and on_timeout only where Msg and Timer are S's own). A
// transformer that must see every step (ghost: the state before and after)
// replaces `step`; its handlers all go through it.
#pragma once

#include <cstddef>
#include <type_traits>

#include "models/transformers/wrap_effects.hpp"
#include "simulator/system.hpp"
#include "simulator/workload.hpp"

namespace verdict {

template <class Self, System S>
struct Transformer {
  using Inner = S;
  using Input = typename S::Input;
  using Output = typename S::Output;

  S inner;

  std::size_t node_count() const { return inner.node_count(); }
  bool is_response(const Input& in, const Output& out) const {
    return verdict::is_response(inner, in, out);
  }
  bool is_redirect(const Output& out) const { return verdict::is_redirect(inner, out); }

  // Runs one of S's handlers (`run(inner_fx)`) and forwards its effects.
  template <class State, class Run>
  void step(NodeId, State& s, Effects<Self>& fx, Run&& run) const {
    Effects<S> inner_fx;
    run(inner_fx);
    self().forward(s, inner_fx, fx);
  }

  // The handlers a transformer leaves as they are. They are templates over
  // the state so that they name Self's types only when called.
  template <class Fx = Effects<Self>>
  auto init(NodeId n, Fx& fx) const {
    typename Self::State s{};
    Effects<S> inner_fx;
    s.inner = inner.init(n, inner_fx);
    self().forward(s, inner_fx, fx);
    return s;
  }
  template <class State>
  void on_input(NodeId n, State& s, const Input& in, Effects<Self>& fx) const {
    self().step(n, s, fx, [&](Effects<S>& ifx) { inner.on_input(n, s.inner, in, ifx); });
  }
  template <class State, class M>
  requires std::is_same_v<M, typename S::Msg>
  void on_message(NodeId n, State& s, NodeId from, const M& m, Effects<Self>& fx) const {
    self().step(n, s, fx, [&](Effects<S>& ifx) { inner.on_message(n, s.inner, from, m, ifx); });
  }
  template <class State, class T>
  requires std::is_same_v<T, typename S::Timer>
  void on_timeout(NodeId n, State& s, const T& t, Effects<Self>& fx) const {
    self().step(n, s, fx, [&](Effects<S>& ifx) { inner.on_timeout(n, s.inner, t, ifx); });
  }
  template <class State>
  void on_reboot(NodeId n, State& s, Effects<Self>& fx) const {
    self().step(n, s, fx, [&](Effects<S>& ifx) { inner.on_reboot(n, s.inner, ifx); });
  }

  // Sends, outputs and timers pass out unchanged: for a transformer whose
  // Msg and Timer are S's own and which has nothing to add to a send.
  template <class State>
  void forward(State&, const Effects<S>& inner_fx, Effects<Self>& fx) const {
    forward_effects(inner_fx, fx, [](NodeId, const typename S::Msg& m) { return m; });
  }

 private:
  const Self& self() const { return static_cast<const Self&>(*this); }
};

}  // namespace verdict
