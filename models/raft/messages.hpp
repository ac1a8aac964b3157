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

  auto operator<=>(const Request&) const = default;
  template <class H>
  void hash(H& h) const {
    h(client, id, op);
  }
  friend void to_json(nlohmann::json& j, const Request& r) {
    j = {{"client", r.client}, {"id", r.id}, {"op", r.op}};
  }
  friend void from_json(const nlohmann::json& j, Request& r) {
    r.client = j.at("client").get<ClientId>();
    r.id = j.at("id").get<RequestId>();
    r.op = j.at("op").get<Op>();
  }
};

// The answer to a request: the machine's output, or (no result) "not the
// leader, try another node" — Verdi's NotLeader.
template <class Out>
struct Reply {
  ClientId client = 0;
  RequestId id = 0;
  std::optional<Out> result;

  bool not_leader() const { return !result.has_value(); }
  auto operator<=>(const Reply&) const = default;
  template <class H>
  void hash(H& h) const {
    h(client, id, result);
  }
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

  auto operator<=>(const Entry&) const = default;
  template <class H>
  void hash(H& h) const {
    h(term, request);
  }
  friend void to_json(nlohmann::json& j, const Entry& e) {
    j = {{"term", e.term}, {"request", e.request}};
  }
  friend void from_json(const nlohmann::json& j, Entry& e) {
    e.term = j.at("term").get<Term>();
    e.request = j.at("request").get<Request<Op>>();
  }
};

struct RequestVote {
  Term term = 0;
  Index last_index = 0;
  Term last_term = 0;
  auto operator<=>(const RequestVote&) const = default;
  template <class H>
  void hash(H& h) const {
    h(term, last_index, last_term);
  }
};

struct Vote {
  Term term = 0;
  bool granted = false;
  auto operator<=>(const Vote&) const = default;
  template <class H>
  void hash(H& h) const {
    h(term, granted);
  }
};

template <class Op>
struct AppendEntries {
  Term term = 0;
  Index prev_index = 0;
  Term prev_term = 0;
  std::vector<Entry<Op>> entries;
  Index commit = 0;  // the leader's commit index
  auto operator<=>(const AppendEntries&) const = default;
  template <class H>
  void hash(H& h) const {
    h(term, prev_index, prev_term, entries, commit);
  }
};

struct AppendReply {
  Term term = 0;
  bool success = false;
  Index match = 0;  // on success: the follower's log agrees with the leader's up to here
  auto operator<=>(const AppendReply&) const = default;
  template <class H>
  void hash(H& h) const {
    h(term, success, match);
  }
};

template <class Op>
struct Msg {
  std::variant<RequestVote, Vote, AppendEntries<Op>, AppendReply> body;

  Term term() const {
    return std::visit([](const auto& m) { return m.term; }, body);
  }
  auto operator<=>(const Msg&) const = default;
  template <class H>
  void hash(H& h) const {
    h(body);
  }

  // {"type": "AppendEntries", "term": 2, ...}: readable in traces.
  friend void to_json(nlohmann::json& j, const Msg& m) {
    std::visit(
        [&](const auto& b) {
          using T = std::decay_t<decltype(b)>;
          if constexpr (std::is_same_v<T, RequestVote>)
            j = {{"type", "RequestVote"},
                 {"term", b.term},
                 {"last_index", b.last_index},
                 {"last_term", b.last_term}};
          else if constexpr (std::is_same_v<T, Vote>)
            j = {{"type", "Vote"}, {"term", b.term}, {"granted", b.granted}};
          else if constexpr (std::is_same_v<T, AppendReply>)
            j = {{"type", "AppendReply"},
                 {"term", b.term},
                 {"success", b.success},
                 {"match", b.match}};
          else
            j = {{"type", "AppendEntries"},  {"term", b.term},       {"prev_index", b.prev_index},
                 {"prev_term", b.prev_term}, {"entries", b.entries}, {"commit", b.commit}};
        },
        m.body);
  }
  friend void from_json(const nlohmann::json& j, Msg& m) {
    const auto type = j.at("type").get<std::string>();
    const auto term = j.at("term").get<Term>();
    if (type == "RequestVote")
      m.body = RequestVote{term, j.at("last_index").get<Index>(), j.at("last_term").get<Term>()};
    else if (type == "Vote")
      m.body = Vote{term, j.at("granted").get<bool>()};
    else if (type == "AppendReply")
      m.body = AppendReply{term, j.at("success").get<bool>(), j.at("match").get<Index>()};
    else if (type == "AppendEntries")
      m.body = AppendEntries<Op>{
          term, j.at("prev_index").get<Index>(), j.at("prev_term").get<Term>(),
          j.at("entries").get<std::vector<Entry<Op>>>(), j.at("commit").get<Index>()};
    else
      throw std::invalid_argument("unknown Raft message type \"" + type + "\"");
  }
};

enum class Timer : std::uint8_t {
  election,   // a follower or candidate starts an election
  heartbeat,  // a leader resends AppendEntries to every follower
};
NLOHMANN_JSON_SERIALIZE_ENUM(Timer,
                             {{Timer::election, "election"}, {Timer::heartbeat, "heartbeat"}})

enum class Role : std::uint8_t { follower, candidate, leader };
NLOHMANN_JSON_SERIALIZE_ENUM(Role, {{Role::follower, "follower"},
                                    {Role::candidate, "candidate"},
                                    {Role::leader, "leader"}})

}  // namespace verdict::raft
