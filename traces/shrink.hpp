// Shrink: delta debugging (Zeller's ddmin) over a trace's steps. A candidate
// is any subsequence of the steps — which removes deliveries, faults and
// client operations alike — and is kept when it still drives the model to a
// violation of the same property (the run is cut at that violation). The
// result is 1-minimal: removing any single step loses the violation.
// A lasso (a liveness counterexample) stays a lasso: its cycle is kept as it
// is and only its stem is shrunk, a candidate stem being kept when the cycle
// still returns to where it began and the lasso still violates the property
// (traces/replay.hpp, lasso_problem).
#pragma once

#include <cstddef>
#include <string>

#include "app/any_model.hpp"
#include "traces/trace_file.hpp"

namespace verdict {

struct ShrinkOutcome {
  bool reproduced = false;  // the input trace violates its property; false: exit 3
  std::string message;
  TraceFile trace;  // the shrunk trace (valid, replayable)
  std::size_t steps_before = 0;
  std::size_t steps_after = 0;
  std::size_t candidates_tried = 0;
};

ShrinkOutcome shrink_trace(const TraceFile& trace, const AnyModel& model);

}  // namespace verdict
