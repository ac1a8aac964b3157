// Raft over the key-value store: the handlers on their own, the invariants on
// hand-built runs (Figure 8 among them), and `raft-kv` exhaustively: correct
// at small bounds, and each seeded bug caught by the property its
// documentation names.
#include <catch2/catch.hpp>

#include "app/any_model.hpp"
#include "app/builtin/raft_kv_search.hpp"
#include "app/check_verdict.hpp"
#include "app/erased_dyn.hpp"
#include "models/raft/raft_kv.hpp"
#include "simulator/steps.hpp"
#include "testing/symmetry_audit.hpp"
#include "traces/replay.hpp"

using namespace verdict;
using namespace verdict::raft;

namespace {

using RaftModel = SystemModel<RaftKvChecked>;
using W = World<RaftKvChecked>;

Request<kv::Input> put(ClientId c, RequestId id, std::string value) {
  return {c, id, kv::Input::put("k", std::move(value))};
}

// A model of raft-kv: client c sends its requests to node c; no faults but
// `crashes` crashes, each with its reboot.
RaftModel small_model(Config config, std::vector<std::vector<Request<kv::Input>>> clients,
                      std::uint16_t crashes = 0) {
  Workload<RaftKvChecked> workload;
  for (std::size_t c = 0; c < clients.size(); ++c) {
    Client<RaftKvChecked> client;
    for (const auto& req : clients[c]) client.ops.push_back({static_cast<NodeId>(c), req});
    workload.clients.push_back(std::move(client));
  }
  Semantics semantics = Semantics::step_async();
  semantics.record_io_trace = true;
  if (crashes > 0) {
    semantics.add_fault(StepKind::crash, crashes);
    semantics.add_fault(StepKind::reboot, kUnlimitedReboots);
  }
  RaftModel model(RaftKvChecked{RaftKv{kv::Machine{}, config}, {}}, semantics, workload);
  add_raft_kv_properties(model, config);
  return model;
}

const RaftKv::State& node(const W& w, NodeId n) {
  return node_state<RaftKv>(w, n);
}

// Takes the first enabled step that `pick` accepts; fails the test if none is.
template <class Pick>
void take(const RaftModel& model, W& w, Pick&& pick) {
  std::vector<Label<RaftKvChecked>> enabled;
  model.actions(w, enabled);
  for (const auto& label : enabled) {
    if (!pick(label)) continue;
    auto next = model.next_state(w, label);
    REQUIRE(next);
    w = std::move(*next);
    return;
  }
  FAIL("no enabled step matches");
}

void input(const RaftModel& model, W& w, NodeId n) {
  take(model, w, [&](const auto& l) {
    return std::holds_alternative<InputStep<RaftKvChecked>>(l) &&
           std::get<InputStep<RaftKvChecked>>(l).node == n;
  });
}
void timeout(const RaftModel& model, W& w, NodeId n) {
  take(model, w, [&](const auto& l) {
    return std::holds_alternative<TimeoutStep<RaftKvChecked>>(l) &&
           std::get<TimeoutStep<RaftKvChecked>>(l).node == n;
  });
}
// Delivers a message of type T from `from` to `to`.
template <class T>
void deliver(const RaftModel& model, W& w, NodeId from, NodeId to) {
  using D = PacketStep<RaftKvChecked, StepKind::deliver>;
  take(model, w, [&](const auto& l) {
    if (!std::holds_alternative<D>(l)) return false;
    const auto& d = std::get<D>(l);
    return d.from == from && d.to == to && std::holds_alternative<T>(d.msg.body);
  });
}
// Crashes node n, then reboots it.
void crash_and_reboot(const RaftModel& model, W& w, NodeId n) {
  take(model, w, [&](const auto& l) {
    return std::holds_alternative<NodeStep<StepKind::crash>>(l) &&
           std::get<NodeStep<StepKind::crash>>(l).node == n;
  });
  take(model, w, [&](const auto& l) {
    return std::holds_alternative<NodeStep<StepKind::reboot>>(l) &&
           std::get<NodeStep<StepKind::reboot>>(l).node == n;
  });
}
// An election of `candidate` won with the vote of `voter`.
void elect(const RaftModel& model, W& w, NodeId candidate, NodeId voter) {
  timeout(model, w, candidate);
  deliver<RequestVote>(model, w, candidate, voter);
  deliver<Vote>(model, w, voter, candidate);
}

std::vector<std::string> violated(const RaftModel& model, const W& w) {
  std::vector<std::string> names;
  for (const auto& p : model.properties())
    if (p.expectation == Expectation::always && !p.condition(w)) names.push_back(p.name);
  return names;
}

CheckOutcome check_raft_kv(std::map<std::string, std::string> params,
                           std::map<StepKind, std::uint16_t> budgets = {}) {
  const ModelEntry& entry = builtin_models().get("raft-kv");
  CheckRequest req;
  req.model = "raft-kv";
  req.params = Params(entry.info, params);
  for (StepKind f : {StepKind::drop, StepKind::duplicate, StepKind::crash}) {
    req.faults.faults.push_back(f);
    req.faults.budgets[f] = budgets.contains(f) ? budgets[f] : 0;
  }
  req.search.threads = 2;
  return build_model(req)->check(req);
}

// `verdict simulate raft-kv --seed 1 [--swarm] [--param k=v]...` at its
// default 1000 walks of depth 100.
SimulateRequest raft_kv_walks(std::map<std::string, std::string> params, std::uint64_t walks,
                              bool swarm = false, unsigned threads = 2) {
  SimulateRequest req;
  req.model = "raft-kv";
  req.params = Params(builtin_models().get("raft-kv").info, params);
  req.walk.seed = 1;
  req.walk.walks = walks;
  req.walk.swarm = swarm;
  req.walk.threads = threads;
  return req;
}

}  // namespace

