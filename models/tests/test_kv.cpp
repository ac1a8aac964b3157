// The key-value store: vard's operations and the good-map property on the
// single-node semantics.
#include <catch2/catch.hpp>

#include "models/kv/kv.hpp"
#include "models/single_node.hpp"
#include "simulator/system_model.hpp"

using namespace verdict;
using namespace verdict::kv;

namespace {
using Sys = SingleNode<Machine>;
const std::optional<std::string> unset;
std::optional<std::string> val(const char* s) {
  return std::string(s);
}
}  // namespace

TEST_CASE("Every kv operation answers Response(key, value_after, value_before)", "[kv]") {
  Machine m;
  Data d = m.initial();
  CHECK(m.apply(d, Input::get("a")) == Response{"a", unset, unset});
  CHECK(m.apply(d, Input::put("a", "1")) == Response{"a", val("1"), unset});
  CHECK(m.apply(d, Input::put("a", "2")) == Response{"a", val("2"), val("1")});
  CHECK(m.apply(d, Input::get("a")) == Response{"a", val("2"), val("2")});
  CHECK(m.apply(d, Input::del("a")) == Response{"a", unset, val("2")});
  CHECK(d.empty());
}

TEST_CASE("CAS sets only on a match; an absent expected means only if unset", "[kv]") {
  Machine m;
  Data d = m.initial();
  CHECK(m.apply(d, Input::cas("k", val("x"), "1")) == Response{"k", unset, unset});
  CHECK(m.apply(d, Input::cas("k", unset, "1")) == Response{"k", val("1"), unset});
  CHECK(m.apply(d, Input::cas("k", unset, "2")) == Response{"k", val("1"), val("1")});
  CHECK(m.apply(d, Input::cas("k", val("0"), "2")) == Response{"k", val("1"), val("1")});
  CHECK(m.apply(d, Input::cas("k", val("1"), "2")) == Response{"k", val("2"), val("1")});
}

TEST_CASE("CAD deletes only when the value matches", "[kv]") {
  Machine m;
  Data d = m.initial();
  CHECK(m.apply(d, Input::cad("k", "1")) == Response{"k", unset, unset});
  m.apply(d, Input::put("k", "1"));
  CHECK(m.apply(d, Input::cad("k", "2")) == Response{"k", val("1"), val("1")});
  CHECK(m.apply(d, Input::cad("k", "1")) == Response{"k", unset, val("1")});
  CHECK(d.empty());
}

TEST_CASE("Single-node semantics: the trace is [input, output] pairs of the store", "[kv]") {
  Semantics s = Semantics::step_async();
  s.record_io_trace = true;
  Workload<Sys> w;
  w.clients.push_back(Client<Sys>{{{0, Input::put("k", "1")},
                                   {0, Input::cas("k", val("1"), "2")},
                                   {0, Input::cad("k", "2")},
                                   {0, Input::cas("k", unset, "3")},
                                   {0, Input::get("k")}},
                                  true});
  SystemModel<Sys> model(Sys{}, s, w);
  auto world = model.init_states().front();
  std::vector<Label<Sys>> steps;
  for (int i = 0; i < 5; ++i) {
    steps.clear();
    model.actions(world, steps);
    REQUIRE(steps.size() == 1);  // closed loop: one operation at a time
    world = *model.next_state(world, steps[0]);
  }
  REQUIRE(world.trace.size() == 10);
  for (std::size_t i = 0; i < 10; ++i) CHECK(world.trace[i].is_input() == (i % 2 == 0));
  CHECK(std::get<1>(world.trace[9].event) == Response{"k", val("3"), val("3")});
  CHECK(is_good_map<Sys>(world.trace));

  // A wrong answer is not a good map.
  auto bad = world.trace;
  bad[3].event = Response{"k", val("1"), val("1")};
  CHECK_FALSE(is_good_map<Sys>(bad));
}

TEST_CASE("kv inputs and responses round-trip through JSON", "[kv]") {
  for (const Input& in :
       {Input::get("a"), Input::put("a", "1"), Input::del("a"), Input::cas("a", unset, "2"),
        Input::cas("a", val("1"), "2"), Input::cad("a", "1")}) {
    nlohmann::json j = in;
    CHECK(j.get<Input>() == in);
  }
  Response r{"a", unset, val("1")};
  CHECK(nlohmann::json(r).get<Response>() == r);
}

TEST_CASE("Good map: answers may come later, but in input order and right", "[kv]") {
  using Event = IoEvent<Sys>;
  auto in = [](Input i) { return Event{0, 0, i}; };
  auto out = [](Response r) { return Event{0, 0, r}; };
  // Two inputs, then their answers, as behind primary-backup.
  std::vector<Event> delayed{in(Input::put("k", "1")), in(Input::get("k")),
                             out(Response{"k", val("1"), unset}),
                             out(Response{"k", val("1"), val("1")})};
  CHECK(is_good_map<Sys>(delayed));
  CHECK(is_good_map<Sys>(std::vector<Event>(delayed.begin(), delayed.begin() + 3)));
  auto swapped = delayed;
  std::swap(swapped[2], swapped[3]);
  CHECK_FALSE(is_good_map<Sys>(swapped));
  CHECK_FALSE(is_good_map<Sys>(std::vector<Event>{out(Response{"k", unset, unset})}));
}
