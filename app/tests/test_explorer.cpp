// The explorer's session (app/explorer.hpp) without a web server: steps,
// back and forward, branching, opening a trace, the trace it saves (which
// replay must accept) and the API's answers to bad calls.
#include <catch2/catch.hpp>

#include "app/any_model.hpp"
#include "app/explorer.hpp"
#include "app/model_options.hpp"
#include "traces/replay.hpp"
#include "traces/tests/trace_fixtures.hpp"

using namespace verdict;

namespace {

ModelConfig config_of(const std::string& model, std::vector<std::string> params = {}) {
  ModelOptions options;
  options.model = model;
  options.params = std::move(params);
  return options.to_request(builtin_models());
}

ExploreSession session_of(const ModelConfig& config) {
  return ExploreSession(build_model(config), config);
}

std::string label_at(const nlohmann::json& view, std::size_t step) {
  return view["path"].at(step - 1)["label"].dump();
}

}  // namespace

TEST_CASE("The explorer shows the world and takes steps by index", "[explorer]") {
  auto session = session_of(config_of("lockserv"));
  auto v = session.view();
  CHECK(v["position"] == 0);
  CHECK(v["length"] == 0);
  CHECK(v["previous"].is_null());
  REQUIRE(v["state"]["nodes"].size() == 3);
  CHECK(v["state"]["nodes"][0]["up"] == true);
  CHECK(v["state"]["packets"].empty());
  CHECK(v["state"]["partition"].is_null());
  CHECK(v["invariants"][0]["name"] == "mutual-exclusion");
  CHECK(v["invariants"][0]["holds"] == true);
  REQUIRE(v["enabled"].size() == 2);  // two agents may ask for the lock
  CHECK(v["enabled"][0]["label"]["step"] == "input");
  CHECK(v["enabled"][0]["text"] == "input c0->n1 \"Lock\"");

  REQUIRE(session.step(0));
  v = session.view();
  CHECK(v["position"] == 1);
  CHECK(v["step"]["text"] == "input c0->n1 \"Lock\"");
  CHECK(v["state"]["packets"].size() == 1);  // the Lock on its way to the server
  CHECK(v["previous"]["packets"].empty());
  CHECK_FALSE(session.step(99));
  CHECK(session.view()["position"] == 1);
}

TEST_CASE("Back, forward, and branching off the path", "[explorer]") {
  auto session = session_of(config_of("lockserv"));
  REQUIRE(session.step(0));
  REQUIRE(session.step(0));
  const auto at2 = session.view();
  REQUIRE(session.back());
  CHECK(session.view()["position"] == 1);
  CHECK(session.view()["length"] == 2);
  CHECK(session.view()["path"][1]["ahead"] == true);
  REQUIRE(session.forward());
  CHECK(session.view()["fingerprint"] == at2["fingerprint"]);
  CHECK_FALSE(session.forward());

  // Taking the step ahead again keeps the path; another step replaces it.
  REQUIRE(session.back());
  REQUIRE(session.step(0));
  CHECK(session.view()["length"] == 2);
  CHECK(session.view()["fingerprint"] == at2["fingerprint"]);
  REQUIRE(session.back());
  const auto enabled = session.view()["enabled"];
  REQUIRE(enabled.size() >= 2);
  REQUIRE(session.step(enabled.size() - 1));
  const auto branched = session.view();
  CHECK(branched["length"] == 2);
  CHECK(label_at(branched, 2) != label_at(at2, 2));

  REQUIRE(session.go_to(0));
  CHECK_FALSE(session.back());
  CHECK_FALSE(session.go_to(3));
}

TEST_CASE("The saved path replays, with the violation where the explorer showed it", "[explorer]") {
  const auto config = config_of("lockserv", {"bug=grant-when-held"});
  auto model = build_model(config);
  CheckRequest request;
  static_cast<ModelConfig&>(request) = config;
  const auto found = model->check(request);
  REQUIRE(found.trace);

  auto session = session_of(config);
  CHECK(session.open_trace(*found.trace).empty());
  const std::size_t n = found.trace->steps.size();
  CHECK(session.view()["length"] == n);
  CHECK(session.view()["position"] == 0);
  REQUIRE(session.go_to(n));
  const auto v = session.view();
  CHECK(v["violated"] == nlohmann::json{"mutual-exclusion"});
  CHECK(v["invariants"][0]["holds"] == false);
  CHECK(v["fingerprint"] == found.trace->steps.back().fingerprint);

  const TraceFile saved = session.trace();
  CHECK(saved.property == "mutual-exclusion");
  CHECK(saved.violation_step == n);
  CHECK(saved.origin["command"] == "explore");
  const auto replayed = replay_trace(trace_from_json(trace_to_json(saved)), *model);
  CHECK(replayed.verdict == ReplayVerdict::reproduced);
  CHECK(replayed.step == n);

  // Part of the path: only the steps up to the position are saved.
  REQUIRE(session.go_to(1));
  CHECK(session.trace().steps.size() == 1);
  CHECK(replay_trace(session.trace(), *model).verdict == ReplayVerdict::no_violation);
}

