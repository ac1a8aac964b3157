// verdict::check(): a bounded check from a user's own test or program. It
// returns a typed CheckResult (each property's outcome, the violation and its
// path, the states covered, the command line's exit code) and, on a
// violation, writes the trace file for replay. Three forms:
//
//   check(model, Bounds().max_depth(20))  any Model, e.g. a SystemModel built by hand
//   check(entry, ModelArgs().param("bug", "x").faults("drop"), bounds)
//                                         a system_entry() model, configured as on the
//                                         command line; its trace replays with the
//                                         program that runs run_cli(argc, argv, entry)
//   check(any_model, request)             a built AnyModel and a full CheckRequest
//
// Trace files go to $VERDICT_TRACE_DIR, or the current directory, named
// verdict-trace-MODEL-HASH.json after the counterexample (the same
// counterexample, the same file).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "app/any_model.hpp"
#include "app/check_runner.hpp"
#include "app/erased_model.hpp"
#include "app/model_options.hpp"
#include "simulator/hashing.hpp"

namespace verdict {

// How far to search, as the command line's check options say it:
//   verdict::Bounds().max_depth(20).threads(2)
class Bounds {
 public:
  Bounds& max_depth(std::uint64_t states) { return set(search_.max_depth, states); }
  Bounds& max_states(std::uint64_t states) { return set(search_.max_states, states); }
  Bounds& time_limit(double seconds) { return set(search_.time_limit_seconds, seconds); }
  Bounds& memory_limit(std::uint64_t mb) { return set(search_.memory_limit_mb, mb); }
  Bounds& threads(unsigned n) { return set(search_.threads, n); }
  Bounds& dfs() { return set(search_.strategy, Strategy::dfs); }
  Bounds& keep_going() { return set(search_.keep_going, true); }
  Bounds& check_determinism() { return set(search_.check_determinism, true); }
  const SearchOptions& search() const { return search_; }

 private:
  template <class Field, class T>
  Bounds& set(Field& field, T value) {
    field = value;
    return *this;
  }
  SearchOptions search_;
};

// A registered model's configuration, in the command line's words:
//   verdict::ModelArgs().param("bug", "overwrite").faults("drop,duplicate").transform("seqnum")
class ModelArgs {
 public:
  ModelArgs& param(const std::string& name, const std::string& value) {
    return add(options_.params, name + "=" + value);
  }
  ModelArgs& transform(const std::string& names) { return add(options_.transforms, names); }
  ModelArgs& faults(const std::string& names) { return add(options_.faults, names); }
  ModelArgs& budget(const std::string& fault, unsigned count) {
    return add(options_.budgets, fault + "=" + std::to_string(count));
  }
  ModelArgs& ordered() {
    options_.ordered = true;
    return *this;
  }
  // The request, checked as the command line checks it (UsageError if wrong).
  CheckRequest request(const ModelEntry& entry) const {
    ModelRegistry registry;
    registry.add(entry);
    ModelOptions options = options_;
    options.model = entry.info.name;
    return options.to_request(registry);
  }

 private:
  ModelArgs& add(std::vector<std::string>& list, std::string item) {
    list.push_back(std::move(item));
    return *this;
  }
  ModelOptions options_;
};

// One property's outcome in a check.
struct PropertyOutcome {
  std::string name;
  std::string kind;     // always, sometimes, eventually, leads-to
  std::string outcome;  // holds, violated, reached, not_reached, unchecked
};

// The counterexample of a check that found one.
struct ViolationFound {
  std::string property;
  std::size_t depth = 0;                   // in states: the initial state is depth 1
  std::vector<nlohmann::json> labels;      // the steps, as trace files write them
  std::vector<std::string> steps;          // the same, as text
  std::optional<std::size_t> cycle_steps;  // a liveness lasso: its last steps form the cycle
};

// What a check found, typed; `report` keeps the command line's JSON report
// for anything else (its fields: README, "The report").
struct CheckResult {
  std::string model;
  int exit_code = 0;      // the command line's: 0 ok, 1 violation or an unreached sometimes,
                          // 3 nondeterminism, 4 stopped early
  bool complete = false;  // the bounded space was covered (or a violation stopped it)
  std::string stop_reason;
  std::uint64_t unique_states = 0, generated_states = 0, max_depth = 0;
  std::vector<PropertyOutcome> properties;
  std::optional<ViolationFound> violation;
  std::vector<std::string> unreached;  // sometimes properties a complete search never reached
  nlohmann::json report;
  std::string trace_path;  // on a violation: the trace file written

