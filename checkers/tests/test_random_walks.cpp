// Random walks: reproducible from one seed at any thread count, the lowest
// failing walk reported, shards that add up to the whole run, and the
// liveness heuristic's suspicions.
#include <catch2/catch.hpp>

#include "app/any_model.hpp"
#include "checkers/random_walks.hpp"
#include "simulator/hashing.hpp"
#include "simulator/value.hpp"
#include "traces/replay.hpp"

using namespace verdict;

namespace {

SimulateRequest lockserv_walks(std::vector<StepKind> faults, std::uint64_t walks, unsigned threads,
                               bool swarm = false) {
  SimulateRequest req;
  req.model = "lockserv";
  req.params = Params(builtin_models().get("lockserv").info, {});
  req.faults.faults = std::move(faults);
  req.walk.seed = 42;
  req.walk.walks = walks;
  req.walk.depth = 40;
  req.walk.threads = threads;
  req.walk.swarm = swarm;
  return req;
}

nlohmann::json without_timing(nlohmann::json report) {
  for (const char* field :
       {"seconds", "walks_per_second", "steps_per_second", "histories_per_second", "threads"})
    report.erase(field);
  return report;
}

}  // namespace

TEST_CASE("The same seed gives the same walks at 1 and 2 threads", "[walks]") {
  for (bool swarm : {false, true}) {
    auto one = build_model(lockserv_walks({StepKind::duplicate}, 300, 1, swarm));
    auto r1 = one->simulate(lockserv_walks({StepKind::duplicate}, 300, 1, swarm));
    auto r2 = one->simulate(lockserv_walks({StepKind::duplicate}, 300, 2, swarm));
    REQUIRE(r1.exit_code == 1);
    CHECK(without_timing(r1.report) == without_timing(r2.report));
    REQUIRE(r1.trace);
    REQUIRE(r2.trace);
    CHECK(trace_to_json(*r1.trace) == trace_to_json(*r2.trace));
    if (swarm) CHECK(r1.trace->origin.contains("mix"));
  }
}

// raft-kv checks linearizability at the end of each walk, in the pipeline's
// parallel stage: its counts and its violation must not depend on threads.
TEST_CASE("raft-kv: the same seed gives the same walks at 1 and 2 threads", "[walks]") {
  for (const char* bug : {"none", "figure8"}) {
    INFO(bug);
    SimulateRequest req;
    req.model = "raft-kv";
    req.params = Params(builtin_models().get("raft-kv").info,
                        {{"bug", bug}, {"clients", "3"}, {"max-term", "4"}, {"crashes", "1"}});
    req.walk.seed = 1;
    req.walk.walks = 700;
    req.walk.swarm = true;
    auto model = build_model(req);
    req.walk.threads = 1;
    auto r1 = model->simulate(req);
    req.walk.threads = 2;
    auto r2 = model->simulate(req);
    CHECK(r1.exit_code == (std::string(bug) == "none" ? 0 : 1));
    CHECK(r1.report["histories_checked"].get<std::uint64_t>() > 0);
    CHECK(without_timing(r1.report) == without_timing(r2.report));
    REQUIRE(r1.trace.has_value() == r2.trace.has_value());
    if (r1.trace) CHECK(trace_to_json(*r1.trace) == trace_to_json(*r2.trace));
  }
}

TEST_CASE("A violation is the lowest-numbered failing walk, and replays", "[walks]") {
  auto req = lockserv_walks({StepKind::duplicate}, 500, 2);
  auto model = build_model(req);
  auto outcome = model->simulate(req);
  REQUIRE(outcome.exit_code == 1);
  const auto walk = outcome.report["violation"]["walk"].get<std::uint64_t>();
  CHECK(outcome.report["walks"] == walk + 1);
  // Every walk before it passes on its own.
  if (walk > 0) {
    auto before = req;
    before.walk.walks = walk;
    CHECK(model->simulate(before).exit_code == 0);
  }
  // The one walk alone fails the same way.
  auto alone = req;
  alone.walk.first_walk = walk;
  alone.walk.walks = 1;
  auto single = model->simulate(alone);
  CHECK(single.exit_code == 1);
  CHECK(single.report["violation"]["path"] == outcome.report["violation"]["path"]);
  CHECK(replay_trace(*outcome.trace, *model).verdict == ReplayVerdict::reproduced);
  CHECK(outcome.trace->seed == 42u);
}

TEST_CASE("Walk-range shards add up to the whole run", "[walks]") {
  auto req = lockserv_walks({}, 400, 1);
  auto model = build_model(req);
  auto whole = model->simulate(req);
  REQUIRE(whole.exit_code == 0);
  CHECK(whole.report["walks"] == 400);
  auto first = req, second = req;
  first.walk.walks = 150;
  second.walk.first_walk = 150;
  second.walk.walks = 250;
  auto a = model->simulate(first), b = model->simulate(second);
  CHECK(a.report["steps"].get<std::uint64_t>() + b.report["steps"].get<std::uint64_t>() ==
        whole.report["steps"].get<std::uint64_t>());
}

