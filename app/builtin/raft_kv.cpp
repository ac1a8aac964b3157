// `raft-kv` in the model registry: Raft over the key-value store (Verdi's
// vard), checked under faults for Raft's safety properties, linearizability
// of the clients' I/O trace against the vard specification, and trace
// preservation against the single-node store. See docs/raft-kv.md.
#include <fmt/format.h>

#include "app/builtin.hpp"
#include "app/builtin/raft_kv_search.hpp"
#include "app/system_check.hpp"
#include "checkers/linearizability/checker.hpp"
#include "checkers/linearizability/specs.hpp"
#include "models/kv/kv.hpp"
#include "models/raft/client_trace.hpp"
#include "models/raft/invariants.hpp"
#include "models/raft/raft_kv.hpp"

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
     "8); caught by electable-completeness at that commit; needs max-term=3 (the check "
     "suite's three-terms)"},
    {"no-dedup", Bug::no_dedup,
     "no client table: a retried request is appended and applied again; caught by "
     "data-is-replay (and consistent-answers, refines-kv)"},
    {"vote-not-persisted", Bug::vote_not_persisted,
     "votedFor is lost on reboot, so a node can vote twice in one term; caught by "
     "election-safety"},
    {"no-truncate", Bug::no_truncate,
     "a follower keeps its conflicting entries instead of truncating its log; caught by "
     "electable-completeness or match-index-agrees (and state-machine-safety)"},
    {"reply-before-commit", Bug::reply_before_commit,
     "the leader answers a request when it appends it, before it commits; caught by "
     "linearizability and refines-kv"},
    {"give-up-on-follower", Bug::give_up_on_follower,
     "a liveness bug: after a failed AppendEntries the leader neither backs up nor resends, "
     "and its heartbeats repeat the failing probe for ever; caught by leader-log-replicated "
     "under preset=liveness (a lasso), invisible to every safety property"},
};

