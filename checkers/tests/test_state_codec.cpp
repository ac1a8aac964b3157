// The state codec (checkers/state_codec.hpp) that keeps BFS frontier states
// encoded: round trips of hand-made values of every shape hash() members
// use, its refusals of bad input, and decode(encode(s)) == s on the states a
// short search of every registered model reaches.
#include <catch2/catch.hpp>

#include <array>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "app/any_model.hpp"
#include "app/registry.hpp"
#include "checkers/explore.hpp"
#include "checkers/state_codec.hpp"
#include "simulator/hashing.hpp"

using namespace verdict;

namespace {

enum class Color : std::uint8_t { red, green, blue };
enum class Wide : std::int64_t { low = -5, high = 1LL << 40 };

struct Empty {
  bool operator==(const Empty&) const = default;
  template <class H>
  void hash(H&) const {}
};

struct Inner {
  std::string name;
  std::vector<std::int32_t> values;
  bool operator==(const Inner&) const = default;
  template <class H>
  void hash(H& h) const {
    h(name, values);
  }
};

struct Everything {
  bool flag = false;
  std::uint8_t small = 0;
  std::uint64_t big = 0;
  std::int32_t negative = 0;
  std::int64_t smallest = 0;
  char letter = 0;
  Color color = Color::red;
  Wide wide = Wide::low;
  std::string bytes;  // with zero bytes inside
  std::optional<std::string> maybe;
  std::optional<Inner> maybe_inner;
  std::vector<std::vector<std::uint16_t>> nested;
  std::variant<std::int64_t, std::string, Inner> choice;
  std::map<std::string, std::vector<std::int32_t>> table;
  std::set<std::int32_t> members;
  std::pair<std::uint8_t, std::string> pair;
  std::tuple<bool, std::int16_t, Color> tuple;
  std::array<std::uint32_t, 3> array{};
  std::vector<Empty> empties;
  std::vector<bool> bits;
  std::vector<Inner> inners;

  bool operator==(const Everything&) const = default;
  template <class H>
  void hash(H& h) const {
    h(flag, small, big, negative, smallest, letter, color, wide, bytes, maybe, maybe_inner, nested,
      choice, table, members, pair, tuple, array, empties, bits, inners);
  }
};

Everything sample() {
  Everything e;
  e.flag = true;
  e.small = 255;
  e.big = ~std::uint64_t{0};
  e.negative = -123456;
  e.smallest = std::numeric_limits<std::int64_t>::min();
  e.letter = 'x';
  e.color = Color::blue;
  e.wide = Wide::high;
  e.bytes = std::string("a\0b\0\0c", 6);
  e.maybe = std::string("\0", 1);
  e.maybe_inner = Inner{"in", {-1, 0, 1}};
  e.nested = {{}, {1, 2, 65535}, {}};
  e.choice = Inner{"chosen", {7}};
  e.table = {{"", {}}, {"k", {1, -2}}, {std::string("\0z", 2), {3}}};
  e.members = {-3, 0, 9};
  e.pair = {7, "seven"};
  e.tuple = {true, -32768, Color::green};
  e.array = {1, 0, 4000000000U};
  e.empties.resize(5);
  e.bits = {true, false, true, true};
  e.inners = {Inner{"a", {}}, Inner{"", {5, 6}}};
  return e;
}

std::vector<unsigned char> encode(const Everything& e) {
  std::vector<unsigned char> bytes;
  encode_state(e, bytes);
  return bytes;
}

// A state with a field its hash() forgets: BFS would keep only one of two
// states that differ in it, and its frontier encoding would lose it.
struct Forgetful {
  int counter = 0;
  int forgotten = 0;
  bool operator==(const Forgetful&) const = default;
  template <class H>
  void hash(H& h) const {
    h(counter);
  }
};

// A hash() that packs two fields into one computed word, as the reference
// models' do for speed: fine for hashing, but nothing to decode into.
struct Packed {
  std::uint32_t high = 0, low = 0;
  bool operator==(const Packed&) const = default;
  template <class H>
  void hash(H& h) const {
    h(std::uint64_t{high} << 32 | low);
  }
};

struct ForgetfulModel {
  using State = Forgetful;
  using Action = int;
  std::vector<State> init_states() const { return {State{}}; }
  void actions(const State& s, std::vector<Action>& out) const {
    if (s.counter < 3) out.push_back(0);
  }
  std::optional<State> next_state(const State& s, const Action&) const {
    return State{s.counter + 1, 42};
  }
  std::vector<Property<State>> properties() const {
    return {Property<State>::always("true", [](const State&) { return true; })};
  }
  std::uint64_t fingerprint(const State& s) const { return stable_hash(s); }
  nlohmann::json action_json(const Action&) const { return "step"; }
};

}  // namespace

