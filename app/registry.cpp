#include "app/registry.hpp"

#include "app/any_model.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace verdict {

Params::Params(const ModelInfo& info, const std::map<std::string, std::string>& given)
    : model_(info.name) {
  for (const auto& spec : info.params) values_[spec.name] = spec.default_value;
  if (auto chosen = given.find("preset"); chosen != given.end())
    for (const auto& preset : info.presets)
      if (preset.name == chosen->second)
        for (const auto& [name, value] : preset.values) values_[name] = value;
  for (const auto& [name, value] : given) {
    auto spec = std::find_if(info.params.begin(), info.params.end(),
                             [&](const ParamSpec& s) { return s.name == name; });
    if (spec == info.params.end()) {
      std::vector<std::string> known;
      for (const auto& s : info.params) known.push_back(s.name);
      throw UsageError(
          fmt::format("model {} has no parameter \"{}\"; its parameters: {}", info.name, name,
                      known.empty() ? "(none)" : fmt::format("{}", fmt::join(known, ", "))));
    }
    if (!spec->choices.empty() &&
        std::find(spec->choices.begin(), spec->choices.end(), value) == spec->choices.end())
      throw UsageError(fmt::format("parameter {} of {} cannot be \"{}\"; allowed: {}", name,
                                   info.name, value, fmt::join(spec->choices, ", ")));
    values_[name] = value;
  }
}

const std::string& Params::text(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end())
    throw UsageError(fmt::format("model {} has no parameter \"{}\"", model_, name));
  return it->second;
}

long Params::integer(const std::string& name, long min, long max) const {
  const std::string& value = text(name);
  long parsed = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), parsed);
  if (error != std::errc{} || end != value.data() + value.size() || parsed < min || parsed > max)
    throw UsageError(fmt::format("parameter {} of {} must be an integer from {} to {}, not \"{}\"",
                                 name, model_, min, max, value));
  return parsed;
}

bool Params::flag(const std::string& name) const {
  const std::string& value = text(name);
  if (value == "true" || value == "1" || value == "yes") return true;
  if (value == "false" || value == "0" || value == "no") return false;
  throw UsageError(
      fmt::format("parameter {} of {} must be true or false, not \"{}\"", name, model_, value));
}

Semantics FaultOptions::apply_to(Semantics base) const {
  for (StepKind fault : faults) {
    auto budget = budgets.find(fault);
    std::uint16_t limit = budget != budgets.end()     ? budget->second
                          : fault == StepKind::reboot ? kUnlimitedReboots
                                                      : kDefaultFaultBudget;
    base.add_fault(fault, limit);
  }
  // A budget alone changes the budget of a fault the model already has (its
  // own parameters may give it one); it never turns a fault on.
  for (const auto& [fault, limit] : budgets) {
    if (std::find(faults.begin(), faults.end(), fault) != faults.end()) continue;
    if (!base.allows(fault))
      throw UsageError(fmt::format(
          "--budget {}={}: the model has no {} fault; list it with --faults {} to add one",
          to_string(fault), limit, to_string(fault), to_string(fault)));
    base.add_fault(fault, limit);
  }
  base.ordered = base.ordered || ordered;
  return base;
}

nlohmann::json FaultOptions::faults_json() const {
  return fault_names();
}

nlohmann::json FaultOptions::budgets_json(const Semantics& applied) const {
  nlohmann::json out = nlohmann::json::object();
  for (StepKind f : kFaults)
    if (applied.allows(f) && applied.budget[f] != kUnlimitedReboots)
      out[std::string(to_string(f))] = applied.budget[f];
  return out;
}

namespace {

std::string known_fault_names() {
  std::vector<std::string> names;
  for (StepKind f : kFaults) names.emplace_back(to_string(f));
  return fmt::format("{}", fmt::join(names, ", "));
}

StepKind parse_fault(const std::string& name) {
  auto kind = step_kind_from_string(name);
  bool is_fault = false;
  for (StepKind f : kFaults) is_fault = is_fault || (kind && *kind == f);
  if (!is_fault)
    throw UsageError(fmt::format("unknown fault \"{}\"; faults: {}", name, known_fault_names()));
  return *kind;
}

}  // namespace

