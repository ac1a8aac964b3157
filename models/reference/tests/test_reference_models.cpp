// The reference models' state counts equal Stateright's (and TLC's for 2PC),
// at 1 and 2 threads, in BFS and DFS.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <set>

#include "app/any_model.hpp"
#include "app/builtin/reference.hpp"
#include "app/builtin/reference_search.hpp"

using namespace verdict;
using namespace verdict::reference;

namespace {

template <class M>
void check_count(const M& model, std::uint64_t expected, bool keep_going = false) {
  for (auto strategy : {Strategy::bfs, Strategy::dfs})
    for (unsigned threads : {1U, 2U}) {
      CAPTURE(to_string(strategy), threads);
      SearchOptions o;
      o.strategy = strategy;
      o.threads = threads;
      o.keep_going = keep_going;
      auto r = explore(model, o);
      CHECK(r.unique_states == expected);
      CHECK(r.complete);
    }
}

}  // namespace

TEST_CASE("single-copy register: 93 states with 1 server, 2 clients", "[reference]") {
  auto model = single_copy_model(1, 2);
  check_count(model, 93);
  auto r = explore(model, SearchOptions{});
  CHECK_FALSE(r.violation);
  CHECK(r.properties[1].outcome == Outcome::reached);
}

TEST_CASE("single-copy register: 62 states with 2 servers, 2 clients (keep going)", "[reference]") {
  auto model = single_copy_model(2, 2);
  check_count(model, 62, true);
  auto r = explore(model, SearchOptions{});
  REQUIRE(r.violation);
  CHECK(r.properties[*r.violation].name == "linearizable");
  // Stateright's discovery: Put(3,'B') to 1, PutOk, Get(6) to 0, stale GetOk.
  CHECK(r.properties[*r.violation].example->actions.size() == 4);
}

TEST_CASE("ABD register: 544 states with 2 servers, 2 clients", "[reference]") {
  auto model = abd_model(2, 2);
  check_count(model, 544);
  auto r = explore(model, SearchOptions{});
  CHECK_FALSE(r.violation);
  CHECK(r.properties[1].outcome == Outcome::reached);
}