TEST_CASE("The codec round-trips every shape a hash() member uses", "[codec]") {
  const Everything e = sample();
  const auto bytes = encode(e);
  CHECK(decode_state<Everything>(bytes.data(), bytes.data() + bytes.size()) == e);

  // Decoding into a reused object with other contents overwrites all of it.
  Everything reused = sample();
  reused.bytes = "longer than before, longer than before";
  reused.maybe.reset();
  reused.choice = std::int64_t{5};
  reused.nested.assign(10, {9, 9});
  reused.table.clear();
  reused.empties.clear();
  reused.inners.resize(7);
  decode_state(bytes.data(), bytes.data() + bytes.size(), reused);
  CHECK(reused == e);

  // And the other way round: a default value over a full one.
  const auto empty_bytes = encode(Everything{});
  decode_state(empty_bytes.data(), empty_bytes.data() + empty_bytes.size(), reused);
  CHECK(reused == Everything{});
  // Small values stay small: one byte per integer, enum, flag and length.
  CHECK(empty_bytes.size() < 40);
}

TEST_CASE("The codec refuses truncated and malformed input", "[codec]") {
  const auto bytes = encode(sample());
  // Every proper prefix is an overrun (or, cut after a whole field, too short).
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    CAPTURE(n);
    CHECK_THROWS_AS(decode_state<Everything>(bytes.data(), bytes.data() + n), CodecError);
  }
  // Bytes left over.
  auto longer = bytes;
  longer.push_back(0);
  CHECK_THROWS_AS(decode_state<Everything>(longer.data(), longer.data() + longer.size()),
                  CodecError);

  // A length larger than the bytes left is refused before anything is allocated.
  std::vector<unsigned char> huge;
  StateEncoder(huge).varint(std::uint64_t{1} << 40);
  huge.push_back(1);
  std::vector<std::uint8_t> into;
  StateDecoder d(huge.data(), huge.data() + huge.size());
  CHECK_THROWS_AS(d(into), CodecError);
  CHECK(into.capacity() < 16);
  std::string text;
  StateDecoder d2(huge.data(), huge.data() + huge.size());
  CHECK_THROWS_AS(d2(text), CodecError);

  // A value too big for its field, a bool that is not 0 or 1, a bad variant index.
  std::vector<unsigned char> three_hundred;
  StateEncoder write_300(three_hundred);
  write_300(std::uint32_t{300});
  std::uint8_t byte = 0;
  StateDecoder d3(three_hundred.data(), three_hundred.data() + three_hundred.size());
  CHECK_THROWS_AS(d3(byte), CodecError);
  const unsigned char two = 2;
  bool flag = false;
  StateDecoder d4(&two, &two + 1);
  CHECK_THROWS_AS(d4(flag), CodecError);
  std::variant<int, std::string> v;
  StateDecoder d5(&two, &two + 1);
  CHECK_THROWS_AS(d5(v), CodecError);
  // A varint longer than 64 bits.
  const std::vector<unsigned char> endless(11, 0xFF);
  StateDecoder d6(endless.data(), endless.data() + endless.size());
  CHECK_THROWS_AS(d6.varint(), CodecError);
}

TEST_CASE("A hash() that passes computed values is refused, not decoded", "[codec]") {
  const Packed p{1, 2};
  std::vector<unsigned char> bytes;
  encode_state(p, bytes);
  CHECK_THROWS_AS(decode_state<Packed>(bytes.data(), bytes.data() + bytes.size()), CodecError);
  CHECK_FALSE(round_trips(p));
  CHECK(round_trips(sample()));
}

TEST_CASE("--check-determinism finds a field missing from hash()", "[codec]") {
  SearchOptions options;
  options.check_determinism = true;
  const auto r = explore(ForgetfulModel{}, options);
  CHECK(r.stop_reason == "nondeterminism");
  CHECK_THAT(r.nondeterminism, Catch::Contains("hash()"));
}

