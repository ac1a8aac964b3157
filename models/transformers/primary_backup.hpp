// Primary-backup: a System transformer that replicates a one-node system (a
// StateMachine run by SingleNode) to a backup before answering. Node 0, the
// primary, runs the wrapped handlers on each input but holds the outputs
// back; it sends the input, numbered, to node 1, the backup, which runs the
// same handler on its own copy and acknowledges. Only the acknowledgement
// releases the outputs. So whatever a client was told, the backup has
// applied: the backup can take over if the primary is lost.
//
// The backup applies number k only after k-1 (keeping early arrivals) and
// acknowledges how far it has applied, so repeated or reordered Replicate
// messages are harmless;
// a lost one only delays the answer (stack `retransmit` on top to resend it).
// The wrapped system's messages and timers are not used: it has one node.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "models/transformers/base_state.hpp"
#include "models/transformers/transformer.hpp"
#include "simulator/json_support.hpp"
#include "simulator/system.hpp"
#include "simulator/value.hpp"
#include "simulator/workload.hpp"
#include "simulator/world.hpp"

namespace verdict {

template <System S>
struct PrimaryBackup : Transformer<PrimaryBackup<S>, S> {
  using typename Transformer<PrimaryBackup<S>, S>::Input;
  using typename Transformer<PrimaryBackup<S>, S>::Output;
  using Timer = Nothing;
  static constexpr NodeId kPrimary = 0;
  static constexpr NodeId kBackup = 1;

  struct Msg {
    std::uint32_t seq = 0;
    std::optional<Input> input;  // Replicate(seq, input); empty: Ack(seq)
    VERDICT_FIELDS(Msg, seq, input)
    friend void to_json(nlohmann::json& j, const Msg& m) {
      if (m.input)
        j = {{"replicate", m.seq}, {"input", *m.input}};
      else
        j = {{"ack", m.seq}};
    }
    friend void from_json(const nlohmann::json& j, Msg& m) {
      if (j.contains("ack")) {
        m.seq = j.at("ack").get<std::uint32_t>();
        m.input.reset();
      } else {
        m.seq = j.at("replicate").get<std::uint32_t>();
        m.input = j.at("input").get<Input>();
      }
    }
  };

  struct Held {  // primary: outputs of input `seq`, waiting for the backup
    std::uint32_t seq = 0;
    std::vector<Output> outputs;
    VERDICT_VALUE(Held, seq, outputs)
  };

  struct State {
    typename S::State inner;
    std::uint32_t applied = 0;   // inputs applied to `inner`
    std::uint32_t answered = 0;  // primary: inputs whose outputs were released
    std::vector<Held> held;      // primary, in seq order
    std::vector<std::pair<std::uint32_t, Input>> early;  // backup: arrived out of order
    VERDICT_VALUE(State, inner, applied, answered, held, early)
  };

  using Fx = Effects<PrimaryBackup>;

  bool answer_before_backup = false;  // seeded bug: release outputs at once

  // Wraps a one-node system (with_transforms refuses any other).
  std::size_t node_count() const { return 2; }

  State init(NodeId, Fx&) const {
    Effects<S> ignored;
    return State{this->inner.init(kPrimary, ignored), 0, 0, {}, {}};
  }

  void on_input(NodeId n, State& s, const Input& in, Fx& fx) const {
    if (n != kPrimary) return;  // clients talk to the primary
    Effects<S> inner_fx;
    this->inner.on_input(kPrimary, s.inner, in, inner_fx);
    Held held{++s.applied, inner_fx.outputs()};
    fx.send(kBackup, Msg{held.seq, in});
    if (answer_before_backup) {
      release(s, held, fx);
      return;
    }
    s.held.push_back(std::move(held));
  }

  void on_message(NodeId n, State& s, NodeId from, const Msg& m, Fx& fx) const {
    if (n == kBackup && m.input) {
      // Apply in number order: an early Replicate waits for the ones before it.
      std::pair<std::uint32_t, Input> arrived{m.seq, *m.input};
      auto at = std::lower_bound(s.early.begin(), s.early.end(), arrived);
      if (m.seq > s.applied && (at == s.early.end() || *at != arrived)) s.early.insert(at, arrived);
      while (!s.early.empty() && s.early.front().first == s.applied + 1) {
        Effects<S> ignored;
        this->inner.on_input(kBackup, s.inner, s.early.front().second, ignored);
        ++s.applied;
        s.early.erase(s.early.begin());
      }
      if (m.seq <= s.applied) fx.send(from, Msg{s.applied, std::nullopt});
    } else if (n == kPrimary && !m.input) {
      // Acks arrive in any order: release, in order, everything acknowledged.
      while (!s.held.empty() && s.held.front().seq <= m.seq) {
        release(s, s.held.front(), fx);
        s.held.erase(s.held.begin());
      }
    }
  }

  void on_timeout(NodeId, State&, const Timer&, Fx&) const {}
  void on_reboot(NodeId, State&, Fx&) const {}  // both copies are durable
 private:
  static void release(State& s, const Held& held, Fx& fx) {
    for (const auto& out : held.outputs) fx.output(out);
    s.answered = held.seq;
  }
};

// Whatever a client was told, the backup has: the primary's answered count
// never exceeds the backup's applied count.
template <class PB, class Sys>
bool backup_has_every_answer(const World<Sys>& w) {
  return base_state<PB, Sys>(w.states[PB::kPrimary]).answered <=
         base_state<PB, Sys>(w.states[PB::kBackup]).applied;
}

}  // namespace verdict
