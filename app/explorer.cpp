#include "app/explorer.hpp"

#include <algorithm>
#include <variant>

#include <fmt/format.h>

namespace verdict {

namespace {

ApiReply error(int status, std::string message) {
  return {status, {{"error", std::move(message)}}};
}

// The unsigned integer `field` of a JSON object body, or a 400 reply.
std::variant<std::size_t, ApiReply> index_field(const std::string& body, const char* field) {
  const auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return error(400, "the request body is not JSON");
  if (!j.is_object() || !j.contains(field))
    return error(400, fmt::format("expected a JSON object with \"{}\", not {}", field,
                                  j.dump().substr(0, 200)));
  const auto& v = j.at(field);
  if (!v.is_number_unsigned())
    return error(
        400, fmt::format("\"{}\" must be a whole number, not {}", field, v.dump().substr(0, 200)));
  return static_cast<std::size_t>(v.get<std::uint64_t>());
}

}  // namespace

ExploreSession::ExploreSession(std::unique_ptr<AnyModel> model, ModelConfig config,
                               std::size_t init_index)
    : model_(std::move(model)), config_(std::move(config)), init_index_(init_index) {
  path_.push_back({model_->initial(init_index_), {}});
}

void ExploreSession::push(TakenStep taken) {
  path_.resize(position_ + 1);
  path_.push_back({std::move(taken.state), std::move(taken.record)});
  ++position_;
}

std::string ExploreSession::open_trace(const TraceFile& trace) {
  path_.resize(1);
  position_ = 0;
  std::vector<std::string> problems;
  const std::string initial = model_->view(*path_[0].state).fingerprint;
  if (initial != trace.initial_fingerprint)
    problems.push_back(fmt::format("the initial world has fingerprint {}, recorded {}", initial,
                                   trace.initial_fingerprint));
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const TraceStep& recorded = trace.steps[i];
    std::optional<TakenStep> taken;
    try {
      taken = model_->take(*path_.back().state, recorded.label);
    } catch (const std::exception& e) {
      problems.push_back(fmt::format("step {}: {}; the path ends before it", i + 1, e.what()));
      break;
    }
    if (!taken) {
      problems.push_back(
          fmt::format("step {} ({}) is not enabled; the path ends before it", i + 1,
                      recorded.text.empty() ? recorded.label.dump() : recorded.text));
      break;
    }
    if (taken->record.fingerprint != recorded.fingerprint)
      problems.push_back(fmt::format("after step {} the world's fingerprint is {}, recorded {}",
                                     i + 1, taken->record.fingerprint, recorded.fingerprint));
    path_.push_back({std::move(taken->state), std::move(taken->record)});
  }
  position_ = 0;
  notice_.clear();
  for (const auto& p : problems) notice_ += (notice_.empty() ? "" : "; ") + p;
  return notice_;
}

nlohmann::json ExploreSession::view() const {
  const StateView now = model_->view(*path_[position_].state);
  nlohmann::json path = nlohmann::json::array();
  for (std::size_t i = 1; i < path_.size(); ++i)
    path.push_back({{"step", i},
                    {"text", path_[i].step.text},
                    {"label", path_[i].step.label},
                    {"violated", path_[i].step.violated},
                    {"ahead", i > position_}});
  nlohmann::json invariants = nlohmann::json::array();
  for (const auto& name : model_->invariant_names())
    invariants.push_back({{"name", name},
                          {"holds", std::find(now.violated.begin(), now.violated.end(), name) ==
                                        now.violated.end()}});
  nlohmann::json enabled = nlohmann::json::array();
  const auto steps = model_->enabled(*path_[position_].state);
  for (std::size_t i = 0; i < steps.size(); ++i)
    enabled.push_back({{"index", i}, {"text", steps[i].text}, {"label", steps[i].label}});
  return {{"model", config_.model},
          {"params", config_.params.values()},
          {"transforms", config_.transforms},
          {"faults", config_.faults.fault_names()},
          {"position", position_},
          {"length", path_.size() - 1},
          {"path", path},
          {"state", now.state},
          {"previous", position_ == 0 ? nlohmann::json(nullptr)
                                      : model_->view(*path_[position_ - 1].state).state},
          {"step", position_ == 0 ? nlohmann::json(nullptr)
                                  : nlohmann::json{{"text", path_[position_].step.text},
                                                   {"label", path_[position_].step.label},
                                                   {"touched", path_[position_].step.touched}}},
          {"fingerprint", now.fingerprint},
          {"violated", now.violated},
          {"invariants", invariants},
          {"enabled", enabled},
          {"notice", notice_}};
}