TEST_CASE("paxos: 16,668 states with 3 servers, 2 clients", "[reference]") {
  auto model = paxos_model(3, 2);
  check_count(model, 16'668);
  auto r = explore(model, SearchOptions{});
  CHECK_FALSE(r.violation);
  REQUIRE(r.properties[1].outcome == Outcome::reached);
  // Stateright's BFS discovery of "value chosen" has 8 deliveries.
  CHECK(r.properties[1].example->actions.size() == 8);
}

TEST_CASE("paxos: 1,194,428 states with 3 servers, 3 clients", "[reference][slow]") {
  check_count(paxos_model(3, 3), 1'194'428);
}

TEST_CASE("2PC: 296,448 states for 7 RMs", "[reference][slow]") {
  check_count(TwoPhaseCommit(7), 296'448);
}

TEST_CASE("2PC: 1,745,408 states for 8 RMs", "[reference][slow]") {
  check_count(TwoPhaseCommit(8), 1'745'408);
}

TEST_CASE("the registry builds the reference models from parameters", "[reference]") {
  ModelRegistry registry;
  register_reference_models(registry);
  auto check = [&](const std::string& name, std::map<std::string, std::string> given) {
    const ModelEntry& entry = registry.get(name);
    CheckRequest req;
    req.model = name;
    req.params = Params(entry.info, given);
    req.search.threads = 2;
    return entry.build(req)->check(req);
  };
  auto out = check("two-phase-commit", {{"rms", "3"}});
  CHECK(out.exit_code == 0);
  CHECK(out.report["unique_states"] == 288);
  out = check("two-phase-commit", {{"rms", "4"}, {"bug", "commit-without-all-prepared"}});
  CHECK(out.exit_code == 1);
  CHECK(out.report["violation"]["property"] == "consistent");
  CHECK(out.report["violation"]["path"].size() == 3);
  CHECK(check("paxos", {{"clients", "2"}}).report["unique_states"] == 16'668);
  CHECK(check("abd-register", {}).report["unique_states"] == 544);
  CHECK(check("single-copy-register", {}).report["unique_states"] == 93);
  CHECK(check("single-copy-register", {{"servers", "2"}}).exit_code == 1);

  CHECK_THROWS_AS(check("two-phase-commit", {{"rms", "13"}}), UsageError);
  CHECK_THROWS_AS(check("two-phase-commit", {{"bug", "nope"}}), UsageError);
  CHECK_THROWS_AS(check("paxos", {{"servers", "0"}}), UsageError);
  CHECK_THROWS_AS(check("paxos", {{"servers", "5"}, {"clients", "4"}}), UsageError);
  CHECK_THROWS_AS(check("abd-register", {{"replicas", "3"}}), UsageError);
}

TEST_CASE("the 2PC representative is a canonical form of the RM permutations", "[reference]") {
  // Every state of 4 RMs, permuted every way, has one representative.
  const unsigned n = 4;
  TwoPhaseCommit model(n);
  std::vector<TwoPhaseState> states = model.init_states();
  std::set<std::uint64_t> seen{states[0].bits()};
  for (std::size_t i = 0; i < states.size(); ++i) {
    std::vector<TwoPhaseAction> actions;
    model.actions(states[i], actions);
    for (const auto& a : actions) {
      auto next = *model.next_state(states[i], a);
      if (seen.insert(next.bits()).second) states.push_back(next);
    }
  }
  REQUIRE(states.size() == explore(model, SearchOptions{}).unique_states);
  std::array<unsigned, n> perm{0, 1, 2, 3};
  std::set<std::uint64_t> classes;
  for (const auto& s : states) {
    const auto rep = model.representative(s);
    classes.insert(rep.bits());
    std::array<unsigned, n> p = perm;
    do {
      TwoPhaseState permuted;
      permuted.set_tm_state(s.tm_state());
      if (s.commit_msg()) permuted.send_commit();
      if (s.abort_msg()) permuted.send_abort();
      for (unsigned rm = 0; rm < n; ++rm) {
        permuted.set_rm_state(p[rm], s.rm_state(rm));
        if (s.tm_prepared(rm)) permuted.set_tm_prepared(p[rm]);
        if (s.prepared_msg(rm)) permuted.send_prepared(p[rm]);
      }
      CHECK(model.representative(permuted) == rep);
    } while (std::next_permutation(p.begin(), p.end()));
  }
  SearchOptions o;
  o.symmetry = true;
  CHECK(explore(model, o).unique_states == classes.size());
}

// Liveness on TwoPhase: "every RM eventually decides" (all-decide). TLA+'s
// TwoPhase with weak fairness of each action instance (or of TPNext as a
// whole) satisfies it, which is TLC's verdict: every non-stuttering step
// changes a monotone part of the state (an RM's state moves forward, the TM
// leaves init, a message joins the set that never shrinks), so apart from
// stuttering (our self-loops, e.g. RmRcvCommitMsg to an RM already
// committed, which change nothing) the graph is acyclic, and fairness forbids
// stopping early: while an RM is working RMPrepare/RMChooseToAbort is
// enabled, while the TM is in init TMAbort is, and once Commit or Abort is
// sent every undecided RM can receive it. So every fair behaviour ends with
// every RM decided. Our checker finds the same: it holds with every action
// fair, and fails when the TM's decisions are unfair (a TM that never acts
// leaves prepared RMs waiting for ever, cycling through the TM's self-loops).
TEST_CASE("2PC: every RM eventually decides under weak fairness", "[reference][liveness]") {
  for (unsigned rms : {2U, 3U, 5U}) {
    CAPTURE(rms);
    TwoPhaseCommit model(rms);
    model.set_liveness(true);
    for (unsigned threads : {1U, 2U}) {
      SearchOptions o;
      o.threads = threads;
      auto r = explore(model, o);
      REQUIRE(r.properties.back().name == "all-decide");
      CHECK(r.properties.back().outcome == Outcome::holds);
      CHECK_FALSE(r.violation);
      CHECK(r.graph_edges > r.unique_states);
    }
    model.set_fair_tm(false);
    auto unfair = explore(model, SearchOptions{});
    REQUIRE(unfair.properties.back().outcome == Outcome::violated);
    const auto& p = unfair.properties.back();
    REQUIRE(p.cycle);
    // The lasso closes and no RM has decided at its end.
    auto s = model.init_states().at(0);
    for (const auto& a : p.example->actions) s = *model.next_state(s, a);
    auto stem_end = model.init_states().at(0);
    for (std::size_t i = 0; i < p.example->actions.size() - *p.cycle; ++i)
      stem_end = *model.next_state(stem_end, p.example->actions[i]);
    CHECK(s == stem_end);
    CHECK(s.tm_state() == TmState::init);
  }
  // Through the registry the property is on (and listed by `verdict models`).
  const auto& info = builtin_models().get("two-phase-commit").info;
  REQUIRE(info.liveness.size() == 1);
  CHECK(info.liveness[0].kind == "eventually");
}