ModelInfo info() {
  std::vector<std::string> bug_choices{"none"};
  std::vector<BugSpec> bugs;
  for (const auto& b : kBugs) {
    bug_choices.emplace_back(b.name);
    bugs.push_back({b.name, b.description});
  }
  return {
      "raft-kv",
      "Raft over the key-value store (Verdi's vard) with clients that follow NotLeader and "
      "time out, under faults (defaults: a drop); invariants: election safety, log "
      "matching, leader completeness, electable completeness, state machine safety, "
      "match-index-agrees, data-is-replay, leader append-only, consistent answers, "
      "linearizability (vard), refines-kv; reached (sometimes): a new leader of a later term, "
      "a commit in a later term",
      {{"nodes", "3", "Raft nodes", {}},
       {"clients",
        "1",
        "clients; each sends its first request to node 0 (bootstrap=leader) or to node c mod nodes",
        {}},
       {"ops",
        "1",
        "requests per client (Put, Get and CAS over keys x and y; see docs/raft-kv.md)",
        {}},
       {"client-timeouts",
        "1",
        "client timeouts per client: a waiting client gives up and resends its request "
        "(same id) to another node",
        {}},
       {"max-term", "2", "no node starts an election past this term", {}},
       {"heartbeats", "0", "heartbeat timeouts per leader term", {}},
       {"max-entries", "1", "entries per AppendEntries (0: all from next_index on)", {}},
       {"max-batch-bytes",
        "0",
        "key and value bytes per AppendEntries, at least one entry (0: no cap)",
        {}},
       {"bootstrap",
        "leader",
        "initial world: node 0 already leader of term 1, or all followers at term 0",
        {"leader", "election"}},
       {"drops", "1", "messages the network may drop (the model's budget; --budget overrides)", {}},
       {"duplicates", "0", "messages the network may duplicate (likewise)", {}},
       {"crashes", "0", "node crashes, each followed by any number of reboots (likewise)", {}},
       {"liveness",
        "off",
        "on: liveness under weak fairness (leader-log-replicated, client-N-answered-by-leader): "
        "heartbeats for ever, per-link FIFO, identical packets in flight merged, election "
        "timers not forced; no transformers",
        {"off", "on"}},
       {"preset",
        "main",
        "main: the defaults above; deep: 2 clients x 2 requests, max-term 3, a heartbeat, "
        "a drop, a duplicate and a crash; liveness: liveness=on with a drop and no client "
        "timeout (explicit parameters still win)",
        {"main", "deep", "liveness"}},
       {"bug", "none", "seeded bug", bug_choices}},
      bugs,
      true,
      {{"deep",
        {{"clients", "2"},
         {"ops", "2"},
         {"client-timeouts", "1"},
         {"max-term", "3"},
         {"heartbeats", "1"},
         {"max-entries", "1"},
         {"drops", "1"},
         {"duplicates", "1"},
         {"crashes", "1"}}},
       {"liveness", {{"liveness", "on"}, {"client-timeouts", "0"}, {"drops", "1"}}}},
      {{"leader-log-replicated", "leads-to",
        "with liveness=on: an up node whose log does not begin with an up leader's whole log "
        "does not stay so for ever (the leader backs up and resends, or steps down); fails "
        "with bug=give-up-on-follower"},
       {"client-N-answered-by-leader", "leads-to",
        "with liveness=on, per client: a client waiting on an up leader does not wait for "
        "ever while that node stays an up leader"}},
      // The main job (docs/raft-kv.md, "The main job", says how each was chosen).
      {{"timeouts",
        "a client timeout: two leaders append one request at one index (truncation, the "
        "prev_term check, the vote's up-to-date rule) and an applied request is resent",
        {{"drops", "0"}}},
       {"crash",
        "a crash and reboots, a drop: durable term, vote and log; state rebuilt on reboot",
        {{"crashes", "1"}, {"client-timeouts", "0"}}},
       {"duplicate",
        "a duplicated message: a repeated vote request, AppendEntries and replies seen twice",
        {{"duplicates", "1"}, {"client-timeouts", "0"}, {"drops", "0"}}},
       {"two-requests",
        "a second request of one client: the client table across requests, a sticky client; "
        "AppendEntries capped by bytes (serve's max-batch-bytes) rather than entries",
        {{"ops", "2"},
         {"client-timeouts", "0"},
         {"drops", "0"},
         {"max-entries", "0"},
         {"max-batch-bytes", "2"}}},
       {"two-clients",
        "two clients at once: answers to the right client, a table of two clients; a "
        "heartbeat",
        {{"clients", "2"}, {"client-timeouts", "0"}, {"max-term", "1"}, {"heartbeats", "1"}}},
       {"one-node",
        "a cluster of one node (serve without peers): it elects itself, commits alone, "
        "heartbeats with no one to send to, reboots",
        {{"nodes", "1"},
         {"bootstrap", "election"},
         {"max-term", "3"},
         {"ops", "2"},
         {"heartbeats", "2"},
         {"crashes", "1"}}},
       {"three-terms",
        "a third term: a leader of an older term's entries counting replicas (figure 8), to "
        "depth 14",
        {{"max-term", "3"}, {"drops", "0"}},
        14}},
      "deep"};
}

Bug bug_from_name(const std::string& name) {
  for (const auto& b : kBugs)
    if (name == b.name) return b.bug;
  return Bug::none;
}

// Operation j of client c. The first two operations of the first three
// clients mix Put, CAS and Get over keys x and y so that a client reads what
// it wrote and every two neighbours conflict on a key:
//   client 0: Put x=0,          Get x
//   client 1: CAS x (unset)->1, Put y=1
//   client 2: Get y,            CAS y (unset)->2
// Later operations (and clients) Put to x or y in turn.
kv::Input client_op(std::size_t c, std::size_t j) {
  const std::string value = std::to_string(c);
  if (j > 1 || c > 2) return kv::Input::put(j % 2 == 0 ? "x" : "y", fmt::format("{}.{}", c, j));
  switch (c * 2 + j) {
    case 0:
      return kv::Input::put("x", value);
    case 1:
      return kv::Input::get("x");
    case 2:
      return kv::Input::cas("x", std::nullopt, value);
    case 3:
      return kv::Input::put("y", value);
    case 4:
      return kv::Input::get("y");
    default:
      return kv::Input::cas("y", std::nullopt, value);
  }
}

