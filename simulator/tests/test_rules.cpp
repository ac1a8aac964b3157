// Each step relation: its precondition and its effect.
#include <algorithm>

#include <catch2/catch.hpp>

#include "simulator/tests/ping_system.hpp"

using namespace verdict;
using verdict::test::Ping;

namespace {

struct Fixture {
  Ping system{};
  Semantics semantics;
  Workload<Ping> workload = test::one_ping();
  StepContext<Ping> ctx{system, semantics, workload};

  explicit Fixture(Semantics s) : semantics(std::move(s)) {}

  World<Ping> start() const { return initial_world(ctx); }
  std::vector<Label<Ping>> enabled(const World<Ping>& w) const {
    std::vector<Label<Ping>> out;
    enabled_steps(ctx, w, out);
    return out;
  }
  std::size_t count(const World<Ping>& w, StepKind k) const {
    auto steps = enabled(w);
    return static_cast<std::size_t>(std::count_if(
        steps.begin(), steps.end(), [&](const Label<Ping>& l) { return kind_of<Ping>(l) == k; }));
  }
  void must_apply(World<Ping>& w, const Label<Ping>& l) const {
    INFO(label_text<Ping>(l));
    REQUIRE(apply_step(ctx, w, l) == StepResult::applied);
  }
  // Issue the ping: node 0 sends "ping 7" to every other node.
  World<Ping> pinged() const {
    World<Ping> w = start();
    must_apply(w, InputStep<Ping>{0, 0, 7});
    return w;
  }
};

using Deliver = PacketStep<Ping, StepKind::deliver>;
using Drop = PacketStep<Ping, StepKind::drop>;
using Duplicate = PacketStep<Ping, StepKind::duplicate>;
using Crash = NodeStep<StepKind::crash>;
using Reboot = NodeStep<StepKind::reboot>;

std::size_t copies(const World<Ping>& w, NodeId from, NodeId to, const std::string& msg) {
  return static_cast<std::size_t>(
      std::count(w.packets.begin(), w.packets.end(), Packet<Ping>{from, to, msg}));
}

}  // namespace

TEST_CASE("Input runs on_input at an up node and records the trace", "[rules]") {
  Semantics s = Semantics::step_async();
  s.record_io_trace = true;
  Fixture f(s);
  World<Ping> w = f.pinged();
  CHECK(copies(w, 0, 1, "ping 7") == 1);
  CHECK(copies(w, 0, 2, "ping 7") == 1);
  REQUIRE(w.trace.size() == 1);
  CHECK(w.trace[0].is_input());
  // The client's single operation is used up.
  CHECK(f.count(w, StepKind::input) == 0);
  CHECK(apply_step(f.ctx, w, InputStep<Ping>{0, 0, 7}) == StepResult::not_enabled);
}

TEST_CASE("Deliver removes the packet and runs on_message", "[rules]") {
  Fixture f(Semantics::step_async());
  World<Ping> w = f.pinged();
  f.must_apply(w, Deliver{0, 1, "ping 7"});
  CHECK(copies(w, 0, 1, "ping 7") == 0);
  CHECK(copies(w, 1, 0, "pong 7") == 1);
  CHECK(w.states[1].pings == 1);
  CHECK(apply_step(f.ctx, w, Deliver{0, 1, "ping 7"}) == StepResult::not_enabled);
}

TEST_CASE("Drop removes exactly one copy and respects its budget", "[rules]") {
  Semantics s = Semantics::step_async();
  s.add_fault(StepKind::drop, 1);
  s.add_fault(StepKind::duplicate, 1);
  Fixture f(s);
  World<Ping> w = f.pinged();
  f.must_apply(w, Duplicate{0, 1, "ping 7"});
  REQUIRE(copies(w, 0, 1, "ping 7") == 2);
  // Two equal copies are one action, not two.
  CHECK(f.count(w, StepKind::drop) == 2);  // ping to 1, ping to 2
  f.must_apply(w, Drop{0, 1, "ping 7"});
  CHECK(copies(w, 0, 1, "ping 7") == 1);
  CHECK(w.faults_used[StepKind::drop] == 1);
  CHECK(f.count(w, StepKind::drop) == 0);
  CHECK(apply_step(f.ctx, w, Drop{0, 2, "ping 7"}) == StepResult::not_enabled);
}

