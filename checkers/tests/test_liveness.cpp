// Liveness on small hand-made graphs whose fair behaviours are known: weak
// (not strong) fairness, unfair steps, stopping states, leads-to, lassos that
// really close, and the same counterexample at any thread count.
#include <catch2/catch.hpp>

#include "checkers/explore.hpp"
#include "simulator/hashing.hpp"

using namespace verdict;

namespace {

// Counters x[0..k) each modulo m; action i increments counter i (fairness key
// i, or unfair when i is in `unfair`); action k ("reset") sets every counter
// to 0 and is never fair. Every state has fair steps, so no behaviour stops.
struct Counters {
  using State = std::vector<int>;
  using Action = int;
  int k = 2, m = 3;
  std::vector<int> unfair;
  bool with_reset = false;
  std::vector<Property<State>> props;

  std::vector<State> init_states() const { return {State(static_cast<std::size_t>(k), 0)}; }
  void actions(const State&, std::vector<Action>& out) const {
    for (int i = 0; i < k; ++i) out.push_back(i);
    if (with_reset) out.push_back(k);
  }
  std::optional<State> next_state(const State& s, const Action& a) const {
    State t = s;
    if (a == k) return State(static_cast<std::size_t>(k), 0);
    t[static_cast<std::size_t>(a)] = (t[static_cast<std::size_t>(a)] + 1) % m;
    return t;
  }
  std::optional<std::uint64_t> fairness_key(const Action& a) const {
    if (a == k || std::find(unfair.begin(), unfair.end(), a) != unfair.end()) return std::nullopt;
    return static_cast<std::uint64_t>(a);
  }
  std::vector<Property<State>> properties() const { return props; }
  std::uint64_t fingerprint(const State& s) const { return stable_hash(s); }
  nlohmann::json action_json(const Action& a) const { return a; }
};

// A toggle t in {0,1} (fair key 0); "finish" (fair key 1) is enabled only
// while t == 0 and sets done. Weak fairness does not force "finish": it is
// not continuously enabled on the toggling cycle. `stuck` adds a state
// reached by an unfair step from which nothing fair is enabled.
struct Toggle {
  struct State {
    int t = 0;
    bool done = false;
    bool stuck = false;
    auto operator<=>(const State&) const = default;
  };
  using Action = int;  // 0 toggle, 1 finish, 2 get stuck (unfair)
  bool finish_always_enabled = false;
  bool with_stuck = false;

  std::vector<State> init_states() const { return {State{}}; }
  void actions(const State& s, std::vector<Action>& out) const {
    if (s.stuck || s.done) return;
    out.push_back(0);
    if (s.t == 0 || finish_always_enabled) out.push_back(1);
    if (with_stuck) out.push_back(2);
  }
  std::optional<State> next_state(const State& s, const Action& a) const {
    State n = s;
    if (a == 0) n.t = 1 - s.t;
    if (a == 1) n.done = true;
    if (a == 2) n.stuck = true;
    return n;
  }
  std::optional<std::uint64_t> fairness_key(const Action& a) const {
    if (a == 2) return std::nullopt;
    return static_cast<std::uint64_t>(a);
  }
  std::vector<Property<State>> properties() const {
    return {Property<State>::eventually("done", [](const State& s) { return s.done; })};
  }
  std::uint64_t fingerprint(const State& s) const { return stable_hash(s.t, s.done, s.stuck); }
  nlohmann::json action_json(const Action& a) const { return a; }
};

// The state a path from initial state 0 reaches.
template <class M>
typename M::State run_path(const M& m, const std::vector<typename M::Action>& actions,
                           std::size_t n) {
  auto s = m.init_states().at(0);
  for (std::size_t i = 0; i < n; ++i) s = *m.next_state(s, actions[i]);
  return s;
}

// The lasso closes: after the stem and one turn of the cycle the state is the
// stem's last state again, and the goal fails all along the cycle.
template <class M>
void check_lasso(const M& m, const PropertyResult<M>& r) {
  REQUIRE(r.example);
  REQUIRE(r.cycle);
  const auto& acts = r.example->actions;
  REQUIRE(*r.cycle <= acts.size());
  const std::size_t stem = acts.size() - *r.cycle;
  CHECK(m.fingerprint(run_path(m, acts, stem)) == m.fingerprint(run_path(m, acts, acts.size())));
}

SearchOptions bfs_options(unsigned threads = 1) {
  SearchOptions o;
  o.threads = threads;
  return o;
}

}  // namespace

