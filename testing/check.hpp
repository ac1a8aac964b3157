// verdict::check(): a bounded check from a user's own test or program, with
// the command line's outcome (exit code, JSON report) and, on a violation,
// the trace file written for replay. Three forms:
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
#include <string>
#include <utility>

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

struct CheckResult {
  std::string model;
  int exit_code = 0;  // the command line's: 0 ok, 1 violation, 3 nondeterminism, 4 stopped early
  nlohmann::json report;   // the JSON report, as `verdict check --report` writes it
  std::string trace_path;  // on a violation: the trace file written

  bool ok() const { return exit_code == exit_code::ok; }
  bool violated() const { return exit_code == exit_code::violation; }
  std::string violated_property() const {
    return violated() ? report["violation"]["property"].get<std::string>() : "";
  }

  // What a failing test prints: the outcome, and for a violation the
  // property, the steps that lead to it and where the trace file is.
  std::string summary() const {
    std::string out = fmt::format("verdict check {}: exit {} ({} unique states, max depth {}{})",
                                  model, exit_code, report.value("unique_states", std::uint64_t{0}),
                                  report.value("max_depth", std::uint64_t{0}),
                                  report.value("stop_reason", std::string{}).empty()
                                      ? ""
                                      : ", stopped: " + report["stop_reason"].get<std::string>());
    if (report.contains("nondeterminism"))
      out += fmt::format("\nnondeterministic handler: {}", report["nondeterminism"].dump());
    const auto& v = report.value("violation", nlohmann::json());
    if (v.is_null()) return out;
    out += fmt::format("\nviolation of {} at depth {}:", v["property"].get<std::string>(),
                       v["depth"].get<std::uint64_t>());
    const auto& steps = v.contains("path_text") ? v["path_text"] : v["path"];
    std::size_t i = 1;
    for (const auto& step : steps)
      out += fmt::format("\n  {:>3}. {}", i++,
                         step.is_string() ? step.get<std::string>() : step.dump());
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
  CheckResult result{request.model, outcome.exit_code, std::move(outcome.report), ""};
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
