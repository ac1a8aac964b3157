// Sequence numbering (Verdi's SeqNum.v): a System transformer that makes a
// system correct on a non-duplicating network correct on a duplicating one.
// Every send carries the sender's next sequence number; a receiver remembers
// the (sender, number) pairs it has seen and ignores repeats. The wrapped
// system's handlers run unchanged.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "models/transformers/transformer.hpp"
#include "simulator/value.hpp"

namespace verdict {

template <System S>
struct SeqNum : Transformer<SeqNum<S>, S> {
  using Timer = typename S::Timer;

  struct Msg {
    std::uint32_t seq = 0;
    typename S::Msg inner;
    VERDICT_VALUE(Msg, seq, inner)
  };

  // The counter and the seen set are kept across a crash (on_reboot is the
  // base's): forgetting them would let a rebooted node accept an old
  // duplicate again.
  struct State {
    typename S::State inner;
    std::uint32_t next_seq = 0;
    std::vector<std::pair<NodeId, std::uint32_t>> seen;  // sorted
    VERDICT_VALUE(State, inner, next_seq, seen)
  };

  void on_message(NodeId n, State& s, NodeId from, const Msg& m, Effects<SeqNum>& fx) const {
    std::pair<NodeId, std::uint32_t> id{from, m.seq};
    auto it = std::lower_bound(s.seen.begin(), s.seen.end(), id);
    if (it != s.seen.end() && *it == id) return;  // a duplicate: ignore it
    s.seen.insert(it, id);
    this->step(n, s, fx,
               [&](Effects<S>& ifx) { this->inner.on_message(n, s.inner, from, m.inner, ifx); });
  }

  void forward(State& s, const Effects<S>& inner_fx, Effects<SeqNum>& fx) const {
    forward_effects(inner_fx, fx, [&](NodeId, const typename S::Msg& m) {
      return Msg{s.next_seq++, m};
    });
  }
};

}  // namespace verdict