TEST_CASE("A one-node Raft commits and answers at once", "[raft]") {
  RaftModel model = small_model({1, 1, 0, false, Bug::none}, {{put(0, 1, "a")}});
  W w = model.init_states().front();
  timeout(model, w, 0);
  CHECK(node(w, 0).is_leader());
  input(model, w, 0);
  CHECK(node(w, 0).commit == 1);
  REQUIRE(w.trace.size() == 2);
  const auto& reply = std::get<1>(w.trace[1].event);
  CHECK(reply.result == kv::Response{"k", "a", std::nullopt});
}

TEST_CASE("Followers answer NotLeader; the leader commits on a majority", "[raft]") {
  RaftModel model = small_model({}, {{put(0, 1, "a")}, {put(1, 1, "b")}});
  W w = model.init_states().front();
  CHECK(node(w, 0).is_leader());
  input(model, w, 1);  // client 1 asks follower n1: NotLeader, and it may not retry
  CHECK_FALSE(w.clients[1].busy());
  CHECK(w.trace.size() == 1);  // a redirect is not an answer: only the call is traced
  input(model, w, 0);
  CHECK(node(w, 0).commit == 0);
  deliver<AppendEntries<kv::Input>>(model, w, 0, 2);
  deliver<AppendReply>(model, w, 2, 0);
  CHECK(node(w, 0).commit == 1);
  CHECK_FALSE(std::get<1>(w.trace.back().event).not_leader());
  CHECK(violated(model, w).empty());
}

TEST_CASE("A retried request is answered from the client table, not applied twice", "[raft]") {
  RaftModel model = small_model({}, {{put(0, 1, "a"), put(0, 1, "a")}});
  W w = model.init_states().front();
  input(model, w, 0);
  deliver<AppendEntries<kv::Input>>(model, w, 0, 1);
  deliver<AppendReply>(model, w, 1, 0);
  input(model, w, 0);  // the retry: answered at once with the first answer
  CHECK(node(w, 0).log.size() == 1);
  REQUIRE(w.trace.size() == 4);
  CHECK(std::get<1>(w.trace[3].event) == std::get<1>(w.trace[1].event));
  auto history = client_history<lincheck::VardSpec>(
      model.system(), w.trace, [](const kv::Input& in) { return to_vard(in); },
      [](const kv::Response& r) { return to_vard(r); });
  CHECK(history.size() == 1);  // one operation however often it was sent
}

TEST_CASE("Durable state survives a reboot, volatile state does not", "[raft]") {
  RaftKv raft{kv::Machine{}, {}};
  Effects<RaftKv> fx;
  RaftKv::State s = raft.init(1, fx);
  s.log.push_back({1, put(0, 1, "a")});
  s.commit = s.applied = 1;
  s.data["k"] = "a";
  raft.on_reboot(1, s, fx);
  CHECK(s.term == 1);
  CHECK(s.voted_for == NodeId{0});
  CHECK(s.log.size() == 1);
  CHECK(s.commit == 0);
  CHECK(s.data.empty());
  RaftKv forgetful{kv::Machine{}, {3, 2, 0, true, Bug::vote_not_persisted}};
  forgetful.on_reboot(1, s, fx);
  CHECK_FALSE(s.voted_for);
}

