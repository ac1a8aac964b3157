// The explorers on small models whose answers are known: counts at 1 and 2
// threads, BFS and DFS, deterministic counterexamples, limits, deadlocks,
// depth bounds and symmetry (the 2PC reference model is the big example).
#include <catch2/catch.hpp>

#include <atomic>

#include "checkers/explore.hpp"
#include "models/reference/two_phase_commit.hpp"
#include "simulator/hashing.hpp"

using namespace verdict;
using verdict::reference::TwoPhaseBug;
using verdict::reference::TwoPhaseCommit;

namespace {

// A grid walk: from (0,0), step right or up within [0,n]^2. (n+1)^2 states;
// the corner (n,n) has no successor (a deadlock unless terminal).
struct Grid {
  using State = std::pair<int, int>;
  using Action = int;  // 0 right, 1 up
  int n = 3;
  int band = 2;  // the invariant: y <= x + band
  bool corner_is_terminal = false;
  std::vector<State> init_states() const { return {{0, 0}}; }
  void actions(const State& s, std::vector<Action>& out) const {
    if (s.first < n) out.push_back(0);
    if (s.second < n) out.push_back(1);
  }
  std::optional<State> next_state(const State& s, const Action& a) const {
    return a == 0 ? State{s.first + 1, s.second} : State{s.first, s.second + 1};
  }
  std::vector<Property<State>> properties() const {
    const int b = band;
    return {Property<State>::always("within the band",
                                    [b](const State& s) { return s.second <= s.first + b; }),
            Property<State>::sometimes("reaches (1,1)", [](const State& s) {
              return s == State{1, 1};
            })};
  }
  std::uint64_t fingerprint(const State& s) const { return stable_hash(s.first, s.second); }
  nlohmann::json action_json(const Action& a) const { return a == 0 ? "right" : "up"; }
  bool is_terminal(const State& s) const { return corner_is_terminal && s == State{n, n}; }
};

SearchOptions options(Strategy strategy, unsigned threads) {
  SearchOptions o;
  o.strategy = strategy;
  o.threads = threads;
  return o;
}

}  // namespace

