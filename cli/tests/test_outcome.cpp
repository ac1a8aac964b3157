// How a check suite joins its configurations' reports (cli/outcome.hpp),
// on hand-made reports: the cases a real suite would take minutes to show.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "cli/outcome.hpp"

using namespace verdict;
using namespace verdict::cli;

TEST_CASE("A check suite judges reach over all its configurations", "[cli]") {
  auto part = [](const char* name, const char* outcome, bool complete) {
    nlohmann::json r{{"report_version", 1}, {"verdict_version", "t"}, {"command", "check"},
                     {"model", "m"},        {"strategy", "bfs"},      {"threads", 1},
                     {"symmetry", false},   {"unique_states", 10},    {"generated_states", 20},
                     {"max_depth", 3},      {"seconds", 0.1},         {"complete", complete},
                     {"stop_reason", ""},   {"violation", nullptr},   {"configuration", name}};
    r["properties"] = {{{"name", "witness"}, {"kind", "sometimes"}, {"outcome", outcome}}};
    return CheckOutcome{r, 1, std::nullopt};
  };
  // Reached in one configuration: reached, exit 0 (each part alone said 1).
  auto one = join_suite({part("a", "not_reached", true), part("b", "reached", true)}, 2);
  CHECK(one.exit_code == 0);
  CHECK(one.report["properties"][0]["outcome"] == "reached");
  // Reached nowhere: exit 1, no violation.
  auto none = join_suite({part("a", "not_reached", true), part("b", "not_reached", true)}, 2);
  CHECK(none.exit_code == 1);
  CHECK(none.report["violation"].is_null());
  // Reached nowhere in a suite cut short: nothing proved, exit 4.
  CHECK(join_suite({part("a", "not_reached", true)}, 2).exit_code == 4);
  CHECK(join_suite({part("a", "not_reached", false)}, 1).exit_code == 4);
}
