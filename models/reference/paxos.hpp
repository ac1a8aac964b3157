// Single-decree Paxos as a register, ported from Stateright's
// examples/paxos.rs (16,668 states for 3 servers and 2 clients under
// Stateright's actor semantics). Each client request starts a new term: the
// server that receives a Put becomes leader with a higher ballot, gathers a
// quorum of Prepared (adopting the most recent accepted proposal, if any),
// then a quorum of Accepted, and then answers PutOk and broadcasts Decided.
// A decided server answers Get with the decided value; an undecided one does
// not answer (the Get stays in flight).
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "simulator/json_support.hpp"

#include "models/reference/register_actor.hpp"

namespace verdict::reference {

// Fields are narrow (rounds and request ids stay below a few dozen in any
// configuration we can search) so that a state copies and hashes quickly;
// each type packs itself into one word for hashing.
struct Ballot {
  std::uint16_t round = 0;
  std::uint8_t leader = 0;
  auto operator<=>(const Ballot&) const = default;
  std::uint64_t word() const { return std::uint64_t{round} << 8 | leader; }  // 24 bits
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Ballot, round, leader)

// (request id, requester, value)
struct Proposal {
  std::uint16_t request_id = 0;
  std::uint8_t requester = 0;
  RegisterValue value = 0;
  auto operator<=>(const Proposal&) const = default;
  std::uint64_t word() const {
    return std::uint64_t{request_id} << 16 | std::uint64_t{requester} << 8 |
           static_cast<std::uint8_t>(value);
  }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Proposal, request_id, requester, value)

struct Accepted {
  Ballot ballot;
  Proposal proposal;
  auto operator<=>(const Accepted&) const = default;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Accepted, ballot, proposal)

inline std::uint64_t accepted_word(const std::optional<Accepted>& a) {
  return a ? (std::uint64_t{1} << 63 | a->ballot.word() << 32 | a->proposal.word()) : 0;
}

// Prepare{ballot} | Prepared{ballot, last_accepted} | Accept{ballot, proposal}
// | Accepted{ballot} | Decided{ballot, proposal}, in Rust's derived order.
struct PaxosMsg {
  enum class Kind : std::uint8_t { prepare, prepared, accept, accepted, decided };
  Kind kind = Kind::prepare;
  Ballot ballot;
  std::optional<Accepted> last_accepted;  // Prepared
  Proposal proposal;                      // Accept, Decided
  auto operator<=>(const PaxosMsg&) const = default;
  template <class H>
  void hash(H& h) const {
    h(static_cast<std::uint64_t>(kind) << 56 | ballot.word() << 32 | proposal.word(),
      accepted_word(last_accepted));
  }
};
VERDICT_JSON_ENUM(PaxosMsg::Kind, {{PaxosMsg::Kind::prepare, "Prepare"},
                                   {PaxosMsg::Kind::prepared, "Prepared"},
                                   {PaxosMsg::Kind::accept, "Accept"},
                                   {PaxosMsg::Kind::accepted, "Accepted"},
                                   {PaxosMsg::Kind::decided, "Decided"}})
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PaxosMsg, kind, ballot, last_accepted, proposal)

struct PaxosState {
  // shared
  Ballot ballot;
  // leader
  std::optional<Proposal> proposal;
  std::uint8_t prepared_from = 0;  // bit i: prepares has an entry for server i
  std::array<std::optional<Accepted>, kMaxRegisterNodes> prepares{};  // entry i's last accepted
  std::uint8_t accepts = 0;                                           // bit i: server i accepted
  // acceptor
  std::optional<Accepted> accepted;
  bool is_decided = false;

  auto operator<=>(const PaxosState&) const = default;
  template <class H>
  void hash(H& h) const {
    h(ballot.word() << 40 | std::uint64_t{prepared_from} << 32 | std::uint64_t{accepts} << 24 |
          std::uint64_t{is_decided} << 16 | std::uint64_t{proposal.has_value()} << 8,
      proposal ? proposal->word() : 0, accepted_word(accepted));
    for (unsigned i = 0; i < kMaxRegisterNodes; ++i)
      if (prepared_from & (1U << i)) h(accepted_word(prepares[i]));
  }
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PaxosState, ballot, proposal, prepared_from, prepares, accepts,
                                   accepted, is_decided)