TEST_CASE("2PC counts match Stateright at 1 and 2 threads, BFS and DFS", "[explorer]") {
  for (auto strategy : {Strategy::bfs, Strategy::dfs})
    for (unsigned threads : {1U, 2U}) {
      CAPTURE(to_string(strategy), threads);
      auto r3 = explore(TwoPhaseCommit(3), options(strategy, threads));
      CHECK(r3.unique_states == 288);
      CHECK(r3.complete);
      CHECK_FALSE(r3.violation);
      CHECK(r3.properties[0].outcome == Outcome::reached);
      CHECK(r3.properties[1].outcome == Outcome::reached);
      CHECK(r3.properties[2].outcome == Outcome::holds);
      auto r5 = explore(TwoPhaseCommit(5), options(strategy, threads));
      CHECK(r5.unique_states == 8'832);
      // Every state is expanded once, so generated is order-independent too.
      auto b5 = explore(TwoPhaseCommit(5), options(Strategy::bfs, 1));
      CHECK(r5.generated_states == b5.generated_states);
    }
}

TEST_CASE("2PC symmetry counts orbits: 80 for 3 RMs, 314 for 5", "[explorer]") {
  for (auto strategy : {Strategy::bfs, Strategy::dfs})
    for (unsigned threads : {1U, 2U}) {
      CAPTURE(to_string(strategy), threads);
      auto o = options(strategy, threads);
      o.symmetry = true;
      CHECK(explore(TwoPhaseCommit(3), o).unique_states == 80);
      auto r5 = explore(TwoPhaseCommit(5), o);
      CHECK(r5.unique_states == 314);
      // Examples found on representatives replay as real paths.
      TwoPhaseCommit model(5);
      const auto& example = *r5.properties[1].example;
      auto s = model.init_states()[example.init_index];
      for (const auto& a : example.actions) s = *model.next_state(s, a);
      CHECK(model.properties()[1].condition(s));
    }
}

TEST_CASE("the seeded 2PC bug has one shortest counterexample at every thread count",
          "[explorer]") {
  TwoPhaseCommit buggy(5, TwoPhaseBug::commit_without_all_prepared);
  auto reference = explore(buggy, options(Strategy::bfs, 1));
  REQUIRE(reference.violation);
  CHECK(reference.properties[*reference.violation].name == "consistent");
  const auto& path = *reference.properties[*reference.violation].example;
  CHECK(path.actions.size() == 3);  // commit, one RM aborts, another receives Commit
  for (unsigned threads : {2U, 3U, 4U, 8U}) {
    CAPTURE(threads);
    auto r = explore(buggy, options(Strategy::bfs, threads));
    REQUIRE(r.violation == reference.violation);
    CHECK(r.properties[*r.violation].example->actions == path.actions);
    CHECK(r.unique_states == reference.unique_states);
    CHECK(r.generated_states == reference.generated_states);
    CHECK(r.stop_reason == "violation");
  }
  // Replaying the path really violates the invariant.
  auto s = buggy.init_states()[path.init_index];
  for (const auto& a : path.actions) s = *buggy.next_state(s, a);
  CHECK_FALSE(buggy.properties()[2].condition(s));
  // DFS finds a violation too (not necessarily the shortest).
  for (unsigned threads : {1U, 2U})
    CHECK(explore(buggy, options(Strategy::dfs, threads)).violation);
}

TEST_CASE("keep-going counts the whole space and reports every property", "[explorer]") {
  TwoPhaseCommit buggy(3, TwoPhaseBug::commit_without_all_prepared);
  for (auto strategy : {Strategy::bfs, Strategy::dfs})
    for (unsigned threads : {1U, 2U}) {
      auto o = options(strategy, threads);
      o.keep_going = true;
      auto r = explore(buggy, o);
      o.keep_going = false;
      CHECK(r.unique_states > explore(buggy, o).unique_states);
      CHECK(r.complete);
      CHECK(r.violation);
      CHECK(r.properties[0].outcome == Outcome::reached);
      CHECK(r.properties[1].outcome == Outcome::reached);
    }
  auto o = options(Strategy::bfs, 1);
  o.keep_going = true;
  auto a = explore(buggy, o);
  o.threads = 2;
  auto b = explore(buggy, o);
  CHECK(a.unique_states == b.unique_states);
  CHECK(a.generated_states == b.generated_states);
  CHECK(a.properties[2].example->actions == b.properties[2].example->actions);
}

TEST_CASE("limits stop the search with complete=false", "[explorer]") {
  for (auto strategy : {Strategy::bfs, Strategy::dfs})
    for (unsigned threads : {1U, 2U}) {
      CAPTURE(to_string(strategy), threads);
      auto o = options(strategy, threads);
      o.max_states = 1000;
      auto r = explore(TwoPhaseCommit(5), o);
      CHECK_FALSE(r.complete);
      CHECK(r.stop_reason == "max-states");
      CHECK(r.unique_states == 1000);

      std::atomic<bool> interrupt{true};
      o = options(strategy, threads);
      o.interrupt = &interrupt;
      r = explore(TwoPhaseCommit(5), o);
      CHECK_FALSE(r.complete);
      CHECK(r.stop_reason == "interrupted");

      o = options(strategy, threads);
      o.time_limit_seconds = 0;
      r = explore(TwoPhaseCommit(5), o);
      CHECK_FALSE(r.complete);
      CHECK(r.stop_reason == "time-limit");
    }
  // Exactly as many states as allowed is not a stop.
  auto o = options(Strategy::bfs, 1);
  o.max_states = 288;
  CHECK(explore(TwoPhaseCommit(3), o).complete);
}

TEST_CASE("max-states in BFS is deterministic across thread counts", "[explorer]") {
  auto o = options(Strategy::bfs, 1);
  o.max_states = 5000;
  auto a = explore(TwoPhaseCommit(5), o);
  o.threads = 2;
  auto b = explore(TwoPhaseCommit(5), o);
  CHECK(a.unique_states == b.unique_states);
  CHECK(a.generated_states == b.generated_states);
  CHECK(a.max_depth == b.max_depth);
}

TEST_CASE("a depth bound gives the same states in BFS and DFS", "[explorer]") {
  for (std::uint64_t depth : {1, 2, 4, 6, 9}) {
    auto o = options(Strategy::bfs, 1);
    o.max_depth = depth;
    auto bfs_result = explore(TwoPhaseCommit(5), o);
    CHECK(bfs_result.max_depth == depth);
    CHECK(bfs_result.complete);
    for (unsigned threads : {1U, 2U}) {
      o.strategy = Strategy::dfs;
      o.threads = threads;
      CAPTURE(depth, threads);
      CHECK(explore(TwoPhaseCommit(5), o).unique_states == bfs_result.unique_states);
    }
  }
}

TEST_CASE("deadlocks: a state with no successor that is not terminal", "[explorer]") {
  for (auto strategy : {Strategy::bfs, Strategy::dfs}) {
    auto o = options(strategy, 1);
    o.check_deadlock = true;
    Grid grid;
    grid.band = 10;
    auto r = explore(grid, o);
    REQUIRE(r.violation);
    CHECK(r.properties[*r.violation].name == "deadlock");
    CHECK(r.properties[*r.violation].example->actions.size() == 6);
    grid.corner_is_terminal = true;
    CHECK_FALSE(explore(grid, o).violation);
    CHECK(explore(grid, options(strategy, 1)).unique_states == 16);
  }
}

TEST_CASE("an always property reports the shortest path; sometimes reports an example",
          "[explorer]") {
  Grid grid;
  grid.n = 5;
  auto r = explore(grid, options(Strategy::bfs, 2));
  REQUIRE(r.violation);
  CHECK(r.properties[0].outcome == Outcome::violated);
  // (0,3) is the first state above the diagonal band: up, up, up.
  CHECK(r.properties[0].example->actions == std::vector<int>{1, 1, 1});
  CHECK(r.properties[1].outcome == Outcome::reached);
  CHECK(r.properties[1].example->actions == std::vector<int>{0, 1});
  CHECK(r.stop_reason == "violation");
  CHECK(r.complete);
}

namespace {
// The grid with a hash that leaves `second` out: (x, 0) and (x, 1) share a
// fingerprint, and the search would merge them without the audit.
struct GridHashMissingField : Grid {
  std::uint64_t fingerprint(const State& s) const { return stable_hash(s.first); }
};
}  // namespace

TEST_CASE("the fingerprint audit names a hash that leaves a field out", "[explorer]") {
  for (auto strategy : {Strategy::bfs, Strategy::dfs})
    for (unsigned threads : {1U, 2U}) {
      CAPTURE(to_string(strategy), threads);
      GridHashMissingField grid;
      grid.band = 10;
      auto o = options(strategy, threads);
      o.audit_fingerprints = true;
      auto r = explore(grid, o);
      REQUIRE(r.nondeterminism.find("leaves out a field") != std::string::npos);
      CHECK(r.stop_reason == "nondeterminism");
      // The same model with a hash over both fields passes the audit.
      Grid whole;
      whole.band = 10;
      auto ok = explore(whole, o);
      CHECK(ok.nondeterminism.empty());
      CHECK(ok.unique_states == 16);
    }
}
