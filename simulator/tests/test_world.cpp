// Worlds are canonical values; labels round-trip through JSON.
#include <catch2/catch.hpp>

#include "simulator/tests/ping_system.hpp"

using namespace verdict;
using verdict::test::Ping;

TEST_CASE("Worlds reached by different orders compare and hash equal", "[world]") {
  Semantics s = Semantics::step_async();
  Ping system{};
  Workload<Ping> w = test::one_ping();
  StepContext<Ping> ctx{system, s, w};
  World<Ping> a = initial_world(ctx);
  REQUIRE(apply_step(ctx, a, InputStep<Ping>{0, 0, 7}) == StepResult::applied);
  World<Ping> b = a;
  using Deliver = PacketStep<Ping, StepKind::deliver>;
  REQUIRE(apply_step(ctx, a, Deliver{0, 1, "ping 7"}) == StepResult::applied);
  REQUIRE(apply_step(ctx, a, Deliver{0, 2, "ping 7"}) == StepResult::applied);
  REQUIRE(apply_step(ctx, b, Deliver{0, 2, "ping 7"}) == StepResult::applied);
  REQUIRE(apply_step(ctx, b, Deliver{0, 1, "ping 7"}) == StepResult::applied);
  CHECK(a == b);
  CHECK(a.fingerprint() == b.fingerprint());
  REQUIRE(apply_step(ctx, b, TimeoutStep<Ping>{0, "tick"}) == StepResult::applied);
  CHECK(a.fingerprint() != b.fingerprint());
}

TEST_CASE("merge_identical_packets keeps one copy of identical packets in flight", "[world]") {
  for (bool ordered : {false, true}) {
    for (bool merge : {false, true}) {
      Semantics s = Semantics::step_async();
      s.ordered = ordered;
      s.merge_identical_packets = merge;
      World<Ping> w;
      add_packet(s, w, Packet<Ping>{0, 1, "ping 7"});
      add_packet(s, w, Packet<Ping>{0, 2, "ping 7"});  // another link: never merged
      add_packet(s, w, Packet<Ping>{0, 1, "ping 8"});  // another message: never merged
      add_packet(s, w, Packet<Ping>{0, 1, "ping 7"});
      INFO("ordered " << ordered << ", merge " << merge);
      CHECK(w.packets.size() == (merge ? 3U : 4U));
    }
  }
}

TEST_CASE("The stable hash does not change between builds", "[world]") {
  // Recorded fingerprints in trace files depend on this value staying put:
  // a fixed value, the one every earlier build computed.
  CHECK(stable_hash(std::string("verdict"), 42, std::vector<int>{1, 2}) == 0xb59d8ac153e19360ULL);
  CHECK(stable_hash(1, 2) != stable_hash(2, 1));
  CHECK(stable_hash(std::string("ab"), std::string("c")) !=
        stable_hash(std::string("a"), std::string("bc")));
}

TEST_CASE("The search hash tells apart what the stable hash does", "[world]") {
  // Its words alternate between two lanes: order within a lane, order across
  // lanes and where one value ends and the next begins must all still count.
  CHECK(search_hash(std::string("verdict"), 42, std::vector<int>{1, 2}) ==
        search_hash(std::string("verdict"), 42, std::vector<int>{1, 2}));
  CHECK(search_hash(1, 2) != search_hash(2, 1));
  CHECK(search_hash(1, 2, 3) != search_hash(3, 2, 1));
  CHECK(search_hash(1, 2, 3, 4) != search_hash(1, 4, 3, 2));
  CHECK(search_hash(std::vector<int>{1}, 2) != search_hash(std::vector<int>{1, 2}));
  CHECK(search_hash(std::string("ab"), std::string("c")) !=
        search_hash(std::string("a"), std::string("bc")));
  CHECK(search_hash(0) != search_hash(0, 0));
}

TEST_CASE("Labels round-trip through JSON and name their packet by content", "[labels]") {
  std::vector<Label<Ping>> labels = {InputStep<Ping>{1, 0, 7},
                                     PacketStep<Ping, StepKind::deliver>{1, 2, "ping 3"},
                                     PacketStep<Ping, StepKind::drop>{1, 2, "ping 3"},
                                     PacketStep<Ping, StepKind::duplicate>{2, 0, "pong 3"},
                                     TimeoutStep<Ping>{2, "tick"},
                                     NodeStep<StepKind::crash>{1},
                                     NodeStep<StepKind::reboot>{1},
                                     PartitionStep{0b101},
                                     HealStep{}};
  for (const auto& l : labels) {
    nlohmann::json j = label_to_json<Ping>(l);
    INFO(j.dump());
    CHECK(label_from_json<Ping>(j) == l);
  }
  CHECK(label_text<Ping>(labels[1]) == "deliver n1->n2 \"ping 3\"");
  CHECK(label_text<Ping>(labels[5]) == "crash n1");
}

TEST_CASE("A malformed label names the field that is wrong", "[labels]") {
  auto error_of = [](const char* text) -> std::string {
    try {
      label_from_json<Ping>(nlohmann::json::parse(text));
    } catch (const LabelError& e) {
      return e.what();
    }
    return "no error";
  };
  CHECK_THAT(error_of(R"({"from":1})"), Catch::Contains("\"step\""));
  CHECK_THAT(error_of(R"({"step":"teleport"})"), Catch::Contains("unknown step \"teleport\""));
  CHECK_THAT(error_of(R"({"step":"deliver","from":1,"to":2})"), Catch::Contains("\"msg\""));
  CHECK_THAT(error_of(R"({"step":"crash","node":-1})"), Catch::Contains("\"node\""));
  CHECK_THAT(error_of(R"({"step":"deliver","from":1,"to":2,"msg":5})"), Catch::Contains("\"msg\""));
  CHECK_THAT(error_of(R"([1,2])"), Catch::Contains("object"));
}
