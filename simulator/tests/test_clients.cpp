// Retrying clients (simulator/workload.hpp): a redirect sends the request on
// to any other up node, a client timeout resends it while the client waits,
// both within their limits, and a sticky client stays with the node that
// answered.
#include <catch2/catch.hpp>

#include "simulator/system_model.hpp"

using namespace verdict;

namespace {

// Node `leader` answers an input with the input's value once it has
// delivered a note to itself (so a client waits for it); every other node
// answers 0 at once, a redirect. No timers.
struct Redirecting {
  using Msg = int;
  using Input = int;
  using Output = int;
  using Timer = int;
  struct State {
    int served = 0;
    auto operator<=>(const State&) const = default;
    template <class H>
    void hash(H& h) const {
      h(served);
    }
    friend void to_json(nlohmann::json& j, const State& s) { j = s.served; }
    friend void from_json(const nlohmann::json& j, State& s) { s.served = j.get<int>(); }
  };

  NodeId leader = 2;

  std::size_t node_count() const { return 3; }
  State init(NodeId, Effects<Redirecting>&) const { return {}; }
  void on_input(NodeId n, State&, const Input& in, Effects<Redirecting>& fx) const {
    if (n != leader) return fx.output(0);
    fx.send(n, in);
  }
  void on_message(NodeId, State& s, NodeId, const Msg& m, Effects<Redirecting>& fx) const {
    ++s.served;
    fx.output(m);
  }
  void on_timeout(NodeId, State&, const Timer&, Effects<Redirecting>&) const {}
  void on_reboot(NodeId, State&, Effects<Redirecting>&) const {}
  bool is_redirect(const Output& out) const { return out == 0; }
};

struct Fixture {
  Redirecting system;
  Semantics semantics = Semantics::step_async();
  Workload<Redirecting> workload;
  StepContext<Redirecting> ctx{system, semantics, workload};

  Fixture(Client<Redirecting> client, NodeId leader) : system{leader} {
    semantics.record_io_trace = true;
    semantics.add_fault(StepKind::crash, 1);
    workload.clients.push_back(std::move(client));
  }
  std::vector<InputStep<Redirecting>> inputs(const World<Redirecting>& w) const {
    std::vector<Label<Redirecting>> all;
    enabled_steps(ctx, w, all);
    std::vector<InputStep<Redirecting>> out;
    for (const auto& l : all)
      if (const auto* in = std::get_if<InputStep<Redirecting>>(&l)) out.push_back(*in);
    return out;
  }
  // The one input step enabled; fails the test if there is not exactly one.
  InputStep<Redirecting> only_input(const World<Redirecting>& w) const {
    auto steps = inputs(w);
    REQUIRE(steps.size() == 1);
    return steps[0];
  }
  // The input step enabled to `node`; fails the test if there is none.
  InputStep<Redirecting> input_to(const World<Redirecting>& w, NodeId node) const {
    for (const auto& step : inputs(w))
      if (step.node == node) return step;
    FAIL("no input step to node " << node);
    return {};
  }
  std::vector<NodeId> input_nodes(const World<Redirecting>& w) const {
    std::vector<NodeId> nodes;
    for (const auto& step : inputs(w)) nodes.push_back(step.node);
    return nodes;
  }
  void take(World<Redirecting>& w, const Label<Redirecting>& l) const {
    REQUIRE(apply_step(ctx, w, l) == StepResult::applied);
  }
};

Client<Redirecting> client(std::vector<int> values, std::uint8_t redirects, std::uint8_t timeouts) {
  Client<Redirecting> c;
  for (int v : values) c.ops.push_back({0, v});
  c.redirects = redirects;
  c.timeouts = timeouts;
  c.sticky = true;
  return c;
}

}  // namespace

TEST_CASE("A redirected request goes to any other node, then the client moves on", "[rules]") {
  Fixture f(client({7, 8}, 2, 0), 2);
  auto w = initial_world(f.ctx);
  f.take(w, f.only_input(w));  // to node 0: redirected
  CHECK(w.clients[0].resend);
  CHECK(f.input_nodes(w) == std::vector<NodeId>{1, 2});
  auto resend = f.input_to(w, 1);
  CHECK(resend.input == 7);
  f.take(w, resend);  // node 1: redirected again
  CHECK(f.input_nodes(w) == std::vector<NodeId>{0, 2});
  f.take(w, f.input_to(w, 2));  // node 2 takes it and answers on delivery
  CHECK(w.clients[0].waiting);
  CHECK(f.inputs(w).empty());  // no client timeouts: nothing to do but wait
  f.take(w, PacketStep<Redirecting, StepKind::deliver>{2, 2, 7});
  CHECK_FALSE(w.clients[0].busy());
  // Sticky: the next request goes to node 2, which answered.
  const auto next = f.only_input(w);
  CHECK(next.node == 2);
  CHECK(next.input == 8);
  f.take(w, next);
  f.take(w, PacketStep<Redirecting, StepKind::deliver>{2, 2, 8});
  CHECK(w.states[2].served == 2);
  CHECK(f.inputs(w).empty());
  // The trace holds one input per request and the real answers: the
  // resends and redirects of request 7 are not in it.
  REQUIRE(w.trace.size() == 4);
  CHECK(w.trace[0].is_input());
  CHECK(w.trace[0].node == 0);  // the call: its first send
  CHECK_FALSE(w.trace[1].is_input());
  CHECK(w.trace[1].client == 0);
}

TEST_CASE("Past its redirect limit a client gives up on the request", "[rules]") {
  Fixture f(client({7, 8}, 1, 0), 2);
  auto w = initial_world(f.ctx);
  f.take(w, f.only_input(w));   // node 0: redirected, resend 1 of 1
  f.take(w, f.input_to(w, 1));  // node 1: redirected, no resend left
  CHECK_FALSE(w.clients[0].busy());
  const auto next = f.only_input(w);
  CHECK(next.input == 8);  // 7 is given up
  CHECK(next.node == 1);   // sticky: the node that answered last
  CHECK(w.clients[0].redirects == 1);
  f.take(w, next);  // node 1 redirects 8: a new request has its own allowance
  CHECK(w.clients[0].resend);
}

TEST_CASE("A client timeout resends to another up node, within its budget", "[rules]") {
  Fixture f(client({7}, 0, 1), 0);
  auto w = initial_world(f.ctx);
  f.take(w, f.only_input(w));  // node 0 takes it; the answer waits on a delivery
  REQUIRE(w.clients[0].waiting);
  f.take(w, NodeStep<StepKind::crash>{1});
  const auto timeout = f.only_input(w);
  CHECK(timeout.node == 2);  // node 1 is down: skipped
  CHECK(timeout.input == 7);
  f.take(w, timeout);  // node 2 redirects; no redirects allowed: given up
  CHECK(w.clients[0].timeouts == 1);
  CHECK_FALSE(w.clients[0].busy());
  CHECK(f.inputs(w).empty());
  // The late answer at node 0 is in the trace but credits no waiting client.
  f.take(w, PacketStep<Redirecting, StepKind::deliver>{0, 0, 7});
  REQUIRE_FALSE(w.trace.empty());
  CHECK(w.trace.back().client == -1);
}

TEST_CASE("A waiting client without client timeouts only waits", "[rules]") {
  Fixture f(client({7}, 2, 0), 0);
  auto w = initial_world(f.ctx);
  f.take(w, f.only_input(w));
  CHECK(w.clients[0].waiting);
  CHECK(f.inputs(w).empty());
}