TEST_CASE("Opening a trace that does not fit says where", "[explorer]") {
  const auto config = config_of("lockserv", {"bug=grant-when-held"});
  auto model = build_model(config);
  CheckRequest request;
  static_cast<ModelConfig&>(request) = config;
  TraceFile trace = *model->check(request).trace;
  REQUIRE(trace.steps.size() >= 3);

  auto session = session_of(config);
  TraceFile changed = trace;
  changed.steps[1].fingerprint = "0000000000000000";
  CHECK_THAT(session.open_trace(changed), Catch::Contains("after step 2"));
  CHECK(session.view()["length"] == trace.steps.size());  // the path goes on

  TraceFile stuck = trace;
  stuck.steps[1].label = stuck.steps[0].label;  // the same input twice: not enabled
  CHECK_THAT(session.open_trace(stuck), Catch::Contains("step 2") && Catch::Contains("ends"));
  CHECK(session.view()["length"] == 1);

  TraceFile unreadable = trace;
  unreadable.steps[0].label = {{"step", "teleport"}};
  CHECK_THAT(session.open_trace(unreadable), Catch::Contains("step 1"));
  CHECK(session.view()["length"] == 0);
  CHECK_THAT(session.view()["notice"].get<std::string>(), Catch::Contains("step 1"));
}

TEST_CASE("The explorer's API refuses bad calls with 4xx and a message", "[explorer]") {
  auto session = session_of(config_of("lockserv"));
  auto status = [&](const std::string& method, const std::string& endpoint,
                    const std::string& body = "") {
    return session.handle(method, endpoint, body).status;
  };
  CHECK(status("GET", "view") == 200);
  CHECK(status("GET", "trace") == 200);
  CHECK(status("POST", "view") == 405);
  CHECK(status("GET", "step") == 405);
  CHECK(status("GET", "../etc/passwd") == 404);
  CHECK(status("POST", "step", "") == 400);
  CHECK(status("POST", "step", "{\"index\": ") == 400);
  CHECK(status("POST", "step", "{\"index\": \"0\"}") == 400);
  CHECK(status("POST", "step", "{\"index\": 1.5}") == 400);
  CHECK(status("POST", "step", "{\"index\": -1}") == 400);
  CHECK(status("POST", "step", "{\"index\": 18446744073709551615}") == 409);
  CHECK(status("POST", "step", "{}") == 400);
  CHECK(status("POST", "back") == 409);
  CHECK(status("POST", "forward") == 409);
  CHECK(status("POST", "goto", "{\"position\": 1}") == 409);
  const auto bad = session.handle("POST", "step", "nonsense");
  CHECK_THAT(bad.body["error"].get<std::string>(), Catch::Contains("not JSON"));
  CHECK(session.view()["position"] == 0);  // nothing moved
  const auto ok = session.handle("POST", "step", "{\"index\": 1}");
  CHECK(ok.status == 200);
  CHECK(ok.body["position"] == 1);
  CHECK(session.handle("GET", "trace", "").body["steps"].size() == 1);
}

TEST_CASE("A state machine's state is shown as its own JSON", "[explorer]") {
  auto session = session_of(config_of("two-phase-commit", {"rms=2"}));
  const auto v = session.view();
  CHECK(v["state"]["tmState"] == "init");
  CHECK(v["state"]["rmState"] == nlohmann::json{"working", "working"});
  CHECK_FALSE(v["enabled"].empty());
}

TEST_CASE("A nondeterministic handler is named, not shown as a step", "[explorer]") {
  ModelConfig config;
  config.model = "nondeterministic";
  ExploreSession session(make_any_model(test::nondeterministic_model(), config), config);
  REQUIRE(session.view()["enabled"].size() == 1);
  const auto reply = session.handle("POST", "step", "{\"index\": 0}");
  CHECK(reply.status == 500);
  CHECK_THAT(reply.body["error"].get<std::string>(), Catch::Contains("nondeterministic"));
  CHECK(session.view()["position"] == 0);
}
