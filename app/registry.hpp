// The model registry: every model the command line can name, with its
// parameters, defaults and seeded bugs, behind one type-erased interface.
// Each model is a concrete template instance inside (fast search); the
// command line only sees ModelEntry (type erasure at the edge).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/exit_codes.hpp"
#include "checkers/search_types.hpp"
#include "simulator/semantics.hpp"
#include "traces/trace_file.hpp"

namespace verdict {

struct ParamSpec {
  std::string name;
  std::string default_value;
  std::string help;
  std::vector<std::string> choices;  // empty: any value of the right type
};

struct BugSpec {
  std::string name;
  std::string description;  // what the bug does and which property catches it
};

// A liveness property a model checks (shown by `verdict models`).
struct LivenessSpec {
  std::string name;  // as reported; "{agent}"-style families are spelled out in `description`
  std::string kind;  // "eventually" or "leads-to"
  std::string description;  // what it says, under which fairness, and where it is expected to fail
};

// A named set of parameter values (`--param preset=NAME`): it replaces the
// defaults of the parameters it names; parameters given explicitly still win.
struct ParamPreset {
  std::string name;
  std::map<std::string, std::string> values;
};

// One configuration of a model's check suite: parameter values on top of the
// model's defaults and, where a configuration needs one to stay affordable, a
// depth bound (recorded in the report's limits, like every other bound).
struct SuiteConfiguration {
  std::string name;
  std::string reaches;  // what it reaches that the others do not (`verdict models`)
  std::map<std::string, std::string> values;
  std::optional<std::uint64_t> max_depth{};
};

struct ModelInfo {
  std::string name;
  std::string summary;
  std::vector<ParamSpec> params;
  std::vector<BugSpec> bugs;             // selected with --param bug=NAME
  bool is_system = true;                 // a System under a network semantics (faults apply)
  std::vector<ParamPreset> presets{};    // selected with --param preset=NAME
  std::vector<LivenessSpec> liveness{};  // eventually / leads-to properties (docs/explorer.md)
  // What `verdict check MODEL` runs when no parameter but `bug` is given: small
  // configurations, each searched completely, that together reach what one
  // configuration could only reach at a size no search affords (empty: the
  // defaults alone). Explicit parameters, or `check --single`, run one.
  std::vector<SuiteConfiguration> check_suite{};
  // The preset `simulate` runs when no parameter but `bug` is given (empty:
  // the defaults): random walks are not limited by the number of states, so they
  // may run at bounds far beyond what exhaustive search covers.
  std::string walk_preset{};
};

// Parameter values as given (k=v), checked against a ModelInfo's specs.
class Params {
 public:
  Params() = default;
  // Fills in defaults; an unknown name or a value outside `choices` is a UsageError.
  Params(const ModelInfo& info, const std::map<std::string, std::string>& given);

  const std::string& text(const std::string& name) const;
  long integer(const std::string& name, long min, long max) const;
  bool flag(const std::string& name) const;
  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::string model_;
  std::map<std::string, std::string> values_;
};

// How the network may misbehave, as the command line states it.
struct FaultOptions {
  std::vector<StepKind> faults;               // --faults
  std::map<StepKind, std::uint16_t> budgets;  // --budget
  bool ordered = false;                       // --ordered

  // Applies the faults and budgets to a preset (a fault without a budget
  // gets kDefaultFaultBudget; reboots are bounded by crashes).
  Semantics apply_to(Semantics base) const;
  // From names as the command line and trace files write them; a bad name or
  // count is a UsageError that lists what is allowed.
  static FaultOptions from_names(const std::vector<std::string>& faults,
                                 const std::map<std::string, unsigned>& budgets, bool ordered);
  std::vector<std::string> fault_names() const;
  std::map<std::string, unsigned> budget_map() const;
  nlohmann::json faults_json() const;
  nlohmann::json budgets_json(const Semantics& applied) const;
};

// Which model, configured how: everything needed to build it again, which
// is what a trace file records.
struct ModelConfig {
  std::string model;
  Params params;
  std::vector<std::string> transforms;
  FaultOptions faults;
};

struct CheckRequest : ModelConfig {
  SearchOptions search;
};

struct SimulateRequest : ModelConfig {
  WalkOptions walk;
};

// What a check produced: the report (versioned JSON, see README), the exit
// code the command line should return, and on a violation its trace.
struct CheckOutcome {
  nlohmann::json report;
  int exit_code = 0;
  std::optional<TraceFile> trace;
};

class AnyModel;

struct ModelEntry {
  ModelInfo info;
  // Builds the model; throws UsageError when the configuration does not fit it.
  std::function<std::unique_ptr<AnyModel>(const ModelConfig&)> build;
};

class ModelRegistry {
 public:
  void add(ModelEntry entry);
  const ModelEntry* find(const std::string& name) const;
  // The entry, or a UsageError that lists the known models.
  const ModelEntry& get(const std::string& name) const;
  const std::vector<ModelEntry>& entries() const { return entries_; }
  std::vector<std::string> names() const;

  // `model --transform transform,...` is the model `into` (with the
  // transformers after it): a transformer registered as models of its own,
  // since it brings its own parameters and invariants (kv under raft is raft-kv).
  void add_transformed(const std::string& model, const std::string& transform,
                       const std::string& into);
  // The model `model` becomes under `transform`, or null.
  const std::string* transformed(const std::string& model, const std::string& transform) const;
  // (transform, into) pairs of `model`.
  std::vector<std::pair<std::string, std::string>> transforms_of(const std::string& model) const;

 private:
  std::vector<ModelEntry> entries_;
  std::map<std::pair<std::string, std::string>, std::string> transformed_;
};

struct TransformerInfo {
  std::string name;
  std::string summary;
};

// Every model and transformer built into Verdict.
const ModelRegistry& builtin_models();
// Builds a model of `registry` (the built-in one by default) from a
// configuration; UsageError if it does not fit.
std::unique_ptr<AnyModel> build_model(const ModelRegistry& registry, const ModelConfig& config);
std::unique_ptr<AnyModel> build_model(const ModelConfig& config);
// The configuration a trace file records (UsageError if it names no model of the registry).
ModelConfig config_from_trace(const ModelRegistry& registry, const TraceFile& trace);
ModelConfig config_from_trace(const TraceFile& trace);
// Fills a trace file's configuration fields from a model configuration.
void record_config(const ModelConfig& config, TraceFile& trace);
const std::vector<TransformerInfo>& builtin_transformers();

}  // namespace verdict
