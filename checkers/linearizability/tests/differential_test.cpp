// Randomized differential test: thousands of small random register histories
// (fixed seed), with unknown outcomes and failed compare-and-sets, checked
// both by the checker and by a brute-force enumeration of every order; and
// random event logs with failed operations, written in each file format and
// read under each reading of a failure, against a brute force that reads the
// events itself.
#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <random>

#include <fmt/format.h>

#include "checkers/linearizability/checker.hpp"
#include "checkers/linearizability/history_file.hpp"
#include "checkers/linearizability/specs.hpp"

namespace lc = verdict::lincheck;
using R = lc::RegisterSpec;

namespace {

// Every order that respects real time, placing every known operation and any
// subset of the unknown ones: the definition, with no cleverness.
template <class Spec = R>
bool brute_force_linearizable(const lc::History<Spec>& h) {
  const Spec spec;
  std::vector<bool> placed(h.size(), false);
  std::function<bool(typename Spec::State, std::size_t)> search =
      [&](typename Spec::State state, std::size_t known_left) -> bool {
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

// Random call and return positions for the operations of a few clients, one
// operation at a time per client, the calls in order.
class RandomTimeline {
 public:
  RandomTimeline(std::mt19937_64& rng, int clients) : rng_(rng), client_free_(clients, 0) {}

  template <class Op>
  void place(Op& op) {
    const int c =
        std::uniform_int_distribution<int>(0, static_cast<int>(client_free_.size()) - 1)(rng_);
    op.client = c;
    op.call = std::max(client_free_[c], clock_) + std::uniform_int_distribution<int>(0, 2)(rng_);
    op.ret = op.call + 1 + std::uniform_int_distribution<int>(0, 6)(rng_);
    client_free_[c] = op.ret + 1;
    clock_ = op.call;
  }

 private:
  std::mt19937_64& rng_;
  std::vector<std::uint64_t> client_free_;
  std::uint64_t clock_ = 0;
};

// A random history of a few clients: each operation's output is what a
// register would answer at a random point of its interval, or a random value
// (then it is often not linearizable), or unknown.
lc::History<R> random_history(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> clients_d(1, 4), ops_d(1, 7), value_d(0, 2), pct(0, 99);
  const int clients = clients_d(rng);
  const int count = ops_d(rng);
  lc::History<R> h;
  RandomTimeline timeline(rng, clients);
  for (int k = 0; k < count; ++k) {
    lc::OperationOf<R> op;
    timeline.place(op);
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

namespace {

// A random kv history on two keys: every operation takes effect at a random
// point of its interval (its answer is the value there), then some answers are
// changed to another plausible value and some outcomes made unknown.
lc::History<lc::KvSpec> random_kv_history(std::mt19937_64& rng) {
  using K = lc::KvSpec;
  std::uniform_int_distribution<int> clients_d(1, 4), ops_d(1, 8), pct(0, 99);
  const std::vector<std::string> keys{"a", "b"}, pieces{"x", "y", "xy"};
  const std::vector<std::string> answers{"", "x", "y", "xy", "xx", "yx", "xyx", "xxy"};
  auto pick = [&](const std::vector<std::string>& from) {
    return from[std::uniform_int_distribution<std::size_t>(0, from.size() - 1)(rng)];
  };
  const int clients = clients_d(rng);
  const int count = ops_d(rng);
  lc::History<K> h;
  RandomTimeline timeline(rng, clients);
  std::vector<std::uint64_t> point;
  for (int k = 0; k < count; ++k) {
    lc::OperationOf<K> op;
    timeline.place(op);
    point.push_back(std::uniform_int_distribution<std::uint64_t>(op.call, op.ret)(rng));
    const int kind = std::uniform_int_distribution<int>(0, 2)(rng);
    op.input = {kind == 0   ? K::Kind::get
                : kind == 1 ? K::Kind::put
                            : K::Kind::append,
                pick(keys), kind == 0 ? "" : pick(pieces)};
    h.push_back(op);
  }
  std::vector<std::size_t> order(h.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return point[a] < point[b]; });
  K::State state;
  for (std::size_t i : order) {
    auto [next, output] = K{}.apply(state, h[i].input);
    if (h[i].input.kind == K::Kind::get && pct(rng) < 25) output.value = pick(answers);
    h[i].output = output;
    state = next;
  }
  for (auto& op : h) {
    if (pct(rng) < 15) op.output.reset();  // unknown outcome
  }
  return h;
}

}  // namespace

TEST_CASE("checker agrees with brute force on random kv histories", "[lincheck][differential]") {
  // Exercises the kv search's pruning of states that a read still to come
  // cannot answer (HasTextObservations), per key and as one history.
  std::mt19937_64 rng(16);
  int linearizable = 0, not_linearizable = 0;
  for (int round = 0; round < 4000; ++round) {
    const lc::History<lc::KvSpec> h = random_kv_history(rng);
    const bool expected = brute_force_linearizable<lc::KvSpec>(h);
    for (int threads : {1, 2}) {
      for (bool partition : {true, false}) {
        lc::CheckOptions options;
        options.threads = threads;
        options.partition = partition;
        options.two_workers_from = 0;
        const lc::Result r = lc::check(lc::KvSpec{}, h, options);
        INFO("round " << round << " threads " << threads << " partition " << partition);
        REQUIRE(r.outcome ==
                (expected ? lc::Outcome::linearizable : lc::Outcome::not_linearizable));
      }
    }
    (expected ? linearizable : not_linearizable)++;
  }
  CHECK(linearizable > 800);
  CHECK(not_linearizable > 800);
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

TEST_CASE("a Text equals another by its characters, however it was built", "[lincheck]") {
  // Random pieces appended in random splits: equal strings give equal Texts
  // (and hashes), different strings different ones, and each equals its str().
  std::mt19937 rng(16);
  std::uniform_int_distribution<int> letter(0, 2), len(0, 3);
  std::vector<std::pair<std::string, lc::Text>> built;
  for (int i = 0; i < 400; ++i) {
    std::string whole;
    lc::Text text = i % 3 == 0 ? lc::Text("a") : lc::Text();
    if (i % 3 == 0) whole = "a";
    for (int n = len(rng); n > 0; --n) {
      std::string piece(static_cast<std::size_t>(len(rng)), 'a');
      for (char& c : piece) c = static_cast<char>('a' + letter(rng));
      whole += piece;
      text = text.appended(piece);
    }
    REQUIRE(text.str() == whole);
    REQUIRE(text == std::string_view(whole));
    REQUIRE(text.size() == whole.size());
    built.emplace_back(whole, text);
  }
  int equal_pairs = 0;
  for (const auto& [s1, t1] : built) {
    for (const auto& [s2, t2] : built) {
      REQUIRE((t1 == t2) == (s1 == s2));
      REQUIRE((t1 == std::string_view(s2)) == (s1 == s2));
      if (s1 == s2) REQUIRE(t1.hash() == t2.hash());
      equal_pairs += s1 == s2 && &s1 != &s2;
    }
  }
  CHECK(equal_pairs > 100);  // many equal strings were built in different ways
  // A chain as long as a big history is freed without deep recursion.
  lc::Text longest;
  for (int i = 0; i < 1'000'000; ++i) longest = longest.appended("x");
  CHECK(longest.size() == 1'000'000);
}

namespace {

// One operation of a random event log, as the brute force reads it.
struct LoggedOp {
  enum class Kind { read, write, cas } kind = Kind::read;
  int process = 0;
  std::int64_t a = 0, b = 0;               // write: a; cas: [a b]
  std::optional<std::int64_t> read_value;  // an ok read's answer; nullopt = nil
  lc::Event::Type end = lc::Event::Type::info;
  bool completed = false;
  std::size_t call = 0, ret = 0;  // event numbers
};

// The definition under a reading, with no cleverness: every order respecting
// real time that places each operation whose outcome is known.
bool brute_force_log(const std::vector<LoggedOp>& ops, lc::Reading reading) {
  enum class Role { known, failed_cas, optional, absent };
  std::vector<Role> role(ops.size());
  std::size_t must = 0;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const LoggedOp& op = ops[i];
    if (op.completed && op.end == lc::Event::Type::ok) {
      role[i] = Role::known;
    } else if (op.completed && op.end == lc::Event::Type::fail) {
      if (reading == lc::Reading::knossos) {
        role[i] = Role::absent;
      } else {
        role[i] = op.kind == LoggedOp::Kind::cas ? Role::failed_cas : Role::optional;
      }
    } else {
      role[i] = Role::optional;
    }
    if (role[i] == Role::known || role[i] == Role::failed_cas) ++must;
  }
  const std::int64_t nil = std::numeric_limits<std::int64_t>::min();
  std::vector<bool> placed(ops.size(), false);
  std::function<bool(std::int64_t, std::size_t)> search = [&](std::int64_t state,
                                                              std::size_t left) -> bool {
    if (left == 0) return true;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      if (placed[i] || role[i] == Role::absent) continue;
      bool minimal = true;
      for (std::size_t j = 0; j < ops.size() && minimal; ++j) {
        const bool j_must = role[j] == Role::known || role[j] == Role::failed_cas;
        if (j != i && !placed[j] && j_must && ops[j].ret < ops[i].call) minimal = false;
      }
      if (!minimal) continue;
      const LoggedOp& op = ops[i];
      std::int64_t next = state;
      bool fits = true;
      switch (op.kind) {
        case LoggedOp::Kind::read:
          fits = role[i] != Role::known || op.read_value.value_or(nil) == state;
          break;
        case LoggedOp::Kind::write:
          next = op.a;
          break;
        case LoggedOp::Kind::cas:
          if (role[i] == Role::known) fits = state == op.a;
          if (role[i] == Role::failed_cas) fits = state != op.a;
          if (state == op.a && role[i] != Role::failed_cas) next = op.b;
          break;
      }
      if (!fits) continue;
      placed[i] = true;
      const bool ok = search(next, left - (role[i] == Role::optional ? 0 : 1));
      placed[i] = false;
      if (ok) return true;
    }
    return false;
  };
  return search(nil, must);
}

struct LoggedEvent {
  std::size_t op;
  bool invoke;
};

// A random log: clients invoke and complete operations in a random
// interleaving; completions are ok, fail or info, or missing at the end.
std::pair<std::vector<LoggedOp>, std::vector<LoggedEvent>> random_log(std::mt19937_64& rng) {
  auto below = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  const int clients = 1 + below(4), count = 1 + below(7);
  std::vector<LoggedOp> ops;
  std::vector<LoggedEvent> events;
  std::vector<std::optional<std::size_t>> running(clients);
  while (static_cast<int>(ops.size()) < count || below(3) != 0) {
    const int c = below(clients);
    if (!running[c]) {
      if (static_cast<int>(ops.size()) >= count) break;
      LoggedOp op;
      op.process = c;
      op.kind = static_cast<LoggedOp::Kind>(below(3));
      op.a = below(3);
      op.b = below(3);
      op.call = events.size() + 1;
      running[c] = ops.size();
      events.push_back({ops.size(), true});
      ops.push_back(op);
      continue;
    }
    LoggedOp& op = ops[*running[c]];
    const int pick = below(10);
    op.end = pick < 6   ? lc::Event::Type::ok
             : pick < 9 ? lc::Event::Type::fail
                        : lc::Event::Type::info;
    if (op.kind == LoggedOp::Kind::read && below(4) != 0) op.read_value = below(3);
    op.completed = true;
    op.ret = events.size() + 1;
    events.push_back({*running[c], false});
    running[c].reset();
  }
  return {ops, events};
}

std::string edn_value(const LoggedOp& op, bool invoke) {
  switch (op.kind) {
    case LoggedOp::Kind::read:
      if (invoke || op.end == lc::Event::Type::ok)
        return !invoke && op.read_value ? std::to_string(*op.read_value) : "nil";
      return ":timed-out";
    case LoggedOp::Kind::write:
      return std::to_string(op.a);
    case LoggedOp::Kind::cas:
      return fmt::format("[{} {}]", op.a, op.b);
  }
  return "nil";
}

const char* type_name(const LoggedOp& op, bool invoke) {
  if (invoke) return "invoke";
  return op.end == lc::Event::Type::ok ? "ok" : op.end == lc::Event::Type::fail ? "fail" : "info";
}

const char* f_name(const LoggedOp& op) {
  return op.kind == LoggedOp::Kind::read    ? "read"
         : op.kind == LoggedOp::Kind::write ? "write"
                                            : "cas";
}

// The log in each format; EDN sometimes as one vector, sometimes several maps
// a line; JSON names the reading.
std::string render(const std::vector<LoggedOp>& ops, const std::vector<LoggedEvent>& events,
                   lc::Format format, lc::Reading reading, std::mt19937_64& rng) {
  std::string out;
  const bool vector = rng() % 2 == 0;
  if (format == lc::Format::edn && vector) out += "[";
  if (format == lc::Format::json)
    out += fmt::format("{{\"verdict_history\": 2, \"failed_ops\": \"{}\", \"events\": [\n",
                       lc::to_string(reading));
  for (std::size_t i = 0; i < events.size(); ++i) {
    const LoggedOp& op = ops[events[i].op];
    const bool invoke = events[i].invoke;
    const std::string value = edn_value(op, invoke);
    switch (format) {
      case lc::Format::jepsen:
        out += fmt::format("INFO  jepsen.util - {}\t:{}\t:{}\t{}\n", op.process,
                           type_name(op, invoke), f_name(op), value);
        break;
      case lc::Format::edn:
        out += fmt::format("{{:process {}, :type :{}, :f :{}, :value {}, :time {}}}{}", op.process,
                           type_name(op, invoke), f_name(op), value, i * 10,
                           rng() % 3 == 0 ? " " : "\n ");
        break;
      case lc::Format::json: {
        std::string json_value = value == ":timed-out" ? "\"timed-out\""
                                 : value == "nil"      ? "null"
                                                       : value;
        if (op.kind == LoggedOp::Kind::cas) json_value = fmt::format("[{}, {}]", op.a, op.b);
        out += fmt::format(
            "{}{{\"process\": {}, \"type\": \"{}\", \"f\": \"{}\", \"value\": {}}}\n",
            i == 0 ? "" : ",", op.process, type_name(op, invoke), f_name(op), json_value);
        break;
      }
    }
  }
  if (format == lc::Format::edn && vector) out += "]";
  if (format == lc::Format::json) out += "]}";
  return out;
}

}  // namespace

TEST_CASE("both readings of failed operations agree with brute force, in every format",
          "[lincheck][differential][formats]") {
  std::mt19937_64 rng(20261130);
  int linearizable = 0, not_linearizable = 0, readings_differ = 0;
  for (int round = 0; round < 4000; ++round) {
    const auto [ops, events] = random_log(rng);
    const bool knossos = brute_force_log(ops, lc::Reading::knossos);
    const bool porcupine = brute_force_log(ops, lc::Reading::porcupine);
    readings_differ += knossos != porcupine;
    for (lc::Reading reading : {lc::Reading::knossos, lc::Reading::porcupine}) {
      const bool expected = reading == lc::Reading::knossos ? knossos : porcupine;
      (expected ? linearizable : not_linearizable)++;
      for (lc::Format format : {lc::Format::jepsen, lc::Format::edn, lc::Format::json}) {
        const std::string text = render(ops, events, format, reading, rng);
        lc::LoadOptions options;
        if (format != lc::Format::json) options.reading = reading;  // JSON names its own
        const lc::LoadedHistory loaded =
            lc::load_history(text, "random", lc::SpecKind::register_spec, options);
        REQUIRE(loaded.format == format);
        REQUIRE(loaded.reading == reading);
        lc::CheckOptions check;
        check.threads = 1;
        INFO("round " << round << " reading " << lc::to_string(reading) << "\n" << text);
        REQUIRE(lc::check_loaded(loaded, check).outcome ==
                (expected ? lc::Outcome::linearizable : lc::Outcome::not_linearizable));
      }
    }
  }
  CHECK(linearizable > 1500);
  CHECK(not_linearizable > 1500);
  CHECK(readings_differ > 60);  // the failures the readings disagree on are well represented
}
