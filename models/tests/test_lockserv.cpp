// The lock service: mutual exclusion holds on a reliable network, fails
// under duplication and with the seeded bug, and sequence numbering restores
// it under duplication.
#include <catch2/catch.hpp>

#include "app/any_model.hpp"

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