// Clients as `verdict client` behaves: a client sends its first request to
// the node it was told of (node 0, the leader, when the run starts with one;
// else node c mod nodes for client c), follows NotLeader to another node (at
// most nodes - 1 times per request), may time out waiting and resend to
// another node, and stays with the node that answered for its next request.
// Only node 0 is special to the clients when it starts as leader, so the
// other nodes stay interchangeable (--symmetry).
Workload<RaftKvChecked> workload(const Config& config, std::size_t clients, std::size_t ops,
                                 std::size_t client_timeouts) {
  const std::size_t nodes = config.nodes;
  Workload<RaftKvChecked> w;
  for (std::size_t c = 0; c < clients; ++c) {
    Client<RaftKvChecked> client;
    client.redirects = static_cast<std::uint8_t>(nodes - 1);
    client.timeouts = static_cast<std::uint8_t>(client_timeouts);
    client.sticky = true;
    for (std::size_t j = 0; j < ops; ++j)
      client.ops.push_back({static_cast<NodeId>(config.bootstrap_leader ? 0 : c % nodes),
                            Request<kv::Input>{static_cast<ClientId>(c),
                                               static_cast<RequestId>(j + 1), client_op(c, j)}});
    w.clients.push_back(std::move(client));
  }
  return w;
}

// The network's faults as the model's parameters say; --faults and --budget
// apply on top.
Semantics semantics(const Params& params) {
  Semantics s = Semantics::step_async();
  const auto budget = [&](const char* name) {
    return static_cast<std::uint16_t>(params.integer(name, 0, 8));
  };
  if (auto drops = budget("drops")) s.add_fault(StepKind::drop, drops);
  if (auto duplicates = budget("duplicates")) s.add_fault(StepKind::duplicate, duplicates);
  if (auto crashes = budget("crashes")) s.add_fault(StepKind::crash, crashes);
  // A crashed node may always reboot (a crash from --faults too).
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
  config.max_entries = static_cast<std::size_t>(req.params.integer("max-entries", 0, 64));
  config.max_batch_bytes =
      static_cast<std::size_t>(req.params.integer("max-batch-bytes", 0, 1 << 20));
  config.bug = bug_from_name(req.params.text("bug"));
  const auto clients = static_cast<std::size_t>(req.params.integer("clients", 1, 4));
  const auto ops = static_cast<std::size_t>(req.params.integer("ops", 1, 4));
  const auto timeouts = static_cast<std::size_t>(req.params.integer("client-timeouts", 0, 8));
  const bool liveness = req.params.text("liveness") == "on";
  Semantics network = semantics(req.params);
  if (liveness) {
    if (!req.transforms.empty())
      throw UsageError("raft-kv's liveness=on runs without transformers");
    config.heartbeats = kUnlimitedHeartbeats;
    network.merge_identical_packets = true;
    // Per-link FIFO, as serve's TCP connections are: without it stale
    // packets of every round linger in every combination, and the graph
    // that liveness needs whole is out of reach (docs/raft-kv.md).
    network.ordered = true;
  }
  RaftKvChecked system{RaftKv{kv::Machine{}, config}, {}};
  return build_system<1>(system, network, workload(config, clients, ops, timeouts), req,
                         [config, liveness](auto& model) {
                           add_raft_kv_properties(model, config);
                           using Sys = typename std::decay_t<decltype(model)>::Sys;
                           if constexpr (std::is_same_v<Sys, RaftKvChecked>)
                             if (liveness) add_raft_kv_liveness(model);
                         });
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

VERDICT_EXPLORE_INSTANCE(SystemModel<raft::RaftKvChecked>);
