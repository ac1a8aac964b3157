// The verdict of a linearizability check, and the counterexample that explains
// a negative one, as a person reads it (format_text) and as JSON (to_json).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace verdict::lincheck {

enum class Outcome {
  linearizable,
  not_linearizable,
  unknown,  // the time limit or a cancellation stopped the search first
};

const char* to_string(Outcome outcome);

// One operation of the history, as shown in a counterexample.
struct OperationView {
  std::size_t index = 0;  // in the History the check was given
  int client = 0;
  std::string text;  // e.g. "cas(1, 4) -> ok" or "write(3) -> ?" (unknown outcome)
  std::uint64_t call = 0;
  std::optional<std::uint64_t> ret;  // nullopt: the outcome is unknown
};

// An operation that could not come next after the prefix, and why.
struct StuckOperation {
  OperationView operation;
  std::string reason;
};

// Why a history is not linearizable: the longest linearizable prefix the
// search found (in linearization order), the state it leaves, and the
// operations that could be placed next, none of which leads to a full
// linearization.
struct Counterexample {
  std::string partition;  // the part (e.g. "key 3") that failed; empty if unpartitioned
  std::size_t partition_operations = 0;
  std::size_t total_known_operations = 0;  // in the part: those with a known outcome
  std::vector<OperationView> prefix;
  std::string state;  // after the prefix
  std::vector<StuckOperation> stuck;
};

struct CheckStats {
  std::size_t operations = 0;  // checked (after dropping irrelevant ones)
  std::size_t partitions = 0;
  std::size_t configurations = 0;  // distinct (linearized set, state) pairs visited
  double seconds = 0;
};

struct Result {
  Outcome outcome = Outcome::linearizable;
  std::optional<Counterexample> counterexample;  // set when not linearizable
  CheckStats stats;
};

// `position` names the unit of call/return positions in the text ("line" for
// files, "step" for traces).
std::string format_counterexample(const Counterexample& counterexample,
                                  const std::string& position = "position");
nlohmann::json to_json(const Counterexample& counterexample);
nlohmann::json to_json(const Result& result);

}  // namespace verdict::lincheck