// Figure 8 of the Raft paper, on three nodes: n0 (leader of term 1) appends
// an entry nobody else has; n1 wins term 2 and appends its own; n0 wins term
// 3 and copies its term-1 entry to n2. Counting replicas, the buggy n0 now
// commits it, and electable-completeness fails at once: n1 (last term 2)
// could still win with n2's vote. n1 then wins term 4, and the leader lacks
// a committed entry (leader-completeness).
TEST_CASE("Figure 8: committing an old term's entry by counting replicas", "[raft][figure8]") {
  struct Run {
    Index committed;
    std::vector<std::string> at_commit, at_end;
  };
  auto run = [](Bug bug) {
    RaftModel model = small_model({3, 4, 0, true, bug}, {{put(0, 1, "a")}, {put(1, 1, "b")}});
    W w = model.init_states().front();
    input(model, w, 0);                                 // n0: [a@1]
    elect(model, w, 1, 2);                              // n1 leads term 2
    input(model, w, 1);                                 // n1: [b@2]
    deliver<RequestVote>(model, w, 1, 0);               // n0 steps down to term 2
    elect(model, w, 0, 2);                              // n0 leads term 3
    deliver<AppendEntries<kv::Input>>(model, w, 0, 2);  // prev (1,1): n2 lacks it
    deliver<AppendReply>(model, w, 2, 0);
    deliver<AppendEntries<kv::Input>>(model, w, 0, 2);  // from index 1: n2 stores a@1
    deliver<AppendReply>(model, w, 2, 0);
    Run r{node(w, 0).commit, violated(model, w), {}};
    deliver<RequestVote>(model, w, 0, 1);  // n1 steps down to term 3
    elect(model, w, 1, 2);                 // n1 (last term 2) wins term 4
    r.at_end = violated(model, w);
    return r;
  };
  const Run buggy = run(Bug::figure8);
  CHECK(buggy.committed == 1);
  CHECK(buggy.at_commit == std::vector<std::string>{"electable-completeness"});
  CHECK(buggy.at_end == std::vector<std::string>{"leader-completeness", "electable-completeness"});
  const Run correct = run(Bug::none);
  CHECK(correct.committed == 0);
  CHECK(correct.at_commit.empty());
  CHECK(correct.at_end.empty());
}

TEST_CASE("The leader append-only ghost flags a leader that drops an entry", "[raft][ghost]") {
  RaftGhostObserver<RaftKv> observer;
  RaftKv::State before;
  before.role = Role::leader;
  before.term = 2;
  before.log = {{1, put(0, 1, "a")}};
  RaftKv::State after = before;
  after.log.push_back({2, put(1, 1, "b")});
  RaftGhost ghost;
  observer.observe(0, before, after, ghost);
  CHECK_FALSE(ghost.append_only_violated);
  after.log = {{2, put(1, 1, "b")}};
  observer.observe(0, before, after, ghost);
  CHECK(ghost.append_only_violated);
}

// Two leaders of term 2, one after the other: n1 wins term 2 with n0's vote
// and reboots (a follower of term 2 now); n0 reboots and, with the seeded
// bug, forgets that vote and gives it to n2, which wins term 2 as well. No
// state ever holds two leaders of one term, so a check of the current roles
// passes; the ghost remembers that n1 led term 2.
TEST_CASE("Election safety remembers every leader of a term", "[raft][ghost]") {
  RaftModel model = small_model({3, 2, 0, true, Bug::vote_not_persisted}, {}, 2);
  W w = model.init_states().front();
  CHECK(ghost_of<RaftKv>(w, 0).terms_led == term_bit(1));  // the bootstrap leader
  timeout(model, w, 1);
  timeout(model, w, 2);
  deliver<RequestVote>(model, w, 1, 0);  // n0 steps down to term 2 and votes for n1
  deliver<Vote>(model, w, 0, 1);
  CHECK(node(w, 1).is_leader());
  crash_and_reboot(model, w, 1);
  crash_and_reboot(model, w, 0);         // bug: n0's vote for n1 is lost
  deliver<RequestVote>(model, w, 2, 0);  // so n0 votes again, for n2
  deliver<Vote>(model, w, 0, 2);
  CHECK(node(w, 2).is_leader());
  CHECK(node(w, 2).term == 2);
  const auto current_leaders_differ = [](const W& world) {  // the former election-safety
    for (NodeId a = 0; a < world.node_count(); ++a)
      for (NodeId b = a + 1; b < world.node_count(); ++b)
        if (node(world, a).is_leader() && node(world, b).is_leader() &&
            node(world, a).term == node(world, b).term)
          return false;
    return true;
  };
  CHECK(current_leaders_differ(w));
  CHECK(ghost_of<RaftKv>(w, 1).terms_led == term_bit(2));
  CHECK(ghost_of<RaftKv>(w, 2).terms_led == term_bit(2));
  CHECK(violated(model, w) == std::vector<std::string>{"election-safety"});
}

