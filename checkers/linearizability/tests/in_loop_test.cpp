// The checker in the loop of an exploration: a small primary-backup register
// declares that its I/O must be linearizable; the explorer finds the seeded
// bug (reads served by the backup before it has the latest write) as a
// violation of that property, and passes the correct variant.
#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "checkers/explore.hpp"
#include "checkers/linearizability/in_loop.hpp"
#include "checkers/linearizability/specs.hpp"

namespace lc = verdict::lincheck;
using R = lc::RegisterSpec;

namespace {

// Two replicas; client 0 writes 1 then writes 2, client 1 reads twice. The
// primary applies a write, answers, and sends the value to the backup
// (asynchronously: a separate `replicate` action). Reads go to the primary,
// or, with the bug, to the backup.
struct PrimaryBackupRegister {
  bool stale_reads = false;

  struct State {
    R::Value primary = R::kNil;
    R::Value backup = R::kNil;
    std::vector<R::Value> replication;  // in flight to the backup, in order
    int next_op[2] = {0, 0};            // per client: operations issued
    bool waiting[2] = {false, false};   // per client: a request outstanding
    lc::IoRecorder<R> io;
  };
  enum class Action { request0, request1, serve0, serve1, replicate };

  static constexpr int kOpsPerClient = 2;

  std::vector<State> init_states() const { return {State{}}; }

  void actions(const State& s, std::vector<Action>& out) const {
    for (int c = 0; c < 2; ++c) {
      if (!s.waiting[c] && s.next_op[c] < kOpsPerClient) {
        out.push_back(c == 0 ? Action::request0 : Action::request1);
      }
      if (s.waiting[c]) out.push_back(c == 0 ? Action::serve0 : Action::serve1);
    }
    if (!s.replication.empty()) out.push_back(Action::replicate);
  }

  std::optional<State> next_state(const State& s, Action a) const {
    State n = s;
    switch (a) {
      case Action::request0:
        n.io.call(0, R::write(n.next_op[0] + 1));
        n.waiting[0] = true;
        break;
      case Action::request1:
        n.io.call(1, R::read());
        n.waiting[1] = true;
        break;
      case Action::serve0:
        n.primary = n.next_op[0] + 1;
        n.replication.push_back(n.primary);
        n.io.ret(0, R::write_ok());
        n.waiting[0] = false;
        ++n.next_op[0];
        break;
      case Action::serve1:
        n.io.ret(1, R::read_ok(stale_reads ? n.backup : n.primary));
        n.waiting[1] = false;
        ++n.next_op[1];
        break;
      case Action::replicate:
        n.backup = n.replication.front();
        n.replication.erase(n.replication.begin());
        break;
    }
    return n;
  }

  std::vector<verdict::Property<State>> properties() const {
    return {lc::linearizable_io<State>(
        "linearizable", R{},
        [](const State& s) -> const lc::History<R>& { return s.io.history(); })};
  }

  std::uint64_t fingerprint(const State& s) const {
    std::uint64_t h = 1469598103934665603ULL;
    auto mix = [&h](std::uint64_t v) { h = (h ^ v) * 1099511628211ULL; };
    mix(static_cast<std::uint64_t>(s.primary));
    mix(static_cast<std::uint64_t>(s.backup));
    for (R::Value v : s.replication) mix(static_cast<std::uint64_t>(v));
    mix(0xff);
    for (int c = 0; c < 2; ++c) {
      mix(static_cast<std::uint64_t>(s.next_op[c]));
      mix(s.waiting[c]);
    }
    for (const auto& op : s.io.history()) {
      mix(static_cast<std::uint64_t>(op.client));
      mix(op.call);
      mix(op.output ? op.ret : ~0ULL);
      mix(op.output ? static_cast<std::uint64_t>(op.output->value) : 7);
    }
    return h;
  }

  nlohmann::json action_json(Action a) const { return static_cast<int>(a); }
};

static_assert(verdict::Model<PrimaryBackupRegister>);

}  // namespace

TEST_CASE("explorer catches stale reads as a linearizability violation", "[lincheck][in-loop]") {
  verdict::SearchOptions options;
  PrimaryBackupRegister buggy{/*stale_reads=*/true};
  const auto found = verdict::explore(buggy, options);
  REQUIRE(found.violation);
  CHECK(found.properties[*found.violation].name == "linearizable");
  REQUIRE(found.properties[*found.violation].example);
  // BFS gives a shortest run: write 1 answered, then a read of the backup.
  CHECK(found.properties[*found.violation].example->actions.size() == 4);

  PrimaryBackupRegister correct{/*stale_reads=*/false};
  const auto clean = verdict::explore(correct, options);
  CHECK_FALSE(clean.violation);
  CHECK(clean.complete);
  CHECK(clean.unique_states > 20);
}

TEST_CASE("IoRecorder: unanswered requests have unknown outcomes", "[lincheck][in-loop]") {
  lc::IoRecorder<R> io;
  io.call(0, R::write(1));
  io.call(1, R::read());
  CHECK(io.ret(1, R::read_ok(1)));
  CHECK_FALSE(io.ret(1, R::read_ok(1)));  // nothing outstanding
  const auto& h = io.history();
  REQUIRE(h.size() == 2);
  CHECK_FALSE(h[0].output);  // the write may or may not have happened...
  // ...and the read of 1 shows that it did: linearizable.
  CHECK(lc::check(R{}, h).outcome == lc::Outcome::linearizable);
}
