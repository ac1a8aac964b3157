#include "models/reference/register_actor.hpp"

namespace verdict::reference {

void LinearizabilityHistory::on_invoke(unsigned thread, RegisterOp op) {
  if (!valid_) return;
  Thread& th = threads_.at(thread);
  if (th.in_flight) {
    valid_ = false;
    return;
  }
  After after{};
  for (unsigned t = 0; t < kMaxRegisterNodes; ++t)
    if (t != thread && threads_[t].has_entry && threads_[t].completed_count > 0)
      after[t] = threads_[t].completed_count;  // 1 + the index of its last completed op
  th.in_flight = true;
  th.in_flight_after = after;
  th.in_flight_op = op;
  th.has_entry = true;  // `serialize` requires the entry
}

void LinearizabilityHistory::on_return(unsigned thread, RegisterRet ret) {
  if (!valid_) return;
  Thread& th = threads_.at(thread);
  th.has_entry = true;  // Stateright's error path creates the entry too
  if (!th.in_flight) {
    valid_ = false;
    return;
  }
  if (th.completed_count == kMaxOpsPerThread)
    throw std::length_error("register models record at most 2 operations per client");
  th.completed[th.completed_count++] = {th.in_flight_after, th.in_flight_op, ret};
  th.in_flight = false;
  th.in_flight_after = {};
  th.in_flight_op = {};
}

bool LinearizabilityHistory::is_linearizable() const {
  if (!valid_) return false;
  std::array<std::uint8_t, kMaxRegisterNodes> next{};  // per thread: next completed op to place
  std::uint32_t in_flight = 0;
  for (unsigned t = 0; t < kMaxRegisterNodes; ++t)
    if (threads_[t].in_flight) in_flight |= 1U << t;
  return serialize(next, in_flight, 0);
}

// LinearizabilityTester::serialize: tries every thread's next operation (a
// completed one, or else the one in flight, which may also be left out) as
// the next in the total order, in thread order, depth first.
bool LinearizabilityHistory::serialize(std::array<std::uint8_t, kMaxRegisterNodes>& next,
                                       std::uint32_t in_flight, RegisterValue reg) const {
  bool done = true;
  for (unsigned t = 0; t < kMaxRegisterNodes; ++t)
    if (threads_[t].has_entry && next[t] < threads_[t].completed_count) done = false;
  if (done) return true;

  // An operation that must follow op `after[p] - 1` of peer p cannot be
  // placed while that op is still unplaced.
  auto waits_for_peer = [&](const After& after) {
    for (unsigned p = 0; p < kMaxRegisterNodes; ++p) {
      if (after[p] == 0 || !threads_[p].has_entry) continue;
      const unsigned min_peer_time = after[p] - 1u;
      if (next[p] < threads_[p].completed_count && next[p] <= min_peer_time) return true;
    }
    return false;
  };

  for (unsigned t = 0; t < kMaxRegisterNodes; ++t) {
    const Thread& th = threads_[t];
    if (!th.has_entry) continue;
    if (next[t] == th.completed_count) {
      // No completed history left: maybe the operation in flight.
      if (!(in_flight & (1U << t))) continue;
      if (waits_for_peer(th.in_flight_after)) continue;
      const RegisterValue after_op = th.in_flight_op.write ? th.in_flight_op.value : reg;
      if (serialize(next, in_flight & ~(1U << t), after_op)) return true;
    } else {
      const Completed& op = th.completed[next[t]];
      ++next[t];
      bool placed = false;
      if (!waits_for_peer(op.after)) {
        // Register::is_valid_step.
        if (op.op.write && op.ret.write_ok)
          placed = serialize(next, in_flight, op.op.value);
        else if (!op.op.write && !op.ret.write_ok && op.ret.value == reg)
          placed = serialize(next, in_flight, reg);
      }
      --next[t];
      if (placed) return true;
    }
  }
  return false;
}

}  // namespace verdict::reference