bool ExploreSession::step(std::size_t index) {
  auto taken = model_->take(*path_[position_].state, index);
  if (!taken) return false;
  // The same step as the path ahead: walk it rather than drop what follows.
  if (position_ + 1 < path_.size() && path_[position_ + 1].step.label == taken->record.label &&
      path_[position_ + 1].step.fingerprint == taken->record.fingerprint) {
    ++position_;
    return true;
  }
  push(std::move(*taken));
  return true;
}

bool ExploreSession::back() {
  return go_to(position_ == 0 ? path_.size() : position_ - 1);
}

bool ExploreSession::forward() {
  return go_to(position_ + 1);
}

bool ExploreSession::go_to(std::size_t position) {
  if (position >= path_.size()) return false;
  position_ = position;
  return true;
}

TraceFile ExploreSession::trace() const {
  TraceFile t;
  record_config(config_, t);
  t.origin = {{"command", "explore"}};
  if (!program_.empty()) t.origin["program"] = program_;
  t.init_index = init_index_;
  const StateView initial = model_->view(*path_[0].state);
  t.initial_fingerprint = initial.fingerprint;
  if (!initial.violated.empty()) {
    t.property = initial.violated.front();
    t.violation_step = 0;
  }
  for (std::size_t i = 1; i <= position_; ++i) {
    const StepRecord& s = path_[i].step;
    t.steps.push_back({s.label, s.fingerprint, s.text, s.touched});
    if (!t.violation_step && !s.violated.empty()) {
      t.property = s.violated.front();
      t.violation_step = i;
    }
  }
  return t;
}

ApiReply ExploreSession::handle(const std::string& method, const std::string& endpoint,
                                const std::string& body) {
  const bool reads = endpoint == "view" || endpoint == "trace";
  const bool writes =
      endpoint == "step" || endpoint == "back" || endpoint == "forward" || endpoint == "goto";
  if (!reads && !writes)
    return error(404, fmt::format("no API call \"{}\" (calls: view, trace, step, back, forward, "
                                  "goto)",
                                  endpoint.substr(0, 100)));
  if (method != (reads ? "GET" : "POST"))
    return error(405, fmt::format("{} takes {}", endpoint, reads ? "GET" : "POST"));
  try {
    if (endpoint == "view") return {200, view()};
    if (endpoint == "trace") return {200, trace_to_json(trace())};
    if (endpoint == "back" && !back()) return error(409, "already at the initial state");
    if (endpoint == "forward" && !forward()) return error(409, "no step ahead on the path");
    if (endpoint == "step" || endpoint == "goto") {
      auto index = index_field(body, endpoint == "step" ? "index" : "position");
      if (auto* reply = std::get_if<ApiReply>(&index)) return *reply;
      const std::size_t i = std::get<std::size_t>(index);
      if (endpoint == "step" && !step(i))
        return error(409, fmt::format("no enabled step {} in this state", i));
      if (endpoint == "goto" && !go_to(i))
        return error(
            409, fmt::format("no position {} on the path (it has {} steps)", i, path_.size() - 1));
    }
    return {200, view()};
  } catch (const std::exception& e) {
    return error(500, e.what());
  }
}

}  // namespace verdict
