// The registry's checks on names and parameters, with messages that say
// what is wrong and what is allowed.
#include <catch2/catch.hpp>

#include "app/registry.hpp"

using namespace verdict;

namespace {
std::string usage_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("An unknown model lists the known ones", "[registry]") {
  auto msg = usage_error([] { builtin_models().get("lockservv"); });
  CHECK_THAT(msg,
             Catch::Contains("lockservv") && Catch::Contains("lockserv") && Catch::Contains("kv"));
}

TEST_CASE("Parameters: unknown names, bad values and defaults", "[registry]") {
  const ModelInfo& info = builtin_models().get("lockserv").info;
  CHECK_THAT(usage_error([&] {
               Params(info, {{"agent", "2"}});
             }),
             Catch::Contains("no parameter \"agent\"") && Catch::Contains("agents"));
  CHECK_THAT(usage_error([&] {
               Params(info, {{"bug", "nope"}});
             }),
             Catch::Contains("grant-when-held"));
  Params p(info, {{"agents", "3"}});
  CHECK(p.integer("agents", 1, 8) == 3);
  CHECK(p.integer("rounds", 1, 8) == 2);
  CHECK_THAT(usage_error([&] { p.integer("agents", 1, 2); }), Catch::Contains("from 1 to 2"));
  Params q(info, {{"agents", "3x"}});
  CHECK_THAT(usage_error([&] { q.integer("agents", 1, 8); }), Catch::Contains("\"3x\""));
}

TEST_CASE("Faults get a small default budget; reboots are bounded by crashes", "[registry]") {
  FaultOptions f;
  f.faults = {StepKind::drop, StepKind::crash, StepKind::reboot, StepKind::partition};
  f.budgets[StepKind::drop] = 3;
  Semantics s = f.apply_to(Semantics::step_async());
  CHECK(s.budget[StepKind::drop] == 3);
  CHECK(s.budget[StepKind::crash] == kDefaultFaultBudget);
  CHECK(s.allows(StepKind::heal));
  CHECK_FALSE(s.allows(StepKind::duplicate));
  auto budgets = f.budgets_json(s);
  CHECK(budgets["drop"] == 3);
  CHECK_FALSE(budgets.contains("reboot"));
}

TEST_CASE("A budget changes a fault the model has, and never turns one on", "[registry]") {
  FaultOptions f = FaultOptions::from_names({}, {{"drop", 2}}, false);
  Semantics own = Semantics::step_async();
  own.add_fault(StepKind::drop, 1);  // e.g. raft-kv's `drops` parameter
  CHECK(f.apply_to(own).budget[StepKind::drop] == 2);
  CHECK_THROWS_AS(f.apply_to(Semantics::step_async()), UsageError);
  FaultOptions listed = FaultOptions::from_names({"drop"}, {{"drop", 2}}, false);
  CHECK(listed.apply_to(Semantics::step_async()).budget[StepKind::drop] == 2);
}