TEST_CASE("Duplicate adds one copy and respects its budget", "[rules]") {
  Semantics s = Semantics::step_async();
  s.add_fault(StepKind::duplicate, 2);
  Fixture f(s);
  World<Ping> w = f.pinged();
  f.must_apply(w, Duplicate{0, 2, "ping 7"});
  CHECK(copies(w, 0, 2, "ping 7") == 2);
  f.must_apply(w, Duplicate{0, 2, "ping 7"});
  CHECK(copies(w, 0, 2, "ping 7") == 3);
  CHECK(f.count(w, StepKind::duplicate) == 0);
  // Each copy is delivered separately.
  f.must_apply(w, Deliver{0, 2, "ping 7"});
  f.must_apply(w, Deliver{0, 2, "ping 7"});
  CHECK(w.states[2].pings == 2);
}

TEST_CASE("No duplicate step where identical packets in flight merge", "[rules]") {
  Semantics s = Semantics::step_async();
  s.add_fault(StepKind::duplicate, 2);
  s.merge_identical_packets = true;
  Fixture f(s);
  World<Ping> w = f.pinged();
  CHECK(f.count(w, StepKind::duplicate) == 0);
  CHECK(apply_step(f.ctx, w, Label<Ping>{Duplicate{0, 2, "ping 7"}}) == StepResult::not_enabled);
  CHECK(copies(w, 0, 2, "ping 7") == 1);
  CHECK(w.faults_used[StepKind::duplicate] == 0);
}

TEST_CASE("A crashed node receives nothing and loses its timers; packets to it wait", "[rules]") {
  Semantics s = Semantics::step_async();
  s.add_fault(StepKind::crash, 1);
  s.add_fault(StepKind::reboot, kUnlimitedReboots);
  Fixture f(s);
  World<Ping> w = f.pinged();
  REQUIRE(f.count(w, StepKind::timeout) == 3);
  f.must_apply(w, Crash{1});
  CHECK_FALSE(w.is_up(1));
  CHECK(f.count(w, StepKind::timeout) == 2);
  CHECK(std::none_of(w.timers.begin(), w.timers.end(),
                     [](const ArmedTimer<Ping>& t) { return t.node == 1; }));
  CHECK(apply_step(f.ctx, w, Deliver{0, 1, "ping 7"}) == StepResult::not_enabled);
  CHECK(copies(w, 0, 1, "ping 7") == 1);
  CHECK(f.count(w, StepKind::crash) == 0);  // budget used
  CHECK(apply_step(f.ctx, w, Crash{2}) == StepResult::not_enabled);
}

TEST_CASE("Reboot runs on_reboot; packets that waited are then delivered", "[rules]") {
  Semantics s = Semantics::step_async();
  s.add_fault(StepKind::crash, 1);
  s.add_fault(StepKind::reboot, kUnlimitedReboots);
  Fixture f(s);
  World<Ping> w = f.pinged();
  f.must_apply(w, TimeoutStep<Ping>{1, "tick"});
  REQUIRE(w.states[1].ticks == 1);
  f.must_apply(w, Crash{1});
  CHECK(apply_step(f.ctx, w, Reboot{2}) == StepResult::not_enabled);  // 2 is up
  f.must_apply(w, Reboot{1});
  CHECK(w.is_up(1));
  CHECK(w.states[1].reboots == 1);
  CHECK(w.states[1].ticks == 0);
  CHECK(f.count(w, StepKind::timeout) == 3);  // re-armed by on_reboot
  f.must_apply(w, Deliver{0, 1, "ping 7"});
  CHECK(w.states[1].pings == 1);
}

TEST_CASE("Timeout fires an armed timer at an up node and disarms it", "[rules]") {
  Fixture f(Semantics::step_async());
  World<Ping> w = f.start();
  f.must_apply(w, TimeoutStep<Ping>{2, "tick"});
  CHECK(w.states[2].ticks == 1);
  CHECK(apply_step(f.ctx, w, TimeoutStep<Ping>{2, "tick"}) == StepResult::not_enabled);
  CHECK(apply_step(f.ctx, w, TimeoutStep<Ping>{1, "tock"}) == StepResult::not_enabled);
}