TEST_CASE("Walk limits stop cleanly with complete=false", "[walks]") {
  auto req = lockserv_walks({}, 100000000, 2);
  req.walk.time_limit_seconds = 0.2;
  auto outcome = build_model(req)->simulate(req);
  CHECK(outcome.exit_code == 4);
  CHECK(outcome.report["complete"] == false);
  CHECK(outcome.report["stop_reason"] == "time-limit");
}

namespace {

// A walk of n steps: each step ticks x (mod 3). `fault_at`: the only step
// enabled after that many steps is a crash (a fault kind); `dead_end_at`: no
// step is enabled after that many. The goal "x reaches `goal`" is never met
// for goal 3.
struct Ticker {
  struct State {
    int x = 0;
    std::uint64_t n = 0;
    VERDICT_FIELDS(State, x, n)
  };
  using Action = int;  // 0 tick, 1 crash
  int goal = 3;
  std::optional<std::uint64_t> fault_at, dead_end_at;
  bool leads_to = false;

  std::vector<State> init_states() const { return {State{}}; }
  void actions(const State& s, std::vector<Action>& out) const {
    if (dead_end_at && s.n >= *dead_end_at) return;
    out.push_back(fault_at && s.n == *fault_at ? 1 : 0);
  }
  std::optional<State> next_state(const State& s, const Action& a) const {
    return State{a == 0 ? (s.x + 1) % 3 : s.x, s.n + 1};
  }
  std::vector<std::string> action_kinds() const { return {"deliver", "crash"}; }
  std::size_t action_kind(const Action& a) const { return static_cast<std::size_t>(a); }
  std::vector<Property<State>> properties() const {
    auto reached = [g = goal](const State& s) { return s.x == g; };
    if (leads_to)
      return {Property<State>::leads_to(
          "tick-leads-to-goal", [](const State& s) { return s.x == 1; }, reached)};
    return {Property<State>::eventually("goal", reached)};
  }
  std::uint64_t fingerprint(const State& s) const { return stable_hash(s); }
  nlohmann::json action_json(const Action& a) const { return a; }
};

WalkResult<Ticker> walk_ticker(const Ticker& m, std::uint64_t depth = 20) {
  WalkOptions o;
  o.seed = 7;
  o.walks = 5;
  o.depth = depth;
  return RandomWalker<Ticker>(m, o).run();
}

}  // namespace

TEST_CASE("simulate suspects a liveness goal unmet through a walk's quiet last half",
          "[walks][liveness]") {
  SECTION("never met: every full-depth walk is suspected") {
    for (bool leads_to : {false, true}) {
      Ticker m;
      m.leads_to = leads_to;
      auto r = walk_ticker(m);
      CHECK_FALSE(r.violation);
      CHECK(r.suspected_walks == 5);
      REQUIRE(r.suspect);
      CHECK(r.suspect->walk == 0);
      CHECK_FALSE(r.suspect->stopped);
      // eventually: unmet from the start; leads-to: from the first tick.
      CHECK(r.suspect->quiet_steps == (leads_to ? 19U : 20U));
      CHECK(r.suspect->path.actions.size() == 20);
    }
  }
  SECTION("met on the cycle: nothing is suspected") {
    Ticker m;
    m.goal = 2;
    CHECK(walk_ticker(m).suspected_walks == 0);
  }
  SECTION("a fault late in the walk leaves too short a quiet tail") {
    Ticker m;
    m.fault_at = 17;
    CHECK(walk_ticker(m).suspected_walks == 0);
    m.fault_at = 10;  // the crash is step 11: 9 quiet steps of 20 are too few
    CHECK(walk_ticker(m).suspected_walks == 0);
    m.fault_at = 9;  // exactly half the walk is quiet after it
    auto r = walk_ticker(m);
    REQUIRE(r.suspect);
    CHECK(r.suspect->quiet_steps == 10);
    m.fault_at = 5;
    r = walk_ticker(m);
    REQUIRE(r.suspect);
    CHECK(r.suspect->quiet_steps == 14);
  }
  SECTION("a walk that stops with the goal owed is suspected however short") {
    Ticker m;
    m.dead_end_at = 4;
    auto r = walk_ticker(m);
    REQUIRE(r.suspect);
    CHECK(r.suspect->stopped);
    CHECK(r.suspect->path.actions.size() == 4);
    m.goal = 2;  // met before the dead end: nothing owed there
    CHECK(walk_ticker(m).suspected_walks == 0);
  }
}
