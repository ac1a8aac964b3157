// The JSON reports of `check` and `simulate` (README, "The report"), written
// from what a search or the walks found. Everything here but path_report is
// compiled once, not once per model type: a model's type only decides how
// its paths are written, and check_runner.hpp / erased_model.hpp turn those
// into PathReports first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/registry.hpp"
#include "checkers/random_walks.hpp"
#include "checkers/search_types.hpp"

namespace verdict {

inline constexpr int kReportFormatVersion = 1;

// A path as reports write it: the step labels, and a line of text per step
// where the model can say one (null otherwise).
struct PathReport {
  std::size_t init_index = 0;
  nlohmann::json labels = nlohmann::json::array();
  nlohmann::json text;
};

template <Model M>
PathReport path_report(const M& model, const Path<M>& path) {
  PathReport out{path.init_index, nlohmann::json::array(), nullptr};
  for (const auto& a : path.actions) out.labels.push_back(model.action_json(a));
  if constexpr (requires(const typename M::Action& a) { model.action_text(a); }) {
    out.text = nlohmann::json::array();
    for (const auto& a : path.actions) out.text.push_back(model.action_text(a));
  }
  return out;
}

// A property's result with its path written out (a counterexample, or the
// example a `sometimes` property found).
struct PropertyReport {
  std::string name;
  Expectation expectation = Expectation::always;
  Outcome outcome = Outcome::holds;
  std::optional<PathReport> example;
  std::optional<std::size_t> cycle;  // a lasso's cycle, in steps
};

// A walk a simulate report names: the first violating one, or the first one
// the liveness heuristic suspects.
struct WalkReport {
  std::size_t property = 0;  // index into WalkStats::property_names
  std::uint64_t walk = 0;
  PathReport path;
  std::map<std::string, double> mix;
  std::uint64_t quiet_steps = 0;  // suspects only
  bool stopped = false;           // suspects only
};

// The report fields that say which model ran, configured how; `semantics` is
// null for a plain state-machine model.
nlohmann::json config_report(const ModelConfig& config, const Semantics* semantics);

nlohmann::json search_report(const CheckRequest& request, const SearchStats& stats,
                             const std::vector<PropertyReport>& properties,
                             std::optional<std::size_t> violation, const Semantics* semantics);

// `kinds`: the model's action kinds, whose weights the report lists.
nlohmann::json walk_report(const SimulateRequest& request, const WalkStats& stats,
                           const std::vector<std::string>& kinds,
                           const std::optional<WalkReport>& violation,
                           const std::optional<WalkReport>& suspect, const Semantics* semantics);

}  // namespace verdict
