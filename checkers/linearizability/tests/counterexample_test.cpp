// Counterexamples: the longest linearizable prefix and the operations that
// cannot come next, readable as text and complete as JSON.
#include <catch2/catch.hpp>

#include "checkers/linearizability/checker.hpp"
#include "checkers/linearizability/history_file.hpp"
#include "checkers/linearizability/specs.hpp"

namespace lc = verdict::lincheck;
using R = lc::RegisterSpec;

namespace {

lc::OperationOf<R> op(int client, R::Input in, std::optional<R::Output> out, std::uint64_t call,
                      std::uint64_t ret) {
  lc::OperationOf<R> o;
  o.client = client;
  o.input = in;
  o.output = out;
  o.call = call;
  o.ret = ret;
  return o;
}

}  // namespace

TEST_CASE("a stale read: prefix, state and the operation that cannot be placed",
          "[lincheck][counterexample]") {
  // write(1) returns, then write(2) returns, then a read sees 1.
  const lc::History<R> h = {op(0, R::write(1), R::write_ok(), 0, 1),
                            op(1, R::write(2), R::write_ok(), 2, 3),
                            op(0, R::read(), R::read_ok(1), 4, 5)};
  lc::CheckOptions options;
  options.threads = 1;
  const lc::Result r = lc::check(R{}, h, options);
  REQUIRE(r.outcome == lc::Outcome::not_linearizable);
  REQUIRE(r.counterexample);
  const lc::Counterexample& c = *r.counterexample;
  REQUIRE(c.prefix.size() == 2);
  CHECK(c.prefix[0].text == "write(1) -> ok");
  CHECK(c.prefix[1].text == "write(2) -> ok");
  CHECK(c.state == "2");
  REQUIRE(c.stuck.size() == 1);
  CHECK(c.stuck[0].operation.index == 2);
  CHECK(c.stuck[0].reason == "the specification answers 2 here");
  const std::string text = lc::format_counterexample(c, "step");
  CHECK(text ==
        "Longest linearizable prefix found: 2 of 3 completed operations\n"
        "     1. #0 client 0: write(1) -> ok  (step 0..1)\n"
        "     2. #1 client 1: write(2) -> ok  (step 2..3)\n"
        "State after the prefix: 2\n"
        "No operation can come next:\n"
        "  #2 client 0: read() -> 1  (step 4..5)\n"
        "        the specification answers 2 here\n");
  const nlohmann::json j = lc::to_json(r);
  CHECK(j["verdict"] == "not-linearizable");
  CHECK(j["counterexample"]["prefix"].size() == 2);
  CHECK(j["counterexample"]["stuck"][0]["reason"] == "the specification answers 2 here");
  CHECK(j["counterexample"]["stuck"][0]["return"] == 5);
}

TEST_CASE("unknown outcomes: may take effect late, or never", "[lincheck][counterexample]") {
  // A write that timed out may still take effect after a later read...
  lc::History<R> h = {op(0, R::write(1), std::nullopt, 0, 0),
                      op(1, R::read(), R::read_ok(R::kNil), 1, 2),
                      op(1, R::read(), R::read_ok(1), 3, 4)};
  CHECK(lc::check(R{}, h).outcome == lc::Outcome::linearizable);
  // ...or never: then nothing reads 1.
  h.pop_back();
  CHECK(lc::check(R{}, h).outcome == lc::Outcome::linearizable);
  // But not before its call.
  lc::History<R> early = {op(1, R::read(), R::read_ok(1), 0, 1),
                          op(0, R::write(1), std::nullopt, 2, 0)};
  CHECK(lc::check(R{}, early).outcome == lc::Outcome::not_linearizable);
}

TEST_CASE("a timeout gives an unknown verdict", "[lincheck][counterexample]") {
  // Many concurrent writes and an impossible read: the search is long.
  lc::History<R> h;
  for (int i = 0; i < 60; ++i) h.push_back(op(i, R::write(i % 7), R::write_ok(), 0, 100));
  h.push_back(op(99, R::read(), R::read_ok(42), 0, 100));
  lc::CheckOptions options;
  options.timeout_seconds = 0.05;
  const lc::Result r = lc::check(R{}, h, options);
  CHECK(r.outcome != lc::Outcome::linearizable);
  if (r.outcome == lc::Outcome::unknown) CHECK_FALSE(r.counterexample);
}

TEST_CASE("the kv counterexample names its key", "[lincheck][counterexample]") {
  const std::string text =
      "{:process 0, :type :invoke, :f :put, :key \"a\", :value \"x\"}\n"
      "{:process 0, :type :ok, :f :put, :key \"a\", :value \"x\"}\n"
      "{:process 1, :type :invoke, :f :get, :key \"b\", :value nil}\n"
      "{:process 1, :type :ok, :f :get, :key \"b\", :value \"x\"}\n";
  const lc::Result r = lc::check_loaded(lc::load_history(text, "t", lc::SpecKind::kv));
  REQUIRE(r.outcome == lc::Outcome::not_linearizable);
  CHECK(r.counterexample->partition == "key b");
  CHECK(r.counterexample->stuck.at(0).reason == "the specification answers \"\" here");
  CHECK(r.counterexample->stuck.at(0).operation.call == 3);  // line numbers
}
