// Trace files: the JSON record of one run that violates (or may violate) a
// property — which model, configured how, and the list of steps, each with
// its label and the fingerprint of the world after it. Replaying a trace
// file re-executes the labels and compares fingerprints, so a trace is both
// a counterexample and a determinism check. The format is documented and
// versioned in docs/trace-format.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace verdict {

// Version 2 adds "lasso" (liveness counterexamples); a trace without one is
// still written as version 1, so that older readers keep reading it.
inline constexpr int kTraceFormatVersion = 2;

// A trace file that cannot be used as it is: the message names the field or
// the step that is wrong. The command line exits 2.
class TraceError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TraceStep {
  nlohmann::json label;     // the step, as its step relation writes it
  std::string fingerprint;  // of the world after the step, 16 hex digits
  std::string text;         // for people; ignored on reading
  nlohmann::json touched;   // node states and packets the step changed; for people and diffs
};

struct TraceFile {
  std::string verdict_version;
  std::string model;
  std::map<std::string, std::string> params;
  std::vector<std::string> transforms;
  std::vector<std::string> faults;
  std::map<std::string, unsigned> budgets;
  bool ordered = false;
  std::optional<std::uint64_t> seed;  // for random walks
  nlohmann::json origin;              // how the trace was found (command, strategy, walk...)
  std::string property;               // the violated property ("" if none recorded)
  std::optional<std::size_t> violation_step;  // steps taken when it was violated (0: initially)
  std::size_t init_index = 0;
  std::string initial_fingerprint;
  std::vector<TraceStep> steps;
  // A liveness counterexample (format version 2): the last `cycle_steps`
  // steps return to the world the steps before them reached, and repeating
  // them for ever is a fair behaviour that violates `property`. 0: the
  // behaviour stops after the stem, no fair step being enabled there.
  std::optional<std::size_t> cycle_steps;
  // What the violating world shows beyond the steps (Property::evidence),
  // null for none: {"history": H}, H the history a linearizability property
  // judged, as Verdict's JSON history (docs/history-format.md), which
  // `verdict export --format html` draws. Read as data only: export checks
  // it as it checks any history file.
  nlohmann::json evidence;
};

nlohmann::json trace_to_json(const TraceFile& trace);
// Checks every field; throws TraceError naming the one that is wrong.
TraceFile trace_from_json(const nlohmann::json& j);

// Reads a trace file; a syntax error names the file, line and column.
TraceFile read_trace_file(const std::string& path);
// The same for a file's text already in memory; `path` is only used in messages.
TraceFile parse_trace_text(std::string_view content, const std::string& path);
void write_trace_file(const std::string& path, const TraceFile& trace);

std::string fingerprint_hex(std::uint64_t fingerprint);

}  // namespace verdict
