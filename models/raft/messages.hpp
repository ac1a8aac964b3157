// The values Raft exchanges with its clients and between its nodes: client
// requests and replies (a request carries a client id and a request id, so a
// retried request can be recognised), log entries, and the four RPC messages
// of the Raft paper (RequestVote, its reply, AppendEntries, its reply).
// Every type is a Value (ordered, stable-hashed, JSON).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "simulator/json_support.hpp"
#include "simulator/system.hpp"
#include "simulator/value.hpp"

namespace verdict::raft {

// Wide enough for a real cluster (`verdict serve`: clients pick random 64-bit
// ids and number their requests from 1); the checker's bounded runs use small
// values, and the stable hash widens every integer alike, so the width does not
// change what a search explores.
using Term = std::uint32_t;
using Index = std::uint32_t;  // log positions count from 1; 0 is "before the log"
using ClientId = std::uint64_t;
using RequestId = std::uint64_t;

// A client's operation on the replicated machine. Clients number their
// requests; a retry reuses the id, which is how the client table recognises it.
template <class Op>
struct Request {
  ClientId client = 0;
  RequestId id = 0;
  Op op{};

  VERDICT_VALUE(Request, client, id, op)
};

// The answer to a request: the machine's output, or (no result) "not the
// leader, try another node" — Verdi's NotLeader.
template <class Out>
struct Reply {
  ClientId client = 0;
  RequestId id = 0;
  std::optional<Out> result;

  bool not_leader() const { return !result.has_value(); }
  // JSON of its own: {"not_leader": true} rather than a null result.
  VERDICT_FIELDS(Reply, client, id, result)
  friend void to_json(nlohmann::json& j, const Reply& r) {
    j = {{"client", r.client}, {"id", r.id}};
    if (r.result)
      j["result"] = *r.result;
    else
      j["not_leader"] = true;
  }
  friend void from_json(const nlohmann::json& j, Reply& r) {
    r.client = j.at("client").get<ClientId>();
    r.id = j.at("id").get<RequestId>();
    if (j.contains("result"))
      r.result = j.at("result").get<Out>();
    else
      r.result.reset();
  }
};

template <class Op>
struct Entry {
  Term term = 0;
  Request<Op> request;

  VERDICT_VALUE(Entry, term, request)
};

struct RequestVote {
  Term term = 0;
  Index last_index = 0;
  Term last_term = 0;
  VERDICT_VALUE(RequestVote, term, last_index, last_term)
};

struct Vote {
  Term term = 0;
  bool granted = false;
  VERDICT_VALUE(Vote, term, granted)
};

template <class Op>
struct AppendEntries {
  Term term = 0;
  Index prev_index = 0;
  Term prev_term = 0;
  std::vector<Entry<Op>> entries;
  Index commit = 0;  // the leader's commit index
  VERDICT_VALUE(AppendEntries, term, prev_index, prev_term, entries, commit)
};

struct AppendReply {
  Term term = 0;
  bool success = false;
  Index match = 0;  // on success: the follower's log agrees with the leader's up to here
  VERDICT_VALUE(AppendReply, term, success, match)
};

template <class Op>
struct Msg {
  using Body = std::variant<RequestVote, Vote, AppendEntries<Op>, AppendReply>;
  static constexpr const char* kTypes[] = {"RequestVote", "Vote", "AppendEntries", "AppendReply"};

  Body body;

  Term term() const {
    return std::visit([](const auto& m) { return m.term; }, body);
  }

  // {"type": "AppendEntries", "term": 2, ...}: readable in traces.
  VERDICT_FIELDS(Msg, body)
  friend void to_json(nlohmann::json& j, const Msg& m) {
    std::visit([&j](const auto& b) { j = b; }, m.body);
    j["type"] = kTypes[m.body.index()];
  }
  friend void from_json(const nlohmann::json& j, Msg& m) {
    const auto type = j.at("type").get<std::string>();
    read_alternative(j, type, m.body, std::make_index_sequence<std::variant_size_v<Body>>{});
  }

 private:
  template <std::size_t... I>
  static void read_alternative(const nlohmann::json& j, const std::string& type, Body& body,
                               std::index_sequence<I...>) {
    const bool known =
        ((type == kTypes[I] ? (body = j.get<std::variant_alternative_t<I, Body>>(), true)
                            : false) ||
         ...);
    if (!known) throw std::invalid_argument("unknown Raft message type \"" + type + "\"");
  }
};

enum class Timer : std::uint8_t {
  election,   // a follower or candidate starts an election
  heartbeat,  // a leader resends AppendEntries to every follower
};
VERDICT_JSON_ENUM(Timer, {{Timer::election, "election"}, {Timer::heartbeat, "heartbeat"}})

enum class Role : std::uint8_t { follower, candidate, leader };
VERDICT_JSON_ENUM(Role, {{Role::follower, "follower"},
                         {Role::candidate, "candidate"},
                         {Role::leader, "leader"}})

}  // namespace verdict::raft
