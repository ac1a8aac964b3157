// The glue between a search and the command line: turns a SearchResult into
// the versioned JSON report (README, "The report") and an exit code:
// 0 no violation and the bounded space covered, 1 violation, 4 no violation
// but a limit or an interrupt stopped the search early.
#pragma once

#include <string>

#include "app/check_verdict.hpp"
#include "app/exit_codes.hpp"
#include "app/registry.hpp"
#include "checkers/explore.hpp"

namespace verdict {

inline constexpr int kReportFormatVersion = 1;

template <Model M>
nlohmann::json path_json(const M& model, const Path<M>& path) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& a : path.actions) steps.push_back(model.action_json(a));
  return steps;
}

// The report fields every search shares; `semantics` is null for a plain
// state-machine model.
// A violation's path: its labels, and a line of text per step where the
// model can say one.
template <Model M>
void add_path(nlohmann::json& violation, const M& model, const Path<M>& path) {
  violation["path"] = path_json(model, path);
  if constexpr (requires(const typename M::Action& a) { model.action_text(a); }) {
    nlohmann::json text = nlohmann::json::array();
    for (const auto& a : path.actions) text.push_back(model.action_text(a));
    violation["path_text"] = text;
  }
}

// The report fields that say which model ran, configured how.
inline nlohmann::json config_report(const ModelConfig& config, const Semantics* semantics) {
  nlohmann::json report;
  report["report_version"] = kReportFormatVersion;
  report["verdict_version"] = VERDICT_VERSION;
  report["model"] = config.model;
  report["params"] = config.params.values();
  report["transforms"] = config.transforms;
  report["faults"] = config.faults.faults_json();
  report["budgets"] = semantics ? config.faults.budgets_json(*semantics) : nlohmann::json::object();
  // The network as searched: a model may ask for per-link FIFO itself.
  report["ordered"] = semantics ? semantics->ordered : config.faults.ordered;
  if (semantics && semantics->merge_identical_packets) report["merge_identical_packets"] = true;
  return report;
}

template <Model M>
nlohmann::json search_report(const M& model, const CheckRequest& req, const SearchResult<M>& r,
                             const Semantics* semantics) {
  nlohmann::json report = config_report(req, semantics);
  report["command"] = "check";
  report["strategy"] = to_string(req.search.strategy);
  report["threads"] = req.search.threads;
  report["symmetry"] = req.search.symmetry;
  report["unique_states"] = r.unique_states;
  report["generated_states"] = r.generated_states;
  report["max_depth"] = r.max_depth;
  report["seconds"] = r.seconds;
  report["complete"] = r.complete;
  report["stop_reason"] = r.stop_reason;
  nlohmann::json limits = nlohmann::json::object();
  if (req.search.max_depth) limits["max_depth"] = *req.search.max_depth;
  if (req.search.max_states) limits["max_states"] = *req.search.max_states;
  if (req.search.time_limit_seconds) limits["time_limit"] = *req.search.time_limit_seconds;
  if (req.search.memory_limit_mb) limits["memory_limit_mb"] = *req.search.memory_limit_mb;
  report["limits"] = limits;

  nlohmann::json properties = nlohmann::json::array();
  bool has_liveness = false;
  for (const auto& p : r.properties) {
    nlohmann::json entry{
        {"name", p.name}, {"kind", to_string(p.expectation)}, {"outcome", to_string(p.outcome)}};
    if (p.example && p.expectation == Expectation::sometimes)
      entry["example"] = path_json(model, *p.example);
    if (p.expectation == Expectation::leads_to || p.expectation == Expectation::eventually)
      has_liveness = true;
    properties.push_back(entry);
  }
  report["properties"] = properties;
  // The state graph the liveness properties were judged on (docs/explorer.md).
  if (has_liveness)
    report["liveness"] = {{"graph_edges", r.graph_edges},
                          {"graph_bytes", r.graph_bytes},
                          {"seconds", r.liveness_seconds},
                          {"unchecked_because", r.liveness_note}};
  report["violation"] = nullptr;
  if (r.violation) {
    const auto& p = r.properties[*r.violation];
    report["violation"] = {{"property", p.name},
                           {"depth", p.example->actions.size() + 1},
                           {"init_index", p.example->init_index}};
    // A liveness counterexample is a lasso: its last `cycle_steps` steps lead
    // back to the state the stem ends in (0: the behaviour stops there).
    if (p.cycle) report["violation"]["cycle_steps"] = *p.cycle;
    add_path(report["violation"], model, *p.example);
  }
  if (!r.nondeterminism.empty()) report["nondeterminism"] = r.nondeterminism;
  return report;
}

}  // namespace verdict