class PaxosServer {
 public:
  using State = PaxosState;
  using Internal = PaxosMsg;
  using Msg = RegisterMsg<PaxosMsg>;

  explicit PaxosServer(unsigned servers) : servers_(servers) {}

  State init(NodeId) const { return {}; }

  template <class Out>
  void on_msg(NodeId id, const State& state, NodeId src, const Msg& msg, Out& out) const;

 private:
  unsigned servers_;
};

template <class Out>
void PaxosServer::on_msg(NodeId id, const State& state, NodeId src, const Msg& msg,
                         Out& out) const {
  const auto self = static_cast<std::uint8_t>(id);
  const auto from = static_cast<std::uint8_t>(src);
  const std::size_t quorum = majority(servers_);
  if (state.is_decided) {
    // A decided server answers reads; it cannot know an undecided value is
    // not decided elsewhere, so undecided servers stay silent.
    if (msg.kind == Msg::Kind::get)
      out.send(src, Msg::get_ok(msg.request_id, state.accepted->proposal.value));
    return;
  }
  using K = PaxosMsg::Kind;
  if (msg.kind == Msg::Kind::put) {
    if (state.proposal) return;
    State& s = out.write();
    s.proposal = Proposal{narrow_request_id(msg.request_id), from, msg.value};
    s.prepared_from = 0;
    s.prepares = {};
    s.accepts = 0;
    // Simulate the `Prepare` self-send, then the `Prepared` self-send.
    s.ballot = Ballot{static_cast<std::uint16_t>(s.ballot.round + 1), self};
    s.prepared_from |= static_cast<std::uint8_t>(1U << id);
    s.prepares[id] = s.accepted;
    out.broadcast(Msg::wrap(PaxosMsg{K::prepare, s.ballot, std::nullopt, {}}));
    return;
  }
  if (msg.kind != Msg::Kind::internal) return;
  const PaxosMsg& m = msg.internal;
  switch (m.kind) {
    case K::prepare:
      if (state.ballot < m.ballot) {
        State& s = out.write();
        s.ballot = m.ballot;
        out.send(src, Msg::wrap(PaxosMsg{K::prepared, m.ballot, s.accepted, {}}));
      }
      break;
    case K::prepared: {
      if (!(m.ballot == state.ballot)) break;
      State& s = out.write();
      s.prepared_from |= static_cast<std::uint8_t>(1U << src);
      s.prepares[src] = m.last_accepted;
      if (static_cast<std::size_t>(__builtin_popcount(s.prepared_from)) != quorum) break;
      // Leadership handoff: drive the most recently accepted proposal of the
      // quorum, or the client's if none was accepted.
      std::optional<Accepted> latest;
      for (unsigned i = 0; i < kMaxRegisterNodes; ++i)
        if ((s.prepared_from & (1U << i)) && s.prepares[i] > latest) latest = s.prepares[i];
      const Proposal proposal = latest ? latest->proposal : *s.proposal;
      s.proposal = proposal;
      // Simulate the `Accept` self-send, then the `Accepted` self-send.
      s.accepted = Accepted{m.ballot, proposal};
      s.accepts |= static_cast<std::uint8_t>(1U << id);
      out.broadcast(Msg::wrap(PaxosMsg{K::accept, m.ballot, std::nullopt, proposal}));
      break;
    }
    case K::accept:
      if (state.ballot <= m.ballot) {
        State& s = out.write();
        s.ballot = m.ballot;
        s.accepted = Accepted{m.ballot, m.proposal};
        out.send(src, Msg::wrap(PaxosMsg{K::accepted, m.ballot, std::nullopt, {}}));
      }
      break;
    case K::accepted: {
      if (!(m.ballot == state.ballot)) break;
      State& s = out.write();
      s.accepts |= static_cast<std::uint8_t>(1U << src);
      if (static_cast<std::size_t>(__builtin_popcount(s.accepts)) != quorum) break;
      s.is_decided = true;
      const Proposal proposal = *s.proposal;
      out.broadcast(Msg::wrap(PaxosMsg{K::decided, m.ballot, std::nullopt, proposal}));
      out.send(proposal.requester, Msg::put_ok(proposal.request_id));
      break;
    }
    case K::decided: {
      State& s = out.write();
      s.ballot = m.ballot;
      s.accepted = Accepted{m.ballot, m.proposal};
      s.is_decided = true;
      break;
    }
  }
}

}  // namespace verdict::reference
