// A Semantics: which step relations are in play, how many of each fault the
// whole run may use, and the network's flavour (unordered bag, or per-link
// FIFO). Verdi's step_async and step_failure are presets; so is the
// Stateright-compatible actor semantics used to cross-check our counts.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace verdict {

// Every step relation, in the fixed order in which enabled steps are listed.
enum class StepKind : std::uint8_t {
  input,
  deliver,
  timeout,
  drop,
  duplicate,
  crash,
  reboot,
  partition,
  heal,
};
inline constexpr std::size_t kStepKinds = 9;

inline constexpr std::array<std::string_view, kStepKinds> kStepNames = {
    "input", "deliver", "timeout", "drop", "duplicate", "crash", "reboot", "partition", "heal"};

inline std::string_view to_string(StepKind k) {
  return kStepNames[static_cast<std::size_t>(k)];
}

inline std::optional<StepKind> step_kind_from_string(std::string_view name) {
  for (std::size_t i = 0; i < kStepKinds; ++i)
    if (kStepNames[i] == name) return static_cast<StepKind>(i);
  return std::nullopt;
}

// Faults are the step relations that have a budget. Reboot is bounded by
// crashes and heal by partitions, so neither has one of its own.
inline constexpr std::array<StepKind, 5> kFaults = {
    StepKind::drop, StepKind::duplicate, StepKind::crash, StepKind::reboot, StepKind::partition};

// Counts of faults, indexed by StepKind (only the fault entries are used).
struct FaultCounts {
  std::array<std::uint16_t, kStepKinds> count{};
  std::uint16_t& operator[](StepKind k) { return count[static_cast<std::size_t>(k)]; }
  std::uint16_t operator[](StepKind k) const { return count[static_cast<std::size_t>(k)]; }
  auto operator<=>(const FaultCounts&) const = default;
  template <class H>
  void hash(H& h) const {
    h(count);
  }
};

// The default budget of a fault named in --faults without --budget: small,
// so that exhaustive searches stay finite.
inline constexpr std::uint16_t kDefaultFaultBudget = 1;
// Reboots need no budget of their own: each one needs a crash first.
inline constexpr std::uint16_t kUnlimitedReboots = 0xffff;

struct Semantics {
  std::array<bool, kStepKinds> enabled{};
  FaultCounts budget;    // fault kinds only
  bool ordered = false;  // per-link FIFO delivery
  // Stateright's actor model: a delivery whose handler neither writes its
  // state nor sends anything is not a transition (the packet stays in flight).
  bool no_op_delivery_is_not_a_step = false;
  bool record_io_trace = false;  // keep inputs and outputs in the world (for trace properties)
  // A send of a packet identical to one already in flight adds nothing: the
  // network holds one copy of each (from, to, message). For liveness runs
  // with heartbeats for ever (raft-kv's liveness preset): without it every
  // heartbeat could add another copy and the world would have no bound. A
  // handler that tolerates duplicates cannot tell one delivered copy from
  // two; a search with it covers fewer behaviours, so it is never a default.
  bool merge_identical_packets = false;

  bool allows(StepKind k) const { return enabled[static_cast<std::size_t>(k)]; }
  void enable(StepKind k, bool on = true) { enabled[static_cast<std::size_t>(k)] = on; }

  // Verdi's step_async: inputs, deliveries and timers on a reliable network.
  static Semantics step_async() {
    Semantics s;
    s.enable(StepKind::input);
    s.enable(StepKind::deliver);
    s.enable(StepKind::timeout);
    return s;
  }

  // Verdi's step_failure: step_async plus drop, duplicate, crash and reboot.
  static Semantics step_failure(std::uint16_t budget_each = kDefaultFaultBudget) {
    Semantics s = step_async();
    for (StepKind f : {StepKind::drop, StepKind::duplicate, StepKind::crash})
      s.add_fault(f, budget_each);
    s.add_fault(StepKind::reboot, kUnlimitedReboots);
    return s;
  }

  // Stateright's actor model with an unordered, non-duplicating, lossless network.
  static Semantics stateright_actor() {
    Semantics s = step_async();
    s.no_op_delivery_is_not_a_step = true;
    return s;
  }

  void add_fault(StepKind fault, std::uint16_t limit) {
    enable(fault);
    budget[fault] = limit;
    if (fault == StepKind::partition) enable(StepKind::heal);
  }

  bool within_budget(StepKind fault, const FaultCounts& used) const {
    return used[fault] < budget[fault];
  }
};

}  // namespace verdict
