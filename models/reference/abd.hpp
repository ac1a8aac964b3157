// The ABD linearizable register (Attiya, Bar-Noy and Dolev, "Sharing Memory
// Robustly in Message-Passing Systems"), ported from Stateright's
// examples/linearizable-register.rs (544 states for 2 servers and 2 clients
// under Stateright's actor semantics). A request runs two quorum phases:
// query the replicas for the latest (sequencer, value), then record the
// value to be written (with a higher sequencer) or the value read, and only
// then answer the client.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "simulator/json_support.hpp"

#include "models/reference/register_actor.hpp"

namespace verdict::reference {

// (logical clock, server id)
struct Seq {
  std::uint16_t clock = 0;
  std::uint8_t server = 0;
  auto operator<=>(const Seq&) const = default;
  std::uint64_t word() const { return std::uint64_t{clock} << 8 | server; }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Seq, clock, server)

// Query(id) | AckQuery(id, seq, value) | Record(id, seq, value) | AckRecord(id).
struct AbdMsg {
  enum class Kind : std::uint8_t { query, ack_query, record, ack_record };
  Kind kind = Kind::query;
  RequestId request_id = 0;
  Seq seq;                  // AckQuery, Record
  RegisterValue value = 0;  // AckQuery, Record
  auto operator<=>(const AbdMsg&) const = default;
  template <class H>
  void hash(H& h) const {
    h(static_cast<std::uint64_t>(kind) << 40 | std::uint64_t{request_id} << 8 |
          static_cast<std::uint8_t>(value),
      seq.word());
  }
};
VERDICT_JSON_ENUM(AbdMsg::Kind, {{AbdMsg::Kind::query, "Query"},
                                 {AbdMsg::Kind::ack_query, "AckQuery"},
                                 {AbdMsg::Kind::record, "Record"},
                                 {AbdMsg::Kind::ack_record, "AckRecord"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AbdMsg, kind, request_id, seq, value)

// The request a server is coordinating: phase 1 collects (seq, value)
// responses, phase 2 collects acks of the Record.
struct AbdPhase {
  std::uint8_t number = 1;  // 1 or 2
  RequestId request_id = 0;
  std::uint8_t requester = 0;
  std::optional<RegisterValue> write;  // phase 1: the value to write (None: a read)
  std::optional<RegisterValue> read;   // phase 2: the value read (None: a write)
  std::uint8_t responded = 0;          // phase 1: bit i, server i responded
  std::array<Seq, kMaxRegisterNodes> response_seq{};
  std::array<RegisterValue, kMaxRegisterNodes> response_value{};
  std::uint8_t acks = 0;  // phase 2: bit i, server i acknowledged
  auto operator<=>(const AbdPhase&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AbdPhase, number, request_id, requester, write, read, responded,
                                   response_seq, response_value, acks)

struct AbdState {
  Seq seq;
  RegisterValue val = 0;
  std::optional<AbdPhase> phase;
  auto operator<=>(const AbdState&) const = default;
  template <class H>
  void hash(H& h) const {
    h(seq.word() << 8 | static_cast<std::uint8_t>(val), phase.has_value());
    if (!phase) return;
    const AbdPhase& p = *phase;
    h(std::uint64_t{p.number} << 56 | std::uint64_t{p.request_id} << 24 |
          std::uint64_t{p.requester} << 16 | std::uint64_t{p.responded} << 8 | p.acks,
      std::uint64_t{p.write.has_value()} << 24 | std::uint64_t{p.read.has_value()} << 16 |
          std::uint64_t{static_cast<std::uint8_t>(p.write.value_or(0))} << 8 |
          static_cast<std::uint8_t>(p.read.value_or(0)));
    for (unsigned i = 0; i < kMaxRegisterNodes; ++i)
      if (p.responded & (1U << i))
        h(p.response_seq[i].word() << 8 | static_cast<std::uint8_t>(p.response_value[i]));
  }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AbdState, seq, val, phase)

class AbdServer {
 public:
  using State = AbdState;
  using Internal = AbdMsg;
  using Msg = RegisterMsg<AbdMsg>;

  explicit AbdServer(unsigned servers) : servers_(servers) {}

  State init(NodeId id) const { return {Seq{0, static_cast<std::uint8_t>(id)}, 0, std::nullopt}; }

  template <class Out>
  void on_msg(NodeId id, const State& state, NodeId src, const Msg& msg, Out& out) const {
    using K = AbdMsg::Kind;
    const std::size_t quorum = majority(servers_);
    const auto bit = [](NodeId n) { return static_cast<std::uint8_t>(1U << n); };
    if ((msg.kind == Msg::Kind::put || msg.kind == Msg::Kind::get) && !state.phase) {
      out.broadcast(Msg::wrap(AbdMsg{K::query, msg.request_id, {}, 0}));
      State& s = out.write();
      AbdPhase phase;
      phase.request_id = msg.request_id;
      phase.requester = static_cast<std::uint8_t>(src);
      if (msg.kind == Msg::Kind::put) phase.write = msg.value;
      phase.responded = bit(id);
      phase.response_seq[id] = s.seq;
      phase.response_value[id] = s.val;
      s.phase = phase;
      return;
    }
    if (msg.kind != Msg::Kind::internal) return;
    const AbdMsg& m = msg.internal;
    switch (m.kind) {
      case K::query:
        out.send(src, Msg::wrap(AbdMsg{K::ack_query, m.request_id, state.seq, state.val}));
        break;
      case K::ack_query: {
        if (!state.phase || state.phase->number != 1 || state.phase->request_id != m.request_id)
          break;
        State& s = out.write();
        AbdPhase& p = *s.phase;
        p.responded |= bit(src);
        p.response_seq[src] = m.seq;
        p.response_value[src] = m.value;
        if (static_cast<std::size_t>(__builtin_popcount(p.responded)) != quorum) break;
        // Quorum reached: the response with the largest sequencer (they are
        // distinct, or equal with equal values) decides what to record.
        unsigned best = 0;
        bool any = false;
        for (unsigned i = 0; i < kMaxRegisterNodes; ++i)
          if ((p.responded & (1U << i)) && (!any || p.response_seq[i] >= p.response_seq[best])) {
            best = i;
            any = true;
          }
        Seq seq = p.response_seq[best];
        RegisterValue val = p.response_value[best];
        std::optional<RegisterValue> read;
        if (p.write) {
          seq = Seq{static_cast<std::uint16_t>(seq.clock + 1), static_cast<std::uint8_t>(id)};
          val = *p.write;
        } else {
          read = val;
        }
        out.broadcast(Msg::wrap(AbdMsg{K::record, p.request_id, seq, val}));
        // Simulate the `Record` self-send, then the `AckRecord` self-send.
        if (seq > s.seq) {
          s.seq = seq;
          s.val = val;
        }
        AbdPhase phase2;
        phase2.number = 2;
        phase2.request_id = p.request_id;
        phase2.requester = p.requester;
        phase2.read = read;
        phase2.acks = bit(id);
        s.phase = phase2;
        break;
      }
      case K::record:
        out.send(src, Msg::wrap(AbdMsg{K::ack_record, m.request_id, {}, 0}));
        if (m.seq > state.seq) {
          State& s = out.write();
          s.seq = m.seq;
          s.val = m.value;
        }
        break;
      case K::ack_record: {
        if (!state.phase || state.phase->number != 2 || state.phase->request_id != m.request_id ||
            (state.phase->acks & bit(src)))
          break;
        State& s = out.write();
        AbdPhase& p = *s.phase;
        p.acks |= bit(src);
        if (static_cast<std::size_t>(__builtin_popcount(p.acks)) != quorum) break;
        out.send(p.requester,
                 p.read ? Msg::get_ok(p.request_id, *p.read) : Msg::put_ok(p.request_id));
        s.phase.reset();
        break;
      }
    }
  }

 private:
  unsigned servers_;
};

}  // namespace verdict::reference