// decode(encode(s)) == s for the states every registered model reaches in a
// short search, under faults and transformers. BFS with --check-determinism
// decodes every state it stores again and compares it with the original
// with operator==, which every state type defaults over ALL its fields: so
// this also catches a field forgotten in a hash() member, which would
// silently merge states that differ in it (their fingerprints are equal) and,
// through the frontier's encoding, reset it to its default.
TEST_CASE("Every registered model's states survive the frontier encoding", "[codec]") {
  struct Case {
    std::string model;
    std::vector<std::string> transforms;
  };
  std::vector<Case> cases;
  for (const auto& entry : builtin_models().entries()) cases.push_back({entry.info.name, {}});
  cases.push_back({"lockserv", {"seqnum", "retransmit"}});
  cases.push_back({"lockserv", {"ghost"}});
  cases.push_back({"kv", {"primary-backup"}});
  for (const auto& c : cases) {
    const ModelEntry& entry = builtin_models().get(c.model);
    CheckRequest req;
    req.model = c.model;
    req.params = Params(entry.info, {});
    req.transforms = c.transforms;
    if (entry.info.is_system)
      req.faults = FaultOptions::from_names({"drop", "duplicate", "crash", "reboot"}, {}, false);
    req.search.strategy = Strategy::bfs;
    req.search.threads = 2;
    req.search.max_states = 20'000;
    req.search.check_determinism = true;
    std::unique_ptr<AnyModel> model;
    try {
      model = build_model(req);
    } catch (const UsageError&) {  // a model whose semantics admits no faults
      req.faults = {};
      model = build_model(req);
    }
    const auto outcome = model->check(req);
    CAPTURE(c.model, c.transforms, outcome.report.dump());
    CHECK_FALSE(outcome.report.contains("nondeterminism"));
    CHECK(outcome.report["unique_states"].get<std::uint64_t>() > 1);
  }
}

// The encoded frontier changes nothing a search reports: BFS on a World
// (encoded) gives DFS's counts (DFS keeps whole states) and the same result
// at 1 and 2 threads, stopped runs included.
TEST_CASE("An encoded frontier gives the same counts and counterexamples", "[codec]") {
  auto run = [](const std::string& name, std::map<std::string, std::string> params,
                Strategy strategy, unsigned threads, std::optional<std::uint64_t> max_states) {
    CheckRequest req;
    req.model = name;
    req.params = Params(builtin_models().get(name).info, params);
    req.search.strategy = strategy;
    req.search.threads = threads;
    req.search.max_states = max_states;
    return build_model(req)->check(req).report;
  };
  const auto bfs1 = run("lockserv", {}, Strategy::bfs, 1, std::nullopt);
  const auto bfs2 = run("lockserv", {}, Strategy::bfs, 2, std::nullopt);
  const auto dfs = run("lockserv", {}, Strategy::dfs, 2, std::nullopt);
  CHECK(bfs1["complete"] == true);
  for (const char* key : {"unique_states", "generated_states"}) {
    CHECK(bfs1[key] == dfs[key]);
    CHECK(bfs1[key] == bfs2[key]);
  }
  // paxos's hash() members pack fields into words: its frontier stays whole.
  const auto paxos_bfs = run("paxos", {}, Strategy::bfs, 2, std::nullopt);
  const auto paxos_dfs = run("paxos", {}, Strategy::dfs, 2, std::nullopt);
  CHECK(paxos_bfs["unique_states"] == 16668);
  CHECK(paxos_bfs["generated_states"] == paxos_dfs["generated_states"]);
  const auto bug1 = run("raft-kv", {{"bug", "no-dedup"}}, Strategy::bfs, 1, std::nullopt);
  const auto bug2 = run("raft-kv", {{"bug", "no-dedup"}}, Strategy::bfs, 2, std::nullopt);
  CHECK(bug1["violation"].is_object());
  CHECK(bug1["violation"] == bug2["violation"]);
  CHECK(bug1["unique_states"] == bug2["unique_states"]);
  const auto cut1 = run("raft-kv", {}, Strategy::bfs, 1, 5000);
  const auto cut2 = run("raft-kv", {}, Strategy::bfs, 2, 5000);
  CHECK(cut1["generated_states"] == cut2["generated_states"]);
}
