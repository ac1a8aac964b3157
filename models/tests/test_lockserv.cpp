// The lock service: mutual exclusion holds on a reliable network, fails
// under duplication and with the seeded bug, and sequence numbering restores
// it under duplication. Liveness: every agent that asks gets the lock, the
// seeded bug forget-waiter is caught with a lasso that replays and shrinks.
#include <catch2/catch.hpp>

#include "app/any_model.hpp"
#include "traces/export.hpp"
#include "traces/replay.hpp"
#include "traces/shrink.hpp"
#include "traces/trace_file.hpp"

using namespace verdict;

namespace {

CheckOutcome check(std::map<std::string, std::string> params, std::vector<StepKind> faults = {},
                   std::vector<std::string> transforms = {}) {
  const ModelEntry& entry = builtin_models().get("lockserv");
  CheckRequest req;
  req.model = "lockserv";
  req.params = Params(entry.info, params);
  req.faults.faults = std::move(faults);
  req.transforms = std::move(transforms);
  return build_model(req)->check(req);
}

}  // namespace

TEST_CASE("lockserv keeps mutual exclusion on a reliable network", "[lockserv]") {
  auto r = check({});
  CHECK(r.exit_code == 0);
  CHECK(r.report["complete"] == true);
  CHECK(r.report["violation"].is_null());
  CHECK(r.report["unique_states"].get<int>() > 50);
  auto three = check({{"agents", "3"}, {"rounds", "1"}});
  CHECK(three.exit_code == 0);
}

TEST_CASE("lockserv loses mutual exclusion under duplication", "[lockserv]") {
  auto r = check({}, {StepKind::duplicate});
  REQUIRE(r.exit_code == 1);
  CHECK(r.report["violation"]["property"] == "mutual-exclusion");
  CHECK(r.report["budgets"]["duplicate"] == 1);
  bool duplicated = false;
  for (const auto& step : r.report["violation"]["path"]) duplicated |= step["step"] == "duplicate";
  CHECK(duplicated);
}

TEST_CASE("lockserv's seeded bug grant-when-held breaks mutual exclusion", "[lockserv]") {
  auto r = check({{"bug", "grant-when-held"}});
  CHECK(r.exit_code == 1);
  CHECK(r.report["violation"]["property"] == "mutual-exclusion");
}

TEST_CASE("Sequence numbering restores lockserv under duplication", "[lockserv][seqnum]") {
  auto plain = check({}, {StepKind::duplicate});
  auto wrapped = check({}, {StepKind::duplicate}, {"seqnum"});
  CHECK(plain.exit_code == 1);
  CHECK(wrapped.exit_code == 0);
  CHECK(wrapped.report["complete"] == true);
  CHECK(wrapped.report["transforms"] == nlohmann::json::array({"seqnum"}));
}

