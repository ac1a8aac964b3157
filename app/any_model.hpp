// AnyModel: a built model behind a small virtual interface, so that the
// command line, trace replay and shrinking handle every model alike. The
// search itself runs on the concrete type inside (erased_model.hpp); only
// whole operations cross this boundary.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/registry.hpp"

namespace verdict {

// One step of a run: what it was and what it left.
struct StepRecord {
  nlohmann::json label;
  std::string text;
  std::string fingerprint;            // of the state after the step
  nlohmann::json touched;             // what the step changed (node states, packets), or null
  std::vector<std::string> violated;  // invariants violated after the step
  std::string liveness;               // per liveness property after the step: see LivenessMarks
};

// StepRecord::liveness and RunRecord::initial_liveness: one character per
// liveness property, in AnyModel::liveness_names() order: 't' only its
// trigger holds (leads-to), 'g' only its goal, 'b' both, '-' neither.
struct LivenessMarks {
  static bool trigger(char c) { return c == 't' || c == 'b'; }
  static bool goal(char c) { return c == 'g' || c == 'b'; }
};

// A run of labels from an initial state. It stops early at a label that
// cannot be read or is not enabled (`stuck_at`), and, when asked, after the
// first step that violates an invariant.
struct RunRecord {
  std::string initial_fingerprint;
  std::vector<std::string> initially_violated;
  std::string initial_liveness;
  std::vector<StepRecord> steps;
  std::optional<std::size_t> stuck_at;  // 0-based index of the label that could not be taken
  std::string stuck_reason;
  bool stuck_on_bad_label = false;  // the label could not be read (bad input, not divergence)
};

// One state of a model, held for the explorer (`verdict explore`): opaque
// outside the model that made it.
class HeldState {
 public:
  virtual ~HeldState() = default;
};

// What the explorer shows of a state.
struct StateView {
  nlohmann::json state;  // the model's state as JSON (a World: nodes, packets, timers...)
  std::string fingerprint;
  std::vector<std::string> violated;  // invariants violated in the state
};

// A step enabled in a state, as the command line and trace files write it.
struct EnabledStep {
  nlohmann::json label;
  std::string text;
};

// A step taken: its record and the state it leads to.
struct TakenStep {
  StepRecord record;
  std::shared_ptr<const HeldState> state;
};

class AnyModel {
 public:
  virtual ~AnyModel() = default;

  // Exhaustive search as the request asks; on a violation, with its trace.
  virtual CheckOutcome check(const CheckRequest& request) const = 0;
  // Seeded random walks; on a violation, the lowest failing walk's trace.
  virtual CheckOutcome simulate(const SimulateRequest& request) const = 0;

  virtual std::size_t init_count() const = 0;
  virtual std::vector<std::string> invariant_names() const = 0;
  virtual std::vector<std::string> liveness_names() const = 0;

  // Runs `labels` from initial state `init_index`, checking every invariant
  // after every step; `check_determinism` computes each step twice.
  virtual RunRecord run(std::size_t init_index, const std::vector<nlohmann::json>& labels,
                        bool stop_at_violation) const = 0;
  // The evidence (Property::evidence) of `property` in the world `labels`
  // reach from initial state `init_index`; null when the property has none,
  // or the labels do not run.
  virtual nlohmann::json evidence(std::size_t init_index, const std::vector<nlohmann::json>& labels,
                                  const std::string& property) const = 0;

  // Step by step, for the explorer. The initial state `init_index` (a
  // UsageError if the model has no such state).
  virtual std::shared_ptr<const HeldState> initial(std::size_t init_index) const = 0;
  virtual StateView view(const HeldState& state) const = 0;
  // The steps enabled in `state` that lead somewhere, in the model's order
  // (the order random walks and searches use).
  virtual std::vector<EnabledStep> enabled(const HeldState& state) const = 0;
  // Takes enabled step `index`, or the step `label` names; nullopt when there
  // is no such step. Each step is computed twice: a std::runtime_error names
  // a step whose two results differ (a nondeterministic handler).
  virtual std::optional<TakenStep> take(const HeldState& state, std::size_t index) const = 0;
  virtual std::optional<TakenStep> take(const HeldState& state,
                                        const nlohmann::json& label) const = 0;
};

}  // namespace verdict