  bool ok() const { return exit_code == exit_code::ok; }
  bool violated() const { return violation.has_value(); }
  std::string violated_property() const { return violation ? violation->property : ""; }
  // The named property's outcome, or nullptr if the model has no such property.
  const PropertyOutcome* property(const std::string& name) const {
    for (const auto& p : properties)
      if (p.name == name) return &p;
    return nullptr;
  }

  // The typed fields, from a check's JSON report.
  static CheckResult from_report(std::string model, int exit_code, nlohmann::json report) {
    CheckResult r;
    r.model = std::move(model);
    r.exit_code = exit_code;
    r.complete = report.value("complete", false);
    r.stop_reason = report.value("stop_reason", std::string{});
    r.unique_states = report.value("unique_states", std::uint64_t{0});
    r.generated_states = report.value("generated_states", std::uint64_t{0});
    r.max_depth = report.value("max_depth", std::uint64_t{0});
    for (const auto& p : report.value("properties", nlohmann::json::array()))
      r.properties.push_back({p["name"].get<std::string>(), p["kind"].get<std::string>(),
                              p["outcome"].get<std::string>()});
    if (const auto v = report.value("violation", nlohmann::json()); !v.is_null()) {
      ViolationFound found;
      found.property = v["property"].get<std::string>();
      found.depth = v["depth"].get<std::size_t>();
      for (const auto& label : v.value("path", nlohmann::json::array()))
        found.labels.push_back(label);
      for (const auto& step : v.value("path_text", v.value("path", nlohmann::json::array())))
        found.steps.push_back(step.is_string() ? step.get<std::string>() : step.dump());
      if (v.contains("cycle_steps")) found.cycle_steps = v["cycle_steps"].get<std::size_t>();
      r.violation = std::move(found);
    }
    if (report.contains("properties")) r.unreached = unreached_properties(report);
    r.report = std::move(report);
    return r;
  }

  // What a failing test prints: the outcome, and for a violation the
  // property, the steps that lead to it and where the trace file is.
  std::string summary() const {
    std::string out = fmt::format("verdict check {}: exit {} ({} unique states, max depth {}{})",
                                  model, exit_code, unique_states, max_depth,
                                  stop_reason.empty() ? "" : ", stopped: " + stop_reason);
    if (report.contains("nondeterminism"))
      out += fmt::format("\nnondeterministic handler: {}", report["nondeterminism"].dump());
    if (!unreached.empty())
      out += fmt::format("\nnot reached (sometimes): {}", fmt::join(unreached, ", "));
    if (!violation) return out;
    out += fmt::format("\nviolation of {} at depth {}:", violation->property, violation->depth);
    std::size_t i = 1;
    for (const auto& step : violation->steps) out += fmt::format("\n  {:>3}. {}", i++, step);
    if (!trace_path.empty())
      out += fmt::format(
          "\ntrace written to {}\nreplay it with the program that runs "
          "verdict::run_cli over this model: PROGRAM replay {}",
          trace_path, trace_path);
    return out;
  }
};

// Where check() writes the trace file of a violation.
inline std::filesystem::path trace_path_for(const std::string& model, const TraceFile& trace) {
  const char* dir = std::getenv("VERDICT_TRACE_DIR");
  std::filesystem::path base = dir && *dir ? dir : ".";
  std::uint64_t id = stable_hash(trace_to_json(trace).dump());
  auto name = fmt::format("verdict-trace-{}-{:08x}.json", model, static_cast<std::uint32_t>(id));
  return std::filesystem::absolute(base / name).lexically_normal();
}

inline CheckResult check(const AnyModel& model, const CheckRequest& request) {
  CheckOutcome outcome = model.check(request);
  CheckResult result =
      CheckResult::from_report(request.model, outcome.exit_code, std::move(outcome.report));
  if (outcome.trace) {
    auto path = trace_path_for(request.model, *outcome.trace);
    std::filesystem::create_directories(path.parent_path());
    write_trace_file(path.string(), *outcome.trace);
    result.trace_path = path.string();
  }
  return result;
}

template <Model M>
CheckResult check(M model, const Bounds& bounds = {}, std::string name = "model") {
  CheckRequest request;
  request.model = std::move(name);
  request.search = bounds.search();
  auto erased = make_any_model(std::move(model), static_cast<const ModelConfig&>(request));
  return check(*erased, request);
}

inline CheckResult check(const ModelEntry& entry, const ModelArgs& args = {},
                         const Bounds& bounds = {}) {
  CheckRequest request = args.request(entry);
  request.search = bounds.search();
  return check(*entry.build(request), request);
}

}  // namespace verdict
