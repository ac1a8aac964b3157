// The System concept: what a user writes. A System is Verdi's MultiParams +
// FailureParams: a fixed set of nodes and pure handlers, one per kind of
// event, that update a node's state and record their effects (sends, outputs,
// timers) in an Effects object. Handlers never see the network, a clock, a
// random generator or the checker; that is what lets the same code run under
// exhaustive search, random walks, replay and a real network.
//
//   struct MySystem {
//     using State = ...; using Msg = ...; using Input = ...; using Output = ...;
//     using Timer = ...;
//     std::size_t node_count() const;
//     State init(NodeId n, Effects<MySystem>& fx) const;
//     void on_input(NodeId n, State& s, const Input& in, Effects<MySystem>& fx) const;
//     void on_message(NodeId n, State& s, NodeId from, const Msg& m, Effects<MySystem>& fx) const;
//     void on_timeout(NodeId n, State& s, const Timer& t, Effects<MySystem>& fx) const;
//     void on_reboot(NodeId n, State& s, Effects<MySystem>& fx) const;  // what survives a crash
//   };
//
// State, Msg, Input, Output and Timer are values: copyable, ordered
// (`auto operator<=>(const T&) const = default;` gives == too), stable-hashed
// (simulator/hashing.hpp) and convertible to and from JSON (nlohmann).
#pragma once

#include <compare>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "simulator/hashing.hpp"

namespace verdict {

using NodeId = std::uint32_t;
inline constexpr std::size_t kMaxNodes = 64;  // partitions are bit masks

template <class T>
concept Value = std::copyable<T> && std::totally_ordered<T> && requires(const T& v, Hasher& h) {
  h(v);
  {nlohmann::json(v)};
  { nlohmann::json().get<T>() } -> std::same_as<T>;
};

// What one handler invocation did, in the order it did it.
template <class S>
class Effects {
 public:
  using Msg = typename S::Msg;
  using Output = typename S::Output;
  using Timer = typename S::Timer;
  using State = typename S::State;

  void send(NodeId to, Msg msg) { sends_.emplace_back(to, std::move(msg)); }
  void output(Output out) { outputs_.push_back(std::move(out)); }
  void set_timer(Timer timer) { timers_.push_back({std::move(timer), true}); }
  void cancel_timer(Timer timer) { timers_.push_back({std::move(timer), false}); }

  // Marks the state as written and returns it. Only the Stateright-compatible
  // preset looks at this mark (a delivery that neither writes nor sends is not
  // a transition there); other semantics ignore it.
  State& write(State& state) {
    wrote_state_ = true;
    return state;
  }

  struct TimerChange {
    Timer timer;
    bool armed;  // true: set, false: cancelled
  };

  const std::vector<std::pair<NodeId, Msg>>& sends() const { return sends_; }
  const std::vector<Output>& outputs() const { return outputs_; }
  const std::vector<TimerChange>& timer_changes() const { return timers_; }
  bool wrote_state() const { return wrote_state_; }

  // Forgets every effect but keeps the storage, for a caller that runs many
  // handlers with one Effects (rules/step_context.hpp: fresh_effects).
  void clear() {
    sends_.clear();
    outputs_.clear();
    timers_.clear();
    wrote_state_ = false;
  }
  bool empty() const { return sends_.empty() && outputs_.empty() && timers_.empty(); }

 private:
  std::vector<std::pair<NodeId, Msg>> sends_;
  std::vector<Output> outputs_;
  std::vector<TimerChange> timers_;
  bool wrote_state_ = false;
};

template <class S>
concept System = Value<typename S::State> && Value<typename S::Msg> && Value<typename S::Input> &&
    Value<typename S::Output> && Value<typename S::Timer> &&
    requires(const S& sys, NodeId n, typename S::State& state, const typename S::Input& in,
             const typename S::Msg& msg, const typename S::Timer& timer, Effects<S>& fx) {
  { sys.node_count() } -> std::convertible_to<std::size_t>;
  { sys.init(n, fx) } -> std::same_as<typename S::State>;
  sys.on_input(n, state, in, fx);
  sys.on_message(n, state, n, msg, fx);
  sys.on_timeout(n, state, timer, fx);
  sys.on_reboot(n, state, fx);
};

// A type with one value, for a System that has no timers or sends no messages.
struct Nothing {
  auto operator<=>(const Nothing&) const = default;
  template <class H>
  void hash(H&) const {}
  friend void to_json(nlohmann::json& j, const Nothing&) { j = nullptr; }
  friend void from_json(const nlohmann::json&, Nothing&) {}
};

}  // namespace verdict