FaultOptions FaultOptions::from_names(const std::vector<std::string>& faults,
                                      const std::map<std::string, unsigned>& budgets,
                                      bool ordered) {
  FaultOptions out;
  out.ordered = ordered;
  auto listed = [&](StepKind f) {
    return std::find(out.faults.begin(), out.faults.end(), f) != out.faults.end();
  };
  for (const auto& name : faults) {
    StepKind f = parse_fault(name);
    if (!listed(f)) out.faults.push_back(f);
  }
  for (const auto& [name, limit] : budgets) {
    StepKind f = parse_fault(name);
    if (limit > 1000)
      throw UsageError(fmt::format("budget {}={}: the count must be from 0 to 1000", name, limit));
    out.budgets[f] = static_cast<std::uint16_t>(limit);  // apply_to says what it may change
  }
  return out;
}

std::vector<std::string> FaultOptions::fault_names() const {
  std::vector<std::string> names;
  for (StepKind f : faults) names.emplace_back(to_string(f));
  return names;
}

std::map<std::string, unsigned> FaultOptions::budget_map() const {
  std::map<std::string, unsigned> out;
  for (const auto& [f, limit] : budgets) out[std::string(to_string(f))] = limit;
  return out;
}

std::unique_ptr<AnyModel> build_model(const ModelConfig& config) {
  return build_model(builtin_models(), config);
}

std::unique_ptr<AnyModel> build_model(const ModelRegistry& registry, const ModelConfig& config) {
  const ModelEntry& entry = registry.get(config.model);
  if (!entry.info.is_system &&
      (!config.faults.faults.empty() || config.faults.ordered || !config.transforms.empty()))
    throw UsageError(fmt::format(
        "model {} is a plain state machine: --faults, --budget, --ordered and --transform "
        "apply to systems only",
        config.model));
  return entry.build(config);
}

ModelConfig config_from_trace(const TraceFile& trace) {
  return config_from_trace(builtin_models(), trace);
}

ModelConfig config_from_trace(const ModelRegistry& registry, const TraceFile& trace) {
  const ModelEntry& entry = registry.get(trace.model);
  ModelConfig config;
  config.model = trace.model;
  config.params = Params(entry.info, trace.params);
  config.transforms = trace.transforms;
  config.faults = FaultOptions::from_names(trace.faults, trace.budgets, trace.ordered);
  return config;
}

void record_config(const ModelConfig& config, TraceFile& trace) {
  trace.verdict_version = VERDICT_VERSION;
  trace.model = config.model;
  trace.params = config.params.values();
  trace.transforms = config.transforms;
  trace.faults = config.faults.fault_names();
  trace.budgets = config.faults.budget_map();
  trace.ordered = config.faults.ordered;
}

void ModelRegistry::add_transformed(const std::string& model, const std::string& transform,
                                    const std::string& into) {
  transformed_[{model, transform}] = into;
}

const std::string* ModelRegistry::transformed(const std::string& model,
                                              const std::string& transform) const {
  auto it = transformed_.find({model, transform});
  return it == transformed_.end() ? nullptr : &it->second;
}

std::vector<std::pair<std::string, std::string>> ModelRegistry::transforms_of(
    const std::string& model) const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [key, into] : transformed_)
    if (key.first == model) out.emplace_back(key.second, into);
  return out;
}

void ModelRegistry::add(ModelEntry entry) {
  entries_.push_back(std::move(entry));
}

const ModelEntry* ModelRegistry::find(const std::string& name) const {
  for (const auto& e : entries_)
    if (e.info.name == name) return &e;
  return nullptr;
}

const ModelEntry& ModelRegistry::get(const std::string& name) const {
  if (const ModelEntry* e = find(name)) return *e;
  throw UsageError(
      fmt::format("unknown model \"{}\"; known models: {}", name, fmt::join(names(), ", ")));
}

std::vector<std::string> ModelRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.info.name);
  return out;
}

}  // namespace verdict