// Drives node n's state by hand, as a handler would, with the ghost observing.
struct HandDriven {
  RaftKvChecked system{RaftKv{kv::Machine{}, {}}, {}};
  W& w;
  // n stores `log` and applies all of it.
  void apply(NodeId n, std::vector<Entry<kv::Input>> log) const {
    auto& s = w.states[n];
    const RaftKv::State before = s.inner;
    s.inner.log = std::move(log);
    s.inner.commit = s.inner.applied = static_cast<Index>(s.inner.log.size());
    system.observer.observe(n, before, s.inner, s.ghost);
  }
  void reboot(NodeId n) const {
    Effects<RaftKvChecked> fx;
    system.on_reboot(n, w.states[n], fx);
  }
};

// The former state-machine-safety: current logs agree up to both nodes'
// applied index.
bool current_logs_agree(const W& w) {
  for (NodeId a = 0; a < w.node_count(); ++a)
    for (NodeId b = 0; b < w.node_count(); ++b)
      if (a != b &&
          !same_prefix(node(w, a), node(w, b), std::min(node(w, a).applied, node(w, b).applied)))
        return false;
  return true;
}

TEST_CASE("State machine safety is over what nodes applied, across reboots", "[raft][ghost]") {
  RaftModel model = small_model({}, {});
  const Entry<kv::Input> a{1, put(0, 1, "a")}, b{2, put(1, 1, "b")};

  SECTION("a node re-applies its log after a reboot: the same entries are fine") {
    W w = model.init_states().front();
    HandDriven hand{{}, w};
    hand.apply(1, {a});
    hand.reboot(1);
    CHECK(node(w, 1).applied == 0);
    CHECK(ghost_of<RaftKv>(w, 1).applied == std::vector{entry_hash(a)});
    hand.apply(1, {a});
    CHECK(state_machine_safety<RaftKv>(w));
  }
  SECTION("re-applying a different entry at an index once applied is a violation") {
    W w = model.init_states().front();
    HandDriven hand{{}, w};
    hand.apply(1, {a});
    hand.reboot(1);
    hand.apply(1, {b});
    CHECK(ghost_of<RaftKv>(w, 1).reapplied_differently);
    CHECK(current_logs_agree(w));  // no other node applied anything
    CHECK_FALSE(state_machine_safety<RaftKv>(w));
  }
  SECTION("two nodes applied different entries at one index, one has rebooted since") {
    W w = model.init_states().front();
    HandDriven hand{{}, w};
    hand.apply(1, {a});
    hand.reboot(1);
    hand.apply(2, {b});
    CHECK_FALSE(ghost_of<RaftKv>(w, 2).reapplied_differently);
    CHECK(current_logs_agree(w));  // n1 has applied nothing since its reboot
    CHECK_FALSE(state_machine_safety<RaftKv>(w));
  }
}

TEST_CASE("Each node's data and client table are the replay of its applied log", "[raft][ghost]") {
  RaftModel model = small_model({}, {{put(0, 1, "a")}});
  W w = model.init_states().front();
  input(model, w, 0);
  deliver<AppendEntries<kv::Input>>(model, w, 0, 1);
  deliver<AppendReply>(model, w, 1, 0);
  REQUIRE(node(w, 0).applied == 1);
  CHECK(data_is_replay<RaftKv>(w));

  SECTION("data that no applied entry wrote") {
    w.states[0].inner.data["k"] = "z";
    CHECK_FALSE(data_is_replay<RaftKv>(w));
  }
  SECTION("a client table answer that is not the replay's") {
    REQUIRE(node(w, 0).table.size() == 1);
    w.states[0].inner.table[0].output.value_before = "z";
    CHECK_FALSE(data_is_replay<RaftKv>(w));
  }
  SECTION("a retry in the log twice applies once") {
    const Entry<kv::Input> first{1, put(0, 1, "a")}, second{1, put(0, 2, "b")};
    const auto r = replay(kv::Machine{}, std::vector{first, first, second}, 3);
    CHECK(r.answers.size() == 2);
    CHECK(r.answers.at({0, 1}) == kv::Response{"k", "a", std::nullopt});
    CHECK(r.answers.at({0, 2}) == kv::Response{"k", "b", "a"});
    REQUIRE(r.table.size() == 1);
    CHECK(r.table[0].id == 2);
  }
}