TEST_CASE("A partition blocks delivery across it and Heal restores it", "[rules]") {
  Semantics s = Semantics::step_async();
  s.add_fault(StepKind::partition, 1);
  Fixture f(s);
  World<Ping> w = f.pinged();
  CHECK(f.count(w, StepKind::partition) == 3);  // {0}, {0,1}, {0,2}
  CHECK(f.count(w, StepKind::heal) == 0);
  f.must_apply(w, PartitionStep{0b011});  // {0,1} | {2}
  CHECK(apply_step(f.ctx, w, Deliver{0, 2, "ping 7"}) == StepResult::not_enabled);
  f.must_apply(w, Deliver{0, 1, "ping 7"});  // same side
  CHECK(f.count(w, StepKind::partition) == 0);
  f.must_apply(w, HealStep{});
  f.must_apply(w, Deliver{0, 2, "ping 7"});
  CHECK(w.states[2].pings == 1);
  CHECK(apply_step(f.ctx, w, PartitionStep{0b011}) == StepResult::not_enabled);  // budget
  CHECK(apply_step(f.ctx, w, PartitionStep{0b110}) ==
        StepResult::not_enabled);  // not node 0's side
}

TEST_CASE("An ordered network delivers each link in sending order", "[rules]") {
  Semantics s = Semantics::step_async();
  s.ordered = true;
  Workload<Ping> two_pings;
  two_pings.clients.push_back(Client<Ping>{{{0, 9}, {0, 3}}, false});
  Ping system{2};
  StepContext<Ping> ctx{system, s, two_pings};
  World<Ping> w = initial_world(ctx);
  REQUIRE(apply_step(ctx, w, InputStep<Ping>{0, 0, 9}) == StepResult::applied);
  REQUIRE(apply_step(ctx, w, InputStep<Ping>{0, 0, 3}) == StepResult::applied);
  // "ping 3" sorts before "ping 9" but was sent after it.
  CHECK(apply_step(ctx, w, Deliver{0, 1, "ping 3"}) == StepResult::not_enabled);
  CHECK(apply_step(ctx, w, Deliver{0, 1, "ping 9"}) == StepResult::applied);
  CHECK(apply_step(ctx, w, Deliver{0, 1, "ping 3"}) == StepResult::applied);

  // Unordered, either may go first.
  Semantics bag = Semantics::step_async();
  StepContext<Ping> bag_ctx{system, bag, two_pings};
  World<Ping> u = initial_world(bag_ctx);
  REQUIRE(apply_step(bag_ctx, u, InputStep<Ping>{0, 0, 9}) == StepResult::applied);
  REQUIRE(apply_step(bag_ctx, u, InputStep<Ping>{0, 0, 3}) == StepResult::applied);
  CHECK(apply_step(bag_ctx, u, Deliver{0, 1, "ping 3"}) == StepResult::applied);
}

TEST_CASE("A step relation that is not in the semantics is never enabled", "[rules]") {
  Fixture f(Semantics::step_async());
  World<Ping> w = f.pinged();
  CHECK(f.count(w, StepKind::drop) == 0);
  CHECK(f.count(w, StepKind::crash) == 0);
  CHECK(apply_step(f.ctx, w, Drop{0, 1, "ping 7"}) == StepResult::not_enabled);
  CHECK(apply_step(f.ctx, w, Crash{0}) == StepResult::not_enabled);
}

TEST_CASE("Under the Stateright preset a delivery that does nothing is not a step", "[rules]") {
  Fixture f(Semantics::stateright_actor());
  World<Ping> w = f.pinged();
  f.must_apply(w, Deliver{0, 1, "ping 7"});
  // A pong changes nothing and sends nothing: the packet stays in flight.
  World<Ping> before = w;
  CHECK(apply_step(f.ctx, w, Deliver{1, 0, "pong 7"}) == StepResult::no_op);
  CHECK(copies(before, 1, 0, "pong 7") == 1);
  // The model does not count it as a transition.
  SystemModel<Ping> model(Ping{}, Semantics::stateright_actor(), test::one_ping());
  CHECK_FALSE(model.next_state(before, Deliver{1, 0, "pong 7"}).has_value());
}
