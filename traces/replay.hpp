// Replay: re-executes a trace file's labels against its model, step by step,
// and says whether the recorded violation comes back. It doubles as a
// determinism check: the fingerprint of the world after every step must be
// the recorded one, and the first step where it is not names the node whose
// state differs — the sign of a handler that read a clock, a random number,
// or iterated an unordered container.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/any_model.hpp"
#include "traces/trace_file.hpp"

namespace verdict {

enum class ReplayVerdict {
  reproduced,    // the recorded property is violated at the recorded step (exit 1)
  violated,      // some invariant is violated, not as recorded (exit 1)
  no_violation,  // the run completes without any violation (exit 0)
  diverged,      // a step is not enabled or a fingerprint differs (exit 3)
  bad_input,     // a label cannot be read (exit 2)
};

struct ReplayOutcome {
  ReplayVerdict verdict = ReplayVerdict::no_violation;
  std::string summary;                 // one line for people
  std::vector<std::string> narration;  // one line per step
  std::optional<std::size_t> step;     // the step (1-based; 0: initial) the verdict is about
  std::string difference;              // for a divergence: what differs
  std::string initial_fingerprint;     // of the initial world, as replayed
  // Every step replayed: step (1-based), text, label, fingerprint after it,
  // invariants violated after it, and what it changed (touched).
  nlohmann::json steps = nlohmann::json::array();
  nlohmann::json to_json() const;
  int exit_code() const;
};

ReplayOutcome replay_trace(const TraceFile& trace, const AnyModel& model);

// For a lasso (a liveness counterexample, TraceFile::cycle_steps) and a run of
// all its steps: what keeps it from being a counterexample to its property,
// or "" when it is one: the run took every step, the cycle returns to the
// world the stem ends in (same fingerprint), and the property's trigger holds
// at some point of the stem from which on its goal fails, cycle included.
// The fairness of the cycle is the search's claim and is not re-checked.
std::string lasso_problem(const TraceFile& trace, const AnyModel& model, const RunRecord& run);

}  // namespace verdict