TEST_CASE("Two different answers to one request are a violation", "[raft][ghost]") {
  W w;
  const auto answer = [](std::optional<std::string> before) {
    return Reply<kv::Response>{0, 1, kv::Response{"k", "a", std::move(before)}};
  };
  w.trace.push_back({0, 0, put(0, 1, "a")});
  w.trace.push_back({0, 0, Reply<kv::Response>{0, 1, std::nullopt}});  // NotLeader: no answer
  w.trace.push_back({1, 0, answer(std::nullopt)});
  w.trace.push_back({0, 0, put(0, 1, "a")});  // the retry, answered from the client table
  w.trace.push_back({0, 0, answer(std::nullopt)});
  CHECK(consistent_answers(w));
  w.trace.push_back({0, 0, answer("a")});  // applied a second time
  CHECK_FALSE(consistent_answers(w));
  // The history has one operation, returned at its first real answer.
  auto history = client_history<lincheck::VardSpec>(
      RaftKvChecked{RaftKv{kv::Machine{}, {}}, {}}, w.trace,
      [](const kv::Input& in) { return to_vard(in); },
      [](const kv::Response& r) { return to_vard(r); });
  REQUIRE(history.size() == 1);
  CHECK(history[0].ret == 2);
  CHECK(history[0].output == to_vard(*answer(std::nullopt).result));
}

// One client with one Put, sent to node 0, that may time out `timeouts`
// times and resend; `drops` drops. Nodes other than 0 are interchangeable.
RaftModel symmetric_model(Config config, std::uint16_t drops, std::uint8_t timeouts = 1,
                          std::uint16_t partitions = 0) {
  Workload<RaftKvChecked> workload;
  Client<RaftKvChecked> client;
  client.ops.push_back({0, put(0, 1, "a")});
  client.timeouts = timeouts;
  client.redirects = 1;
  client.sticky = true;
  workload.clients.push_back(client);
  Semantics semantics = Semantics::step_async();
  semantics.record_io_trace = true;
  if (drops > 0) semantics.add_fault(StepKind::drop, drops);
  if (partitions > 0) semantics.add_fault(StepKind::partition, partitions);
  RaftModel model(RaftKvChecked{RaftKv{kv::Machine{}, config}, {}}, semantics, workload);
  add_raft_kv_properties(model, config);
  return model;
}

TEST_CASE(
    "Raft's node symmetry: renamings map reachable worlds to reachable worlds, and "
    "--symmetry explores exactly one world per orbit",
    "[raft][symmetry]") {
  struct Case {
    const char* name;
    Config config;
    std::uint16_t drops;
    std::uint8_t timeouts;
    std::size_t group;
    std::uint16_t partitions = 0;
  };
  Config four;
  four.nodes = 4;
  four.max_term = 1;
  Config election;
  election.bootstrap_leader = false;
  election.max_term = 1;
  Config two_terms;
  two_terms.max_term = 2;
  for (const auto& c : {Case{"4 nodes, leader 0, one drop", four, 1, 1, 6},
                        Case{"3 nodes, election of term 1", election, 0, 0, 2},
                        Case{"3 nodes, leader 0, term 2", two_terms, 0, 0, 2},
                        Case{"4 nodes, leader 0, a partition", four, 0, 0, 6, 1}}) {
    INFO(c.name);
    const RaftModel model = symmetric_model(c.config, c.drops, c.timeouts, c.partitions);
    const SymmetryAudit audit = audit_symmetry(model, 400'000);
    CHECK(audit.group_size == c.group);
    CHECK(audit.not_closed.empty());
    CHECK(audit.fingerprint_mismatch.empty());
    CHECK(audit.orbits < audit.reachable);
    for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
      SearchOptions o;
      o.strategy = strategy;
      o.threads = 2;
      o.symmetry = true;
      const auto reduced = explore(model, o);
      CHECK(reduced.complete);
      CHECK_FALSE(reduced.violation);
      CHECK(reduced.unique_states == audit.orbits);
      o.symmetry = false;
      CHECK(explore(model, o).unique_states == audit.reachable);
    }
    // The same model behind DynModel (how the registry searches transformer
    // chains): the renamings go through its virtual canonicalize.
    CheckRequest req;
    req.search.threads = 2;
    req.search.symmetry = true;
    const auto report = make_any_dyn_model(make_dyn_model(model), ModelConfig{})->check(req).report;
    CHECK(report["unique_states"] == audit.orbits);
    CHECK(report["violation"].is_null());
  }
}

