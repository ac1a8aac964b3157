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

#include "models/transformers/wrap_effects.hpp"
#include "simulator/system.hpp"
#include "simulator/value.hpp"

namespace verdict {

template <System S>
struct SeqNum {
  using Inner = S;
  using Input = typename S::Input;
  using Output = typename S::Output;
  using Timer = typename S::Timer;

  struct Msg {
    std::uint32_t seq = 0;
    typename S::Msg inner;
    VERDICT_FIELDS(Msg, seq, inner)
    friend void to_json(nlohmann::json& j, const Msg& m) { j = {{"seq", m.seq}, {"msg", m.inner}}; }
    friend void from_json(const nlohmann::json& j, Msg& m) {
      m.seq = j.at("seq").get<std::uint32_t>();
      m.inner = j.at("msg").get<typename S::Msg>();
    }
  };

  struct State {
    typename S::State inner;
    std::uint32_t next_seq = 0;
    std::vector<std::pair<NodeId, std::uint32_t>> seen;  // sorted
    VERDICT_FIELDS(State, inner, next_seq, seen)
    friend void to_json(nlohmann::json& j, const State& s) {
      j = {{"state", s.inner}, {"next_seq", s.next_seq}, {"seen", s.seen}};
    }
    friend void from_json(const nlohmann::json& j, State& s) {
      s.inner = j.at("state").get<typename S::State>();
      s.next_seq = j.at("next_seq").get<std::uint32_t>();
      s.seen = j.at("seen").get<std::vector<std::pair<NodeId, std::uint32_t>>>();
    }
  };

  S inner;

  std::size_t node_count() const { return inner.node_count(); }

  State init(NodeId n, Effects<SeqNum>& fx) const {
    State s;
    Effects<S> inner_fx;
    s.inner = inner.init(n, inner_fx);
    forward(s, inner_fx, fx);
    return s;
  }
  void on_input(NodeId n, State& s, const Input& in, Effects<SeqNum>& fx) const {
    Effects<S> inner_fx;
    inner.on_input(n, s.inner, in, inner_fx);
    forward(s, inner_fx, fx);
  }
  void on_message(NodeId n, State& s, NodeId from, const Msg& m, Effects<SeqNum>& fx) const {
    std::pair<NodeId, std::uint32_t> id{from, m.seq};
    auto it = std::lower_bound(s.seen.begin(), s.seen.end(), id);
    if (it != s.seen.end() && *it == id) return;  // a duplicate: ignore it
    s.seen.insert(it, id);
    Effects<S> inner_fx;
    inner.on_message(n, s.inner, from, m.inner, inner_fx);
    forward(s, inner_fx, fx);
  }
  void on_timeout(NodeId n, State& s, const Timer& t, Effects<SeqNum>& fx) const {
    Effects<S> inner_fx;
    inner.on_timeout(n, s.inner, t, inner_fx);
    forward(s, inner_fx, fx);
  }
  // The counter and the seen set are kept across a crash: forgetting them
  // would let a rebooted node accept an old duplicate again.
  void on_reboot(NodeId n, State& s, Effects<SeqNum>& fx) const {
    Effects<S> inner_fx;
    inner.on_reboot(n, s.inner, inner_fx);
    forward(s, inner_fx, fx);
  }
  bool is_response(const Input& in, const Output& out) const {
    return verdict::is_response(inner, in, out);
  }
  bool is_redirect(const Output& out) const { return verdict::is_redirect(inner, out); }

 private:
  void forward(State& s, const Effects<S>& inner_fx, Effects<SeqNum>& fx) const {
    forward_effects(inner_fx, fx, [&](NodeId, const typename S::Msg& m) {
      return Msg{s.next_seq++, m};
    });
  }
};

}  // namespace verdict
