// The replicated counter's bounded checks as Catch2 tests: converged holds on
// a reliable network, and the seeded bug and a duplicating network break it.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "counter.hpp"
#include "simulator/system_model.hpp"
#include "testing/catch.hpp"

using counter::Counter;

TEST_CASE("A model built by hand: the counter converges on a reliable network") {
  verdict::SystemModel<Counter> model(Counter{}, verdict::Semantics::step_async(),
                                      counter::workload(2));
  model.add_invariant("converged", counter::converged<Counter>);
  REQUIRE_NO_VIOLATION(verdict::check(model, verdict::Bounds().max_depth(30), "counter"));
}

TEST_CASE("The registered model: converged holds, also with crashes and reboots") {
  REQUIRE_NO_VIOLATION(verdict::check(counter::entry()));
  REQUIRE_NO_VIOLATION(
      verdict::check(counter::entry(), verdict::ModelArgs().faults("crash,reboot")));
}

TEST_CASE("The overwrite bug loses increments, and the trace says how") {
  auto result = verdict::check(counter::entry(), verdict::ModelArgs().param("bug", "overwrite"));
  REQUIRE_VIOLATION(result, "converged");
  CHECK(result.summary().find("trace written to") != std::string::npos);
  // The typed result (docs/writing-a-system.md, "Tests and CI").
  REQUIRE(result.violated());
  CHECK(result.violation->property == "converged");
  CHECK(result.property("converged")->outcome == "violated");
  CHECK(result.violation->depth == result.violation->steps.size() + 1);
}

TEST_CASE("A duplicated update is counted twice; sequence numbers fix it") {
  REQUIRE_VIOLATION(verdict::check(counter::entry(), verdict::ModelArgs().faults("duplicate")),
                    "converged");
  REQUIRE_NO_VIOLATION(verdict::check(
      counter::entry(), verdict::ModelArgs().faults("duplicate").transform("seqnum")));
}

TEST_CASE("Only the chains the model registered are compiled; another one is a usage error") {
  // counter::entry() asks for seqnum alone (counter.cpp).
  CHECK_THROWS_WITH(verdict::check(counter::entry(), verdict::ModelArgs().transform("retransmit")),
                    Catch::Contains("built without the retransmit transformer"));
  CHECK_THROWS_WITH(
      verdict::check(counter::entry(), verdict::ModelArgs().transform("seqnum,ghost")),
      Catch::Contains("at most 1 transformers"));
}
