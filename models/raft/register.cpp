// `raft-kv` in the model registry: Raft over the key-value store (Verdi's
// vard), checked under faults for Raft's safety properties, linearizability
// of the clients' I/O trace against the vard specification, and trace
// preservation against the single-node store. See docs/raft-kv.md.
#include <fmt/format.h>

#include "checkers/linearizability/checker.hpp"
#include "checkers/linearizability/specs.hpp"
#include "models/builtin.hpp"
#include "models/kv/kv.hpp"
#include "models/raft/client_trace.hpp"
#include "models/raft/invariants.hpp"
#include "models/raft/raft_kv.hpp"
#include "models/system_check.hpp"

namespace verdict::raft {

namespace {

struct BugName {
  const char* name;
  Bug bug;
  const char* description;
};

constexpr BugName kBugs[] = {
    {"vote-without-log-check", Bug::vote_without_log_check,
     "a node grants its vote without checking that the candidate's log is at least as "
     "up-to-date as its own; caught by leader-completeness"},
    {"figure8", Bug::figure8,
     "a leader commits an entry of an earlier term once a majority stores it (Raft's Figure "
     "8); caught by electable-completeness at that commit, needs clients=2 and max-term=3"},
    {"no-dedup", Bug::no_dedup,
     "no client table: a retried request is appended and applied again; caught by "
     "data-is-replay (and consistent-answers, refines-kv)"},
    {"vote-not-persisted", Bug::vote_not_persisted,
     "votedFor is lost on reboot, so a node can vote twice in one term; caught by "
     "election-safety"},
    {"no-truncate", Bug::no_truncate,
     "a follower keeps its conflicting entries instead of truncating its log; caught by "
     "electable-completeness (and state-machine-safety)"},
    {"reply-before-commit", Bug::reply_before_commit,
     "the leader answers a request when it appends it, before it commits; caught by "
     "linearizability and refines-kv"},
};

ModelInfo info() {
  std::vector<std::string> bug_choices{"none"};
  std::vector<BugSpec> bugs;
  for (const auto& b : kBugs) {
    bug_choices.emplace_back(b.name);
    bugs.push_back({b.name, b.description});
  }
  return {"raft-kv",
          "Raft over the key-value store (Verdi's vard) under a drop and a crash and reboot; "
          "invariants: election safety, log matching, leader completeness, electable "
          "completeness, state machine safety, leader append-only, linearizability (vard), "
          "refines-kv",
          {{"nodes", "3", "Raft nodes", {}},
           {"clients", "1", "clients; client c sends to node c mod nodes first", {}},
           {"ops", "1", "requests per client", {}},
           {"retries", "1", "retries of each request (same id) at the following nodes", {}},
           {"max-term", "2", "no node starts an election past this term", {}},
           {"heartbeats", "0", "heartbeat timeouts per leader term", {}},
           {"bootstrap",
            "leader",
            "initial world: node 0 already leader of term 1, or all followers at term 0",
            {"leader", "election"}},
           {"bug", "none", "seeded bug", bug_choices}},
          bugs,
          true};
}

Bug bug_from_name(const std::string& name) {
  for (const auto& b : kBugs)
    if (name == b.name) return b.bug;
  return Bug::none;
}

// The operations of client c: a Put, a Get or a CAS on one key, so that every
// pair of clients conflicts.
kv::Input client_op(std::size_t c, std::size_t j) {
  if (j > 0) return kv::Input::put("k", fmt::format("v{}{}", c, j));
  switch (c % 3) {
    case 0:
      return kv::Input::put("k", "a");
    case 1:
      return kv::Input::get("k");
    default:
      return kv::Input::cas("k", std::nullopt, fmt::format("c{}", c));
  }
}

Workload<RaftKvChecked> workload(std::size_t nodes, std::size_t clients, std::size_t ops,
                                 std::size_t retries) {
  Workload<RaftKvChecked> w;
  for (std::size_t c = 0; c < clients; ++c) {
    Client<RaftKvChecked> client;
    for (std::size_t j = 0; j < ops; ++j) {
      Request<kv::Input> req{static_cast<ClientId>(c), static_cast<RequestId>(j + 1),
                             client_op(c, j)};
      for (std::size_t attempt = 0; attempt <= retries; ++attempt)
        client.ops.push_back({static_cast<NodeId>((c + attempt) % nodes), req});
    }
    w.clients.push_back(std::move(client));
  }
  return w;
}

// The main job's faults: a drop, and a crash with its reboot. A duplicate
// (--faults duplicate) multiplies the space by about three.
Semantics preset() {
  Semantics s = Semantics::step_async();
  s.add_fault(StepKind::drop, 1);
  s.add_fault(StepKind::crash, 1);
  s.add_fault(StepKind::reboot, kUnlimitedReboots);
  s.record_io_trace = true;
  return s;
}

std::unique_ptr<AnyModel> build(const ModelConfig& req) {
  Config config;
  config.nodes = static_cast<std::size_t>(req.params.integer("nodes", 1, 7));
  config.max_term = static_cast<Term>(req.params.integer("max-term", 1, 20));
  config.heartbeats = static_cast<std::uint8_t>(req.params.integer("heartbeats", 0, 10));
  config.bootstrap_leader = req.params.text("bootstrap") == "leader";
  config.bug = bug_from_name(req.params.text("bug"));
  const auto clients = static_cast<std::size_t>(req.params.integer("clients", 1, 4));
  const auto ops = static_cast<std::size_t>(req.params.integer("ops", 1, 4));
  const auto retries = static_cast<std::size_t>(req.params.integer("retries", 0, 3));
  RaftKvChecked system{RaftKv{kv::Machine{}, config}, {}};
  return build_system<1>(system, preset(), workload(config.nodes, clients, ops, retries), req,
                         [](auto& model) { add_raft_kv_properties(model); });
}

}  // namespace

std::optional<Bug> bug_named(const std::string& name) {
  if (name == "none") return Bug::none;
  for (const auto& b : kBugs)
    if (name == b.name) return b.bug;
  return std::nullopt;
}

void register_model(ModelRegistry& registry) {
  registry.add({info(), build});
}

}  // namespace verdict::raft