TEST_CASE("Renaming a Raft world moves node states, votes and vote sets together",
          "[raft][symmetry]") {
  // Election of term 1; node 0 is named by the workload, so the group swaps
  // nodes 1 and 2.
  Config election;
  election.bootstrap_leader = false;
  election.max_term = 1;
  const RaftModel model = symmetric_model(election, 0);
  W w = model.init_states()[0];
  timeout(model, w, 1);
  deliver<RequestVote>(model, w, 1, 2);  // node 2 votes for node 1
  REQUIRE(node(w, 2).voted_for == NodeRef{1});
  W renamed = w;
  rename_world(renamed, model.semantics(), model.symmetry_group().at(1));
  CHECK(node(renamed, 1).voted_for == NodeRef{2});  // node 1 (was 2) votes for node 2 (was 1)
  CHECK(node(renamed, 2).role == Role::candidate);
  CHECK(node(renamed, 2).votes == NodeSet::of(2));
}

TEST_CASE("raft-kv without faults holds every property, complete", "[raft]") {
  auto r = check_raft_kv({{"clients", "1"}, {"client-timeouts", "0"}});
  CHECK(r.exit_code == 0);
  CHECK(r.report["complete"] == true);
  CHECK(r.report["unique_states"].get<int>() > 1000);
}

// max_batch_bytes: an AppendEntries stops before its entries' key and value
// bytes pass the cap, but carries at least one entry, so that a follower far
// behind catches up even on entries larger than the cap.
TEST_CASE("An AppendEntries stays within max_batch_bytes, but carries at least one entry",
          "[raft]") {
  Config config;
  config.max_entries = 0;
  config.max_batch_bytes = 6;
  const RaftKv raft{kv::Machine{}, config};
  Effects<RaftKv> fx;
  auto leader = raft.init(0, fx);
  REQUIRE(leader.is_leader());
  // Entries sent to node 1 (which never answers, so each batch starts at index 1).
  auto sent_after = [&](const std::string& value) {
    Effects<RaftKv> out;
    raft.on_input(0, leader, {7, leader.last_index() + 1u, kv::Input::put("k", value)}, out);
    for (const auto& [to, msg] : out.sends())
      if (to == 1) return std::get<AppendEntries<kv::Input>>(msg.body).entries.size();
    FAIL("no AppendEntries to node 1");
    return std::size_t{0};
  };
  CHECK(sent_after("ab") == 1);  // 3 bytes
  CHECK(sent_after("c") == 2);   // 3 + 2 bytes
  CHECK(sent_after("d") == 2);   // a third would make 7 > 6
  Config big = config;
  big.max_batch_bytes = 2;  // every entry is larger than this
  const RaftKv tiny{kv::Machine{}, big};
  Effects<RaftKv> fx2;
  auto other = tiny.init(0, fx2);
  for (int i = 0; i < 3; ++i) tiny.on_input(0, other, {7, i + 1u, kv::Input::put("k", "vv")}, fx2);
  const auto& last = fx2.sends().back().second;
  CHECK(std::get<AppendEntries<kv::Input>>(last.body).entries.size() == 1);
}

// The checker covers the cap: a cap below every entry's size sends one entry
// per AppendEntries whatever max-entries allows, a different state space that
// still holds every property.
TEST_CASE("raft-kv with a tiny max-batch-bytes holds every property", "[raft]") {
  const std::map<std::string, std::string> params{
      {"clients", "2"}, {"client-timeouts", "0"}, {"max-entries", "0"}, {"max-term", "1"}};
  auto capped_params = params;
  capped_params["max-batch-bytes"] = "1";
  const auto uncapped = check_raft_kv(params);
  const auto capped = check_raft_kv(capped_params);
  // One term: no second leader, so the reach witnesses are not reached and
  // the check fails on them (exit 1 without a violation), and on them only.
  const std::vector<std::string> second_term{"new-leader-elected", "committed-in-later-term"};
  for (const auto* outcome : {&capped, &uncapped}) {
    CHECK(outcome->exit_code == 1);
    CHECK(outcome->report["violation"].is_null());
    CHECK(outcome->report["complete"] == true);
    CHECK(unreached_properties(outcome->report) == second_term);
  }
  CHECK(capped.report["unique_states"] != uncapped.report["unique_states"]);
}

TEST_CASE("raft-kv's deep preset sets its parameters; explicit ones win", "[raft]") {
  const auto& info = builtin_models().get("raft-kv").info;
  const Params main(info, {});
  CHECK(main.text("clients") == "1");
  CHECK(main.text("preset") == "main");
  const Params deep(info, {{"preset", "deep"}});
  CHECK(deep.text("clients") == "2");
  CHECK(deep.text("ops") == "2");
  CHECK(deep.text("max-term") == "3");
  CHECK(deep.text("duplicates") == "1");
  CHECK(deep.text("crashes") == "1");
  const Params mine(info, {{"preset", "deep"}, {"clients", "1"}});
  CHECK(mine.text("clients") == "1");
  CHECK(mine.text("ops") == "2");
}

