// verdict::check() (testing/check.hpp), the API a user's tests call: its
// result is typed — properties, the violation and its path, what was
// covered — and agrees with the JSON report it was read from.
#include <cstdlib>
#include <filesystem>

#include <catch2/catch.hpp>

#include "app/registry.hpp"
#include "testing/check.hpp"

using namespace verdict;

namespace {

// Trace files of the violations below go to a scratch directory.
struct TraceDir {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / "verdict-check-api";
  TraceDir() { setenv("VERDICT_TRACE_DIR", dir.c_str(), 1); }
  ~TraceDir() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

}  // namespace

TEST_CASE("verdict::check returns a typed result", "[check-api]") {
  TraceDir traces;
  const ModelEntry& lockserv = builtin_models().get("lockserv");

  const CheckResult clean = check(lockserv);
  CHECK(clean.ok());
  CHECK_FALSE(clean.violated());
  CHECK(clean.complete);
  CHECK(clean.unique_states == clean.report["unique_states"].get<std::uint64_t>());
  const PropertyOutcome* mutex = clean.property("mutual-exclusion");
  REQUIRE(mutex != nullptr);
  CHECK(mutex->kind == "always");
  CHECK(mutex->outcome == "holds");
  CHECK(clean.property("no such property") == nullptr);

  const CheckResult broken = check(lockserv, ModelArgs().faults("duplicate"));
  REQUIRE(broken.violated());
  CHECK(broken.exit_code == 1);
  CHECK(broken.violation->property == "mutual-exclusion");
  CHECK(broken.property("mutual-exclusion")->outcome == "violated");
  // depth counts states: one more than the steps taken
  CHECK(broken.violation->depth == broken.violation->labels.size() + 1);
  CHECK(broken.violation->steps.size() == broken.violation->labels.size());
  CHECK(std::filesystem::exists(broken.trace_path));
  CHECK(broken.summary().find("violation of mutual-exclusion") != std::string::npos);
}

TEST_CASE("verdict::check fails a sometimes property a complete search never reached",
          "[check-api]") {
  const CheckResult r = check(builtin_models().get("raft-kv"),
                              ModelArgs().param("max-term", "1").param("client-timeouts", "0"));
  CHECK_FALSE(r.ok());
  CHECK_FALSE(r.violated());
  CHECK(r.violated_property().empty());
  CHECK(r.unreached == std::vector<std::string>{"new-leader-elected", "committed-in-later-term"});
  CHECK(r.summary().find("not reached (sometimes): new-leader-elected") != std::string::npos);
}
