#include "app/reports.hpp"

#include <algorithm>

namespace verdict {

namespace {

// A path's steps into `into`: "path", and "path_text" where the model has text.
void add_path(nlohmann::json& into, const PathReport& path) {
  into["path"] = path.labels;
  if (!path.text.is_null()) into["path_text"] = path.text;
}

std::size_t depth_of(const PathReport& path) {
  return path.labels.size() + 1;  // in states: the initial state has depth 1
}

nlohmann::json walk_json(const WalkStats& stats, const WalkReport& w) {
  nlohmann::json j = {{"property", stats.property_names[w.property]},
                      {"walk", w.walk},
                      {"depth", depth_of(w.path)},
                      {"init_index", w.path.init_index},
                      {"mix", w.mix}};
  add_path(j, w.path);
  return j;
}

}  // namespace

nlohmann::json config_report(const ModelConfig& config, const Semantics* semantics) {
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

nlohmann::json search_report(const CheckRequest& req, const SearchStats& r,
                             const std::vector<PropertyReport>& properties,
                             std::optional<std::size_t> violation, const Semantics* semantics) {
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

  nlohmann::json listed = nlohmann::json::array();
  bool has_liveness = false;
  for (const PropertyReport& p : properties) {
    nlohmann::json entry{
        {"name", p.name}, {"kind", to_string(p.expectation)}, {"outcome", to_string(p.outcome)}};
    if (p.example && p.expectation == Expectation::sometimes) entry["example"] = p.example->labels;
    if (is_liveness(p.expectation)) has_liveness = true;
    listed.push_back(entry);
  }
  report["properties"] = listed;
  // The state graph the liveness properties were judged on (docs/explorer.md).
  if (has_liveness)
    report["liveness"] = {{"graph_edges", r.graph_edges},
                          {"graph_bytes", r.graph_bytes},
                          {"seconds", r.liveness_seconds},
                          {"unchecked_because", r.liveness_note}};
  report["violation"] = nullptr;
  if (violation) {
    const PropertyReport& p = properties.at(*violation);
    report["violation"] = {{"property", p.name},
                           {"depth", depth_of(*p.example)},
                           {"init_index", p.example->init_index}};
    // A liveness counterexample is a lasso: its last `cycle_steps` steps lead
    // back to the state the stem ends in (0: the behaviour stops there).
    if (p.cycle) report["violation"]["cycle_steps"] = *p.cycle;
    add_path(report["violation"], *p.example);
  }
  if (!r.nondeterminism.empty()) report["nondeterminism"] = r.nondeterminism;
  return report;
}

nlohmann::json walk_report(const SimulateRequest& request, const WalkStats& r,
                           const std::vector<std::string>& kinds,
                           const std::optional<WalkReport>& violation,
                           const std::optional<WalkReport>& suspect, const Semantics* semantics) {
  nlohmann::json report = config_report(request, semantics);
  const WalkOptions& o = request.walk;
  report["command"] = "simulate";
  report["strategy"] = o.swarm ? "swarm" : "random";
  report["threads"] = o.threads;
  report["seed"] = o.seed;
  report["walk_range"] = {o.first_walk, o.first_walk + o.walks};
  report["depth"] = o.depth;
  nlohmann::json weights = nlohmann::json::object();
  for (const auto& k : kinds) weights[k] = o.weights.count(k) ? o.weights.at(k) : 1.0;
  report["weights"] = weights;
  report["walks"] = r.walks;
  report["steps"] = r.steps;
  report["unique_states"] = static_cast<std::uint64_t>(r.distinct_states + 0.5);
  report["unique_states_estimated"] = true;
  report["generated_states"] = r.steps + r.walks;
  report["max_depth"] = o.depth + 1;
  report["histories_checked"] = r.histories_checked;
  report["depth_histogram"] = r.depth_histogram;
  report["seconds"] = r.seconds;
  const double seconds = std::max(r.seconds, 1e-9);
  report["walks_per_second"] = static_cast<double>(r.walks) / seconds;
  report["steps_per_second"] = static_cast<double>(r.steps) / seconds;
  report["histories_per_second"] = static_cast<double>(r.histories_checked) / seconds;
  report["complete"] = r.complete;
  report["stop_reason"] = r.stop_reason;
  nlohmann::json properties = nlohmann::json::array();
  nlohmann::json at_end = nlohmann::json::array();
  for (std::size_t i = 0; i < r.property_names.size(); ++i) {
    const bool violated = violation && violation->property == i;
    const bool sometimes = r.property_kinds[i] == Expectation::sometimes;
    const bool reached = (r.sometimes_reached >> i) & 1U;
    // Random walks are finite: they judge no liveness property, only
    // suspect one (WalkSuspect).
    const bool suspected = (r.suspected_properties >> i) & 1U;
    const char* outcome = is_liveness(r.property_kinds[i]) ? (suspected ? "suspected" : "unchecked")
                          : sometimes                      ? (reached ? "reached" : "not reached")
                                                           : (violated ? "violated" : "holds");
    properties.push_back({{"name", r.property_names[i]},
                          {"kind", to_string(r.property_kinds[i])},
                          {"outcome", outcome}});
    if (r.property_at_end[i]) at_end.push_back(r.property_names[i]);
  }
  report["properties"] = properties;
  // Properties checked once per walk, at its end (the "histories" counted
  // by histories_checked); the others are checked after every step.
  report["checked_at_walk_end"] = at_end;
  report["violation"] = violation ? walk_json(r, *violation) : nlohmann::json(nullptr);
  report["suspected_walks"] = r.suspected_walks;
  report["suspected"] = nullptr;
  if (suspect) {
    report["suspected"] = walk_json(r, *suspect);
    report["suspected"]["quiet_steps"] = suspect->quiet_steps;
    report["suspected"]["stopped"] = suspect->stopped;
  }
  return report;
}

}  // namespace verdict