// The main job's defaults reach the bugs of log replication and voting (a
// client timeout makes two leaders append different entries at one index).
TEST_CASE("At the main job's defaults check finds the replication and vote bugs", "[raft][bugs]") {
  for (const char* bug : {"vote-without-log-check", "no-dedup", "no-truncate"}) {
    INFO(bug);
    CheckRequest req;
    req.model = "raft-kv";
    req.params = Params(builtin_models().get("raft-kv").info, {{"bug", bug}});
    req.search.threads = 2;
    auto r = build_model(req)->check(req);
    CHECK(r.exit_code == 1);
  }
}

TEST_CASE("raft-kv's seeded bugs are caught by their documented properties", "[raft][bugs]") {
  struct Case {
    const char* bug;
    std::map<std::string, std::string> params;
    std::map<StepKind, std::uint16_t> budgets;
    const char* property;
  };
  const Case cases[] = {
      {"vote-without-log-check",
       {{"clients", "1"}, {"client-timeouts", "0"}},
       {},
       "leader-completeness"},
      {"reply-before-commit", {{"clients", "2"}, {"client-timeouts", "0"}}, {}, "linearizability"},
      {"no-dedup", {{"clients", "1"}, {"client-timeouts", "1"}}, {}, "data-is-replay"},
      {"vote-not-persisted",
       {{"clients", "1"}, {"client-timeouts", "0"}},
       {{StepKind::crash, 1}},
       "election-safety"},
      {"no-truncate", {{"clients", "2"}, {"client-timeouts", "0"}}, {}, "electable-completeness"},
  };
  for (const auto& c : cases) {
    INFO(c.bug);
    auto params = c.params;
    params["bug"] = c.bug;
    auto r = check_raft_kv(params, c.budgets);
    CHECK(r.exit_code == 1);
    CHECK(r.report["violation"]["property"] == c.property);
    CHECK(r.trace);
  }
}

// Liveness (preset=liveness: heartbeats for ever, per-link FIFO, identical
// packets merged, election timers not forced), with no faults left.
TEST_CASE("raft-kv liveness: a leader that gives up on a follower is a lasso; Raft passes",
          "[raft][liveness]") {
  auto correct = check_raft_kv({{"preset", "liveness"}});
  CHECK(correct.exit_code == 0);
  CHECK(correct.report["complete"] == true);
  CHECK(correct.report["ordered"] == true);
  CHECK(correct.report["merge_identical_packets"] == true);
  std::map<std::string, std::string> outcomes;
  for (const auto& p : correct.report["properties"])
    outcomes[p["name"].get<std::string>()] = p["outcome"].get<std::string>();
  CHECK(outcomes["leader-log-replicated"] == "holds");
  CHECK(outcomes["client-0-answered-by-leader"] == "holds");
  // The graph has cycles (heartbeats for ever), so "holds" is about
  // infinite behaviours, not only runs that stop.
  CHECK(correct.report["liveness"]["graph_edges"].get<std::uint64_t>() >
        correct.report["unique_states"].get<std::uint64_t>());

  auto bug = check_raft_kv({{"preset", "liveness"}, {"bug", "give-up-on-follower"}});
  REQUIRE(bug.exit_code == 1);
  const auto& v = bug.report["violation"];
  CHECK(v["property"] == "leader-log-replicated");
  // A real livelock, not a stop: heartbeats go on round a cycle of probe,
  // refusal and ignored reply.
  CHECK(v["cycle_steps"].get<std::size_t>() >= 2);
  // No safety property sees it.
  for (const auto& p : bug.report["properties"])
    if (p["kind"] == "always") CHECK(p["outcome"] == "holds");
  REQUIRE(bug.trace);
  auto model =
      build_model(raft_kv_walks({{"preset", "liveness"}, {"bug", "give-up-on-follower"}}, 1));
  CHECK(replay_trace(*bug.trace, *model).verdict == ReplayVerdict::reproduced);
}

