// A one-node register store that two clients use at once, checked for
// linearizability with lincheck::io_linearizable (docs/writing-a-system.md,
// "Linearizability of your System"). Requests carry the client and a request
// id, and is_response matches answers to them: both clients wait at node 0,
// and without is_response an answer could be credited to the wrong one.
//
// The seeded bug `stale_reads` answers a read from a copy of the value that
// the node refreshes only on every second write.
#pragma once

#include <cstdint>

#include "checkers/linearizability/specs.hpp"
#include "checkers/linearizability/world_history.hpp"
#include "simulator/system.hpp"
#include "simulator/value.hpp"

namespace store {

using verdict::Effects;
using verdict::NodeId;

struct Request {
  std::int32_t client = 0;
  std::int32_t id = 0;
  bool write = false;
  std::int64_t value = 0;  // the value written
  VERDICT_VALUE(Request, client, id, write, value)
};

struct Answer {
  std::int32_t client = 0;
  std::int32_t id = 0;
  bool write = false;
  std::int64_t value = 0;  // the value read
  VERDICT_VALUE(Answer, client, id, write, value)
};

struct State {
  std::int64_t value = 0;
  std::int64_t cached = 0;  // what stale_reads answers reads from
  std::int64_t writes = 0;
  VERDICT_VALUE(State, value, cached, writes)
};

struct Store {
  using State = store::State;
  using Msg = verdict::Nothing;
  using Input = Request;
  using Output = Answer;
  using Timer = verdict::Nothing;

  bool stale_reads = false;

  std::size_t node_count() const { return 1; }
  State init(NodeId, Effects<Store>&) const { return {}; }
  void on_input(NodeId, State& s, const Request& r, Effects<Store>& fx) const {
    if (r.write) {
      s.value = r.value;
      if (++s.writes % 2 == 0) s.cached = s.value;
    }
    fx.output(Answer{r.client, r.id, r.write, stale_reads ? s.cached : s.value});
  }
  void on_message(NodeId, State&, NodeId, const Msg&, Effects<Store>&) const {}
  void on_timeout(NodeId, State&, const Timer&, Effects<Store>&) const {}
  void on_reboot(NodeId, State&, Effects<Store>&) const {}

  // Which answer is for which request: the one with its client and id.
  bool is_response(const Request& in, const Answer& out) const {
    return in.client == out.client && in.id == out.id;
  }
};

// The store's I/O as operations of the built-in register specification
// (which starts at 0, as the store does).
using Spec = verdict::lincheck::RegisterSpec;
inline Spec spec() {
  return Spec{.initial_value = 0};
}
inline Spec::Input to_spec(const Request& r) {
  return r.write ? Spec::write(r.value) : Spec::read();
}
inline Spec::Output to_spec(const Answer& a) {
  return a.write ? Spec::write_ok() : Spec::read_ok(a.value);
}

}  // namespace store
