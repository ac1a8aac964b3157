// Randomized differential test: thousands of small random register histories
// (fixed seed), with unknown outcomes and failed compare-and-sets, checked
// both by the checker and by a brute-force enumeration of every order.
#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <random>

#include "checkers/linearizability/checker.hpp"
#include "checkers/linearizability/specs.hpp"

namespace lc = verdict::lincheck;
using R = lc::RegisterSpec;

namespace {

// Every order that respects real time, placing every known operation and any
// subset of the unknown ones: the definition, with no cleverness.
bool brute_force_linearizable(const lc::History<R>& h) {
  const R spec;
  std::vector<bool> placed(h.size(), false);
  std::function<bool(R::State, std::size_t)> search = [&](R::State state,
                                                          std::size_t known_left) -> bool {
    if (known_left == 0) return true;
    for (std::size_t i = 0; i < h.size(); ++i) {
      if (placed[i]) continue;
      // i may come next if no other unplaced known operation returned before i's call.
      bool minimal = true;
      for (std::size_t j = 0; j < h.size() && minimal; ++j) {
        if (j != i && !placed[j] && h[j].output && h[j].ret < h[i].call) minimal = false;
      }
      if (!minimal) continue;
      auto [next, output] = spec.apply(state, h[i].input);
      if (h[i].output && !(output == *h[i].output)) continue;
      placed[i] = true;
      const bool ok = search(next, known_left - (h[i].output ? 1 : 0));
      placed[i] = false;
      if (ok) return true;
    }
    return false;
  };
  std::size_t known = 0;
  for (const auto& op : h) known += op.output ? 1 : 0;
  return search(spec.initial(), known);
}

// A random history of a few clients: each operation's output is what a
// register would answer at a random point of its interval, or a random value
// (then it is often not linearizable), or unknown.
lc::History<R> random_history(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> clients_d(1, 4), ops_d(1, 7), value_d(0, 2), pct(0, 99);
  const int clients = clients_d(rng);
  const int count = ops_d(rng);
  lc::History<R> h;
  std::vector<std::uint64_t> client_free(clients, 0);
  std::uint64_t clock = 0;
  for (int k = 0; k < count; ++k) {
    const int c = std::uniform_int_distribution<int>(0, clients - 1)(rng);
    lc::OperationOf<R> op;
    op.client = c;
    op.call = std::max(client_free[c], clock) + std::uniform_int_distribution<int>(0, 2)(rng);
    op.ret = op.call + 1 + std::uniform_int_distribution<int>(0, 6)(rng);
    client_free[c] = op.ret + 1;
    clock = op.call;
    const int kind = std::uniform_int_distribution<int>(0, 2)(rng);
    auto value = [&] { return pct(rng) < 15 ? R::kNil : value_d(rng); };
    if (kind == 0) {
      op.input = R::read();
      op.output = R::read_ok(value());
    } else if (kind == 1) {
      op.input = R::write(value_d(rng));
      op.output = R::write_ok();
    } else {
      op.input = R::cas(value(), value_d(rng));
      op.output = R::cas_ok(pct(rng) < 60);
    }
    if (pct(rng) < 15) op.output.reset();  // unknown outcome
    h.push_back(op);
  }
  return h;
}

}  // namespace

TEST_CASE("checker agrees with brute force on random register histories",
          "[lincheck][differential]") {
  std::mt19937_64 rng(20261125);
  int linearizable = 0, not_linearizable = 0;
  for (int round = 0; round < 5000; ++round) {
    const lc::History<R> h = random_history(rng);
    const bool expected = brute_force_linearizable(h);
    for (int threads : {1, 2}) {
      lc::CheckOptions options;
      options.threads = threads;
      options.two_workers_from = 0;  // exercise the shared search on small ones too
      const lc::Result r = lc::check(R{}, h, options);
      INFO("round " << round << " threads " << threads);
      REQUIRE(r.outcome == (expected ? lc::Outcome::linearizable : lc::Outcome::not_linearizable));
    }
    (expected ? linearizable : not_linearizable)++;
  }
  // Both verdicts are well represented.
  CHECK(linearizable > 1000);
  CHECK(not_linearizable > 1000);
}

TEST_CASE("a spec's read check agrees with apply() on every read", "[lincheck][differential]") {
  std::vector<lc::StringMap> states(4);
  states[1].set("k", "");
  states[2].set("k", "a");
  states[3].set("k", "ab");
  states[3].set("j", "x");
  const std::vector<std::string> keys{"k", "j", "z"};
  const std::vector<std::optional<std::string>> values{std::nullopt, "", "a", "ab", "x"};
  int agreed_yes = 0;
  for (const auto& state : states) {
    for (const auto& key : keys) {
      const lc::KvSpec kv;
      const lc::KvSpec::Input get{lc::KvSpec::Kind::get, key, ""};
      for (auto kind : {lc::KvSpec::Kind::get, lc::KvSpec::Kind::put}) {
        for (const auto& v : values) {
          const lc::KvSpec::Output out{kind, v.value_or("")};
          const bool expected = kv.apply(state, get).second == out;
          CHECK(kv.answers(state, get, out) == expected);
          agreed_yes += expected;
        }
      }
      const lc::VardSpec vard;
      const lc::VardSpec::Input vget{lc::VardSpec::Kind::get, key, std::nullopt, ""};
      for (const auto& out_key : keys) {
        for (const auto& after : values) {
          for (const auto& before : values) {
            const lc::VardSpec::Output out{out_key, after, before};
            const bool expected = vard.apply(state, vget).second == out;
            CHECK(vard.answers(state, vget, out) == expected);
            agreed_yes += expected;
          }
        }
      }
    }
  }
  CHECK(agreed_yes > 20);  // the matching answers were among those tried
}
