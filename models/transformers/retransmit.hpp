// Retransmission: a System transformer that makes a system that makes
// progress on a reliable network make progress on a lossy one. Every message
// carries a per-sender id; the receiver hands it to the wrapped system and
// acknowledges it; the sender keeps unacknowledged messages and resends them
// when its retransmit timer fires. Resends repeat messages, so stack it on
// sequence numbering (`--transform seqnum,retransmit`) unless the wrapped
// system tolerates duplicates.
//
// A search needs a finite world: each message is resent at most
// `max_resends` times, which covers a run that drops up to that many copies
// of it (the drop budget of a bounded search is smaller anyway).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "models/transformers/transformer.hpp"
#include "simulator/json_support.hpp"
#include "simulator/system.hpp"
#include "simulator/value.hpp"
#include "simulator/workload.hpp"

namespace verdict {

template <System S>
struct Retransmit : Transformer<Retransmit<S>, S> {
  struct Msg {
    std::uint32_t id = 0;
    std::optional<typename S::Msg> inner;  // empty: an acknowledgement of `id`
    VERDICT_FIELDS(Msg, id, inner)
    friend void to_json(nlohmann::json& j, const Msg& m) {
      if (m.inner)
        j = {{"id", m.id}, {"msg", *m.inner}};
      else
        j = {{"ack", m.id}};
    }
    friend void from_json(const nlohmann::json& j, Msg& m) {
      if (j.contains("ack")) {
        m.id = j.at("ack").get<std::uint32_t>();
        m.inner.reset();
      } else {
        m.id = j.at("id").get<std::uint32_t>();
        m.inner = j.at("msg").get<typename S::Msg>();
      }
    }
  };

  // The wrapped system's timers, or (empty) the retransmit timer.
  struct Timer {
    std::optional<typename S::Timer> inner;
    VERDICT_FIELDS(Timer, inner)
    friend void to_json(nlohmann::json& j, const Timer& t) {
      j = t.inner ? nlohmann::json(*t.inner) : nlohmann::json("retransmit");
    }
    friend void from_json(const nlohmann::json& j, Timer& t) {
      if (j == "retransmit")
        t.inner.reset();
      else
        t.inner = j.get<typename S::Timer>();
    }
  };

  struct Pending {
    std::uint32_t id = 0;
    NodeId to = 0;
    typename S::Msg msg;
    std::uint8_t resends_left = 0;
    VERDICT_VALUE(Pending, id, to, msg, resends_left)
  };

  struct State {
    typename S::State inner;
    std::uint32_t next_id = 0;
    std::vector<Pending> pending;  // in id order
    VERDICT_VALUE(State, inner, next_id, pending)
  };

  using Fx = Effects<Retransmit>;

  std::uint8_t max_resends = 1;

  void on_message(NodeId n, State& s, NodeId from, const Msg& m, Fx& fx) const {
    if (!m.inner) {  // an acknowledgement: stop resending
      std::erase_if(s.pending, [&](const Pending& p) { return p.id == m.id && p.to == from; });
      arm_if_needed(s, fx);
      return;
    }
    fx.send(from, Msg{m.id, std::nullopt});
    this->step(n, s, fx,
               [&](Effects<S>& ifx) { this->inner.on_message(n, s.inner, from, *m.inner, ifx); });
  }
  void on_timeout(NodeId n, State& s, const Timer& t, Fx& fx) const {
    if (t.inner) {
      this->step(n, s, fx,
                 [&](Effects<S>& ifx) { this->inner.on_timeout(n, s.inner, *t.inner, ifx); });
      return;
    }
    for (auto& p : s.pending) {
      if (p.resends_left == 0) continue;
      --p.resends_left;
      fx.send(p.to, Msg{p.id, p.msg});
    }
    arm_if_needed(s, fx);
  }
  // Unacknowledged messages are forgotten in a crash, as a real sender's
  // in-memory queue would be.
  void on_reboot(NodeId n, State& s, Fx& fx) const {
    s.pending.clear();
    Transformer<Retransmit<S>, S>::on_reboot(n, s, fx);
  }

  void forward(State& s, const Effects<S>& inner_fx, Fx& fx) const {
    forward_effects(
        inner_fx, fx,
        [&](NodeId to, const typename S::Msg& msg) {
          s.pending.push_back(Pending{s.next_id, to, msg, max_resends});
          return Msg{s.next_id++, msg};
        },
        [](const typename S::Timer& t) { return Timer{t}; });
    arm_if_needed(s, fx);
  }

 private:
  static void arm_if_needed(const State& s, Fx& fx) {
    bool resendable = std::any_of(s.pending.begin(), s.pending.end(),
                                  [](const Pending& p) { return p.resends_left > 0; });
    if (resendable)
      fx.set_timer(Timer{});
    else
      fx.cancel_timer(Timer{});
  }
};

}  // namespace verdict
