// Every verdict of the reference histories (expected.csv) must match: Jepsen's
// etcd register histories and Porcupine's kv histories, partitioned per key
// and, for the 10-client ones, also checked as one history.
#include <catch2/catch.hpp>

#include "checkers/linearizability/history_file.hpp"
#include "checkers/linearizability/tests/reference_data.hpp"

namespace lc = verdict::lincheck;
using lc::testing::expected_verdicts;
using lc::testing::histories_dir;

namespace {

lc::SpecKind spec_for(const std::string& file) {
  return file.starts_with("kv/") ? lc::SpecKind::kv : lc::SpecKind::register_spec;
}

lc::Outcome expected_outcome(const lc::testing::ExpectedVerdict& row) {
  return row.linearizable ? lc::Outcome::linearizable : lc::Outcome::not_linearizable;
}

}  // namespace

TEST_CASE("all 109 reference histories get their expected verdict", "[lincheck][reference]") {
  const auto rows = expected_verdicts();
  REQUIRE(rows.size() == 109);
  for (const auto& row : rows) {
    INFO(row.file);
    const lc::LoadedHistory loaded =
        lc::load_history_file((histories_dir() / row.file).string(), spec_for(row.file));
    const lc::Result result = lc::check_loaded(loaded);
    CHECK(lc::to_string(result.outcome) == std::string(lc::to_string(expected_outcome(row))));
    if (result.outcome == lc::Outcome::not_linearizable) CHECK(result.counterexample);
  }
}

TEST_CASE("the same verdicts single-threaded", "[lincheck][reference]") {
  lc::CheckOptions options;
  options.threads = 1;
  for (const auto& row : expected_verdicts()) {
    if (!row.file.starts_with("jepsen/")) continue;
    INFO(row.file);
    const lc::Result result = lc::check_loaded(
        lc::load_history_file((histories_dir() / row.file).string(), spec_for(row.file)), options);
    CHECK(result.outcome == expected_outcome(row));
  }
}

TEST_CASE("kv histories without partitioning: c01 and c10", "[lincheck][reference]") {
  lc::CheckOptions options;
  options.partition = false;
  for (const auto& row : expected_verdicts()) {
    if (!row.file.starts_with("kv/c01") && !row.file.starts_with("kv/c10")) continue;
    INFO(row.file);
    const lc::Result result = lc::check_loaded(
        lc::load_history_file((histories_dir() / row.file).string(), lc::SpecKind::kv), options);
    CHECK(result.outcome == expected_outcome(row));
  }
}