TEST_CASE("eventually under weak fairness: all fair counters pass the goal", "[liveness]") {
  Counters m;
  m.props = {Property<Counters::State>::eventually(
                 "x0 reaches 2", [](const Counters::State& s) { return s[0] == 2; }),
             Property<Counters::State>::eventually(
                 "x0 and x1 reach 2 together",
                 [](const Counters::State& s) { return s[0] == 2 && s[1] == 2; })};
  auto r = explore(m, bfs_options());
  CHECK(r.properties[0].outcome == Outcome::holds);
  // Fairness lets counter 1 run ahead of counter 0 for ever: a fair cycle
  // that never meets (2,2).
  REQUIRE(r.properties[1].outcome == Outcome::violated);
  CHECK(r.violation == std::optional<std::size_t>(1));
  check_lasso(m, r.properties[1]);
  CHECK(*r.properties[1].cycle > 0);
  CHECK(r.graph_edges == r.unique_states * 2);

  SECTION("an unfair counter need not move") {
    m.unfair = {0};
    auto u = explore(m, bfs_options());
    REQUIRE(u.properties[0].outcome == Outcome::violated);
    check_lasso(m, u.properties[0]);
  }
  SECTION("an unfair step may still happen for ever: why faults are budgeted") {
    // Fairness forces fair steps; it does not stop unfair ones. A reset
    // after every increment keeps x0 below 2 in a fair behaviour.
    m.with_reset = true;
    auto u = explore(m, bfs_options());
    REQUIRE(u.properties[0].outcome == Outcome::violated);
    check_lasso(m, u.properties[0]);
    const auto& acts = u.properties[0].example->actions;
    CHECK(std::find(acts.end() - static_cast<std::ptrdiff_t>(*u.properties[0].cycle), acts.end(),
                    m.k) != acts.end());
  }
}

TEST_CASE("weak fairness does not force an intermittently enabled step", "[liveness]") {
  Toggle m;
  auto r = explore(m, bfs_options());
  REQUIRE(r.properties[0].outcome == Outcome::violated);
  check_lasso(m, r.properties[0]);
  CHECK(*r.properties[0].cycle == 2);  // toggle, toggle

  m.finish_always_enabled = true;  // now continuously enabled: fairness forces it
  CHECK(explore(m, bfs_options()).properties[0].outcome == Outcome::holds);

  SECTION("a state with no fair step enabled ends a fair behaviour") {
    m.with_stuck = true;
    auto s = explore(m, bfs_options());
    REQUIRE(s.properties[0].outcome == Outcome::violated);
    CHECK(s.properties[0].cycle == std::optional<std::size_t>(0));
    CHECK(run_path(m, s.properties[0].example->actions, s.properties[0].example->actions.size())
              .stuck);
  }
}

TEST_CASE("leads-to is judged from every state where the trigger holds", "[liveness]") {
  Counters m;
  m.m = 4;
  m.unfair = {1};
  using S = Counters::State;
  // x1 == 3 leads to x0 == 0: counter 0 is fair, so it always comes round.
  m.props = {Property<S>::leads_to(
                 "x1=3 ~> x0=0", [](const S& s) { return s[1] == 3; },
                 [](const S& s) { return s[0] == 0; }),
             // x0 == 3 leads to x1 == 0: counter 1 is unfair, so not.
             Property<S>::leads_to(
                 "x0=3 ~> x1=0", [](const S& s) { return s[0] == 3; },
                 [](const S& s) { return s[1] == 0; })};
  auto r = explore(m, bfs_options());
  CHECK(r.properties[0].outcome == Outcome::holds);
  REQUIRE(r.properties[1].outcome == Outcome::violated);
  const auto& ex = *r.properties[1].example;
  bool triggered = false;
  for (std::size_t i = 0; i <= ex.actions.size() - *r.properties[1].cycle; ++i)
    triggered = triggered || run_path(m, ex.actions, i)[0] == 3;
  CHECK(triggered);
  check_lasso(m, r.properties[1]);
}

TEST_CASE("liveness counterexamples are the same at any thread count", "[liveness]") {
  Counters m;
  m.k = 3;
  m.m = 14;  // 2744 states, levels wider than a chunk
  m.with_reset = true;
  using S = Counters::State;
  m.props = {Property<S>::eventually(
      "all at 13", [](const S& s) { return s[0] == 13 && s[1] == 13 && s[2] == 13; })};
  auto one = explore(m, bfs_options(1));
  REQUIRE(one.properties[0].outcome == Outcome::violated);
  check_lasso(m, one.properties[0]);
  for (unsigned threads : {2U, 4U}) {
    auto many = explore(m, bfs_options(threads));
    CHECK(many.graph_edges == one.graph_edges);
    CHECK(many.properties[0].example->actions == one.properties[0].example->actions);
    CHECK(many.properties[0].cycle == one.properties[0].cycle);
  }
}

TEST_CASE("without liveness properties no graph is recorded; DFS and symmetry leave them unchecked",
          "[liveness]") {
  Counters m;
  m.props = {Property<Counters::State>::always("x0 < 3",
                                               [](const Counters::State& s) { return s[0] < 3; })};
  CHECK(explore(m, bfs_options()).graph_edges == 0);
  m.props.push_back(Property<Counters::State>::eventually(
      "x0 = 1", [](const Counters::State& s) { return s[0] == 1; }));
  SearchOptions dfs = bfs_options();
  dfs.strategy = Strategy::dfs;
  auto r = explore(m, dfs);
  CHECK(r.properties[1].outcome == Outcome::unchecked);
  CHECK_FALSE(r.liveness_note.empty());
}
