// Trace files: written, read back, and rejected with a message that names
// the field or step when corrupted — never a crash or a hang.
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "traces/replay.hpp"
#include "traces/tests/trace_fixtures.hpp"

using namespace verdict;

namespace {

std::string trace_error(const nlohmann::json& j) {
  try {
    trace_from_json(j);
  } catch (const TraceError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("A trace file round-trips through JSON", "[traces]") {
  TraceFile t = test::lockserv_duplicate_trace();
  REQUIRE(t.steps.size() >= 5);
  CHECK(t.property == "mutual-exclusion");
  CHECK(t.violation_step == t.steps.size());
  TraceFile back = trace_from_json(trace_to_json(t));
  CHECK(trace_to_json(back) == trace_to_json(t));
  CHECK(back.faults == std::vector<std::string>{"duplicate"});
}

TEST_CASE("A corrupted trace names the field or step that is wrong", "[traces]") {
  nlohmann::json good = trace_to_json(test::lockserv_duplicate_trace());
  auto without = [&](const char* field) {
    auto j = good;
    j.erase(field);
    return j;
  };
  CHECK_THAT(trace_error(without("model")), Catch::Contains("\"model\""));
  CHECK_THAT(trace_error(without("steps")), Catch::Contains("\"steps\""));
  auto j = good;
  j["steps"][2].erase("fingerprint");
  CHECK_THAT(trace_error(j), Catch::Contains("step 3") && Catch::Contains("fingerprint"));
  j = good;
  j["steps"][1]["fingerprint"] = "xyz";
  CHECK_THAT(trace_error(j), Catch::Contains("step 2") && Catch::Contains("hex"));
  j = good;
  j["format_version"] = 99;
  CHECK_THAT(trace_error(j), Catch::Contains("format_version 99"));
  j = good;
  j["semantics"]["ordered"] = "yes";
  CHECK_THAT(trace_error(j), Catch::Contains("semantics") && Catch::Contains("ordered"));
  j = good;
  j["violation_step"] = 1000;
  CHECK_THAT(trace_error(j), Catch::Contains("violation_step"));
}

TEST_CASE("A truncated trace file gets the line where the JSON breaks", "[traces]") {
  std::string text = trace_to_json(test::lockserv_duplicate_trace()).dump(2);
  const std::string path = "truncated-trace.json";
  { std::ofstream(path) << text.substr(0, text.size() / 2); }
  try {
    read_trace_file(path);
    FAIL("a truncated file was accepted");
  } catch (const TraceError& e) {
    CHECK_THAT(e.what(), Catch::Contains(path + ":") && Catch::Contains("truncated"));
  }
  std::remove(path.c_str());
}

TEST_CASE("A number JSON cannot hold is a TraceError, not a crash (found by fuzz_trace)",
          "[traces]") {
  CHECK_THROWS_WITH(parse_trace_text(R"({"format": 1e400})", "big.json"),
                    Catch::Contains("big.json: not valid JSON") && Catch::Contains("1e400"));
}

TEST_CASE("A trace of a model or parameter that does not exist says so", "[traces]") {
  TraceFile t = test::lockserv_duplicate_trace();
  t.model = "lockserver";
  CHECK_THROWS_WITH(config_from_trace(t), Catch::Contains("unknown model \"lockserver\""));
  t.model = "lockserv";
  t.params["agents"] = "two";
  CHECK_THROWS_WITH(build_model(config_from_trace(t)), Catch::Contains("agents"));
}

TEST_CASE("Fuzz: random mutations of a real trace never crash the reader or replay",
          "[traces][fuzz]") {
  const std::string original = trace_to_json(test::lockserv_duplicate_trace()).dump();
  std::mt19937_64 rng(20261125);
  const std::string alphabet = "{}[]\",:0123456789abcdefnulltrue -";
  std::size_t parsed = 0, rejected = 0;
  for (int round = 0; round < 1500; ++round) {
    std::string text = original;
    const int mutations = 1 + static_cast<int>(rng() % 4);
    for (int m = 0; m < mutations && !text.empty(); ++m) {
      std::size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[at] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          text.erase(at, 1 + rng() % 8);
          break;
        default:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
      }
    }
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) {
      ++rejected;
      continue;
    }
    try {
      TraceFile t = trace_from_json(j);
      auto model = build_model(config_from_trace(t));
      ReplayOutcome outcome = replay_trace(t, *model);
      CHECK(outcome.exit_code() >= 0);
      ++parsed;
    } catch (const TraceError&) {
      ++rejected;
    } catch (const UsageError&) {
      ++rejected;
    }
  }
  CHECK(parsed + rejected == 1500);
  CHECK(parsed > 0);  // some mutations (in strings, fingerprints) still parse and replay
}

TEST_CASE("A trace's evidence round-trips, and must be an object", "[traces]") {
  TraceFile t = test::lockserv_duplicate_trace();
  t.evidence = {{"history", {{"model", "vard"}, {"events", nlohmann::json::array()}}}};
  CHECK(trace_from_json(trace_to_json(t)).evidence == t.evidence);
  auto j = trace_to_json(t);
  j["evidence"] = "not an object";
  CHECK_THROWS_WITH(trace_from_json(j), Catch::Contains("\"evidence\" must be a JSON object"));
  j.erase("evidence");
  CHECK(trace_from_json(j).evidence.is_null());
}