// Liveness: every agent that asks eventually holds the lock (docs/explorer.md).
namespace {

const nlohmann::json* property_entry(const CheckOutcome& r, const std::string& name) {
  for (const auto& p : r.report["properties"])
    if (p["name"] == name) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("lockserv liveness: every agent that asks gets the lock, for ever",
          "[lockserv][liveness]") {
  auto r = check({{"rounds", "0"}});
  CAPTURE(r.report.dump());
  REQUIRE(r.exit_code == 0);
  for (const char* name : {"agent-1-gets-lock", "agent-2-gets-lock"}) {
    const auto* p = property_entry(r, name);
    REQUIRE(p);
    CHECK((*p)["kind"] == "leads-to");
    CHECK((*p)["outcome"] == "holds");
  }
  // The cyclic workload has cycles: every state has a successor, so the graph
  // has more edges than states.
  CHECK(r.report["liveness"]["graph_edges"].get<std::uint64_t>() >
        r.report["unique_states"].get<std::uint64_t>());
  CHECK(r.report["liveness"]["unchecked_because"] == "");
  CHECK(check({{"rounds", "0"}, {"agents", "3"}}).exit_code == 0);
}

TEST_CASE("lockserv liveness fails when a message can be lost: lockserv never resends",
          "[lockserv][liveness]") {
  auto r = check({{"rounds", "0"}}, {StepKind::drop});
  REQUIRE(r.exit_code == 1);
  const std::string property = r.report["violation"]["property"];
  CHECK(property.find("gets-lock") != std::string::npos);
  bool dropped = false;
  for (const auto& step : r.report["violation"]["path"]) dropped |= step["step"] == "drop";
  CHECK(dropped);
}

TEST_CASE("lockserv's seeded bug forget-waiter is caught with a lasso that replays",
          "[lockserv][liveness]") {
  for (const char* rounds : {"0", "1"}) {
    CAPTURE(rounds);
    auto r = check({{"rounds", rounds}, {"bug", "forget-waiter"}});
    REQUIRE(r.exit_code == 1);
    CHECK(r.report["violation"]["property"].get<std::string>().find("gets-lock") !=
          std::string::npos);
    REQUIRE(r.trace);
    REQUIRE(r.trace->cycle_steps);
    // With a workload for ever the other agent goes on locking while the
    // forgotten one waits: a real cycle. With one round everything else
    // ends and the behaviour stops with the agent still waiting.
    if (std::string(rounds) == "0")
      CHECK(*r.trace->cycle_steps >= 2);
    else
      CHECK(*r.trace->cycle_steps == 0);
    CHECK(r.report["violation"]["cycle_steps"] == *r.trace->cycle_steps);

    // Written as format version 2 and read back; replay reproduces it.
    const nlohmann::json j = trace_to_json(*r.trace);
    CHECK(j["format_version"] == 2);
    const TraceFile back = trace_from_json(j);
    REQUIRE(back.cycle_steps == r.trace->cycle_steps);
    auto model = build_model(config_from_trace(back));
    const ReplayOutcome replayed = replay_trace(back, *model);
    CHECK(replayed.verdict == ReplayVerdict::reproduced);
    CHECK(replayed.exit_code() == 1);

    // Shrinking keeps a lasso that still replays.
    const ShrinkOutcome shrunk = shrink_trace(back, *model);
    REQUIRE(shrunk.reproduced);
    CHECK(shrunk.trace.cycle_steps == back.cycle_steps);
    CHECK(shrunk.steps_after <= shrunk.steps_before);
    CHECK(replay_trace(shrunk.trace, *model).verdict == ReplayVerdict::reproduced);

    // Export shades the cycle; DOT closes it with a bold edge.
    std::size_t in_cycle = 0;
    for (const auto& e : trace_diagram(back).events) in_cycle += e.in_cycle ? 1 : 0;
    CHECK(in_cycle == *back.cycle_steps);
    CHECK((export_dot(back).find("bold") != std::string::npos) == (*back.cycle_steps > 0));

    // A lasso whose cycle does not return is refused (exit 3).
    if (*back.cycle_steps > 0) {
      TraceFile broken = back;
      broken.cycle_steps = *back.cycle_steps + 1;
      const ReplayOutcome bad = replay_trace(broken, *model);
      CHECK(bad.verdict == ReplayVerdict::diverged);
      CHECK(bad.exit_code() == 3);
    }
  }
}

TEST_CASE("lockserv's liveness counterexample is the same at 1 and 2 threads",
          "[lockserv][liveness]") {
  auto run = [](unsigned threads) {
    const ModelEntry& entry = builtin_models().get("lockserv");
    CheckRequest req;
    req.model = "lockserv";
    req.params = Params(entry.info, {{"rounds", "0"}, {"agents", "3"}, {"bug", "forget-waiter"}});
    req.search.threads = threads;
    return build_model(req)->check(req).report;
  };
  const auto one = run(1), two = run(2);
  REQUIRE(one["violation"].is_object());
  CHECK(one["violation"] == two["violation"]);
  CHECK(one["liveness"]["graph_edges"] == two["liveness"]["graph_edges"]);
}

TEST_CASE("trace format 2: a lasso needs version 2, and unknown versions are refused",
          "[lockserv][liveness]") {
  auto r = check({{"rounds", "0"}, {"bug", "forget-waiter"}});
  REQUIRE(r.trace);
  nlohmann::json j = trace_to_json(*r.trace);
  j["format_version"] = 1;
  CHECK_THROWS_AS(trace_from_json(j), TraceError);
  j["format_version"] = 3;
  CHECK_THROWS_AS(trace_from_json(j), TraceError);
  // A trace without a lasso is still version 1, which older readers read.
  auto safety = check({{"bug", "grant-when-held"}});
  REQUIRE(safety.trace);
  CHECK(trace_to_json(*safety.trace)["format_version"] == 1);
}