// The commands docs/raft-kv.md gives for finding each bug by random
// exploration: seed 1, the default 1000 walks, and the fewest parameters
// that make the bug reachable (a crash, a second client, or for figure8 a
// second client and two elections after the first).
TEST_CASE("Random walks find each of raft-kv's seeded bugs and their traces replay",
          "[raft][bugs][walks]") {
  struct Case {
    const char* bug;
    std::map<std::string, std::string> params;
    const char* property;
  };
  const Case cases[] = {
      {"vote-without-log-check", {}, "leader-completeness"},
      {"no-dedup", {}, "data-is-replay"},
      {"vote-not-persisted", {{"crashes", "1"}}, "election-safety"},
      {"no-truncate", {}, "match-index-agrees"},
      {"reply-before-commit", {{"clients", "2"}}, "linearizability"},
      {"figure8",
       {{"clients", "2"}, {"max-term", "4"}, {"client-timeouts", "0"}},
       "electable-completeness"},
  };
  for (const auto& c : cases) {
    INFO(c.bug);
    auto params = c.params;
    params["bug"] = c.bug;
    auto req = raft_kv_walks(params, 1000);
    auto model = build_model(req);
    auto outcome = model->simulate(req);
    REQUIRE(outcome.exit_code == 1);
    CHECK(outcome.report["violation"]["property"] == c.property);
    REQUIRE(outcome.trace);
    CHECK(replay_trace(*outcome.trace, *model).verdict == ReplayVerdict::reproduced);
  }
}

// figure8 is beyond BFS here (it runs out of memory before depth 15), but a
// depth-bounded DFS at its smallest bounds finds it: 7.4 M states with
// symmetry (14.2 M without).
TEST_CASE("figure8: a DFS to depth 15 finds it at max-term 3", "[raft][bugs][slow]") {
  CheckRequest req;
  req.model = "raft-kv";
  req.params = Params(builtin_models().get("raft-kv").info, {{"bug", "figure8"},
                                                             {"clients", "2"},
                                                             {"max-term", "3"},
                                                             {"client-timeouts", "0"},
                                                             {"max-entries", "0"}});
  req.faults.faults = {StepKind::drop, StepKind::crash};  // budgets apply to listed faults
  req.faults.budgets = {{StepKind::drop, 0}, {StepKind::crash, 0}};
  req.search.strategy = Strategy::dfs;
  req.search.max_depth = 15;
  req.search.symmetry = true;
  auto model = build_model(req);
  auto outcome = model->check(req);
  REQUIRE(outcome.exit_code == 1);
  CHECK(outcome.report["violation"]["property"] == "electable-completeness");
  CHECK(outcome.report["violation"]["depth"] == 15);
  REQUIRE(outcome.trace);
  CHECK(replay_trace(*outcome.trace, *model).verdict == ReplayVerdict::reproduced);
}

// The acceptance run of random exploration: the correct raft-kv through
// 100,000 swarm walks at its defaults, and 100,000 more with two clients,
// four terms and two crashes and drops (figure8's bounds, and more faults).
TEST_CASE("Correct raft-kv: 3 x 100000 random walks without a violation", "[raft][walks][slow]") {
  auto defaults = raft_kv_walks({}, 100000, true);
  auto outcome = build_model(defaults)->simulate(defaults);
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.report["walks"] == 100000);
  CHECK(outcome.report["histories_checked"] == 100000);

  auto wider = raft_kv_walks({{"clients", "2"}, {"max-term", "4"}}, 100000, true);
  wider.faults.faults = {StepKind::drop, StepKind::crash};
  wider.faults.budgets = {{StepKind::drop, 2}, {StepKind::crash, 2}};
  outcome = build_model(wider)->simulate(wider);
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.report["walks"] == 100000);
  CHECK(outcome.report["budgets"]["crash"] == 2);

  // The deep preset: what `verdict simulate raft-kv` runs at its defaults.
  auto deep = raft_kv_walks({{"preset", "deep"}}, 100000, true);
  outcome = build_model(deep)->simulate(deep);
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.report["params"]["clients"] == "2");
  CHECK(outcome.report["histories_checked"] == 100000);
}

// bootstrap=election stays available and checked: every node starts as a
// follower at term 0 and the first election is part of the search. With one
// term it completes (2,167,708 states with symmetry, about 30 s on 2 cores);
// at max-term 2 it does not finish in minutes.
TEST_CASE("bootstrap=election, one term: complete and correct, and no-dedup caught",
          "[raft][slow]") {
  auto check = [](std::map<std::string, std::string> params) {
    params["bootstrap"] = "election";
    params["max-term"] = "1";
    CheckRequest req;
    req.model = "raft-kv";
    req.params = Params(builtin_models().get("raft-kv").info, params);
    req.search.threads = 2;
    req.search.symmetry = true;
    return build_model(req)->check(req);
  };
  const auto correct = check({});
  CHECK(correct.exit_code == 0);
  CHECK(correct.report["complete"] == true);
  CHECK(correct.report["unique_states"].get<std::uint64_t>() > 1'000'000);
  const auto buggy = check({{"bug", "no-dedup"}});
  REQUIRE(buggy.exit_code == 1);
  CHECK(buggy.report["violation"]["property"] == "data-is-replay");
}
