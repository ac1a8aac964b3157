#include "models/registry.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace verdict {

Params::Params(const ModelInfo& info, const std::map<std::string, std::string>& given)
    : model_(info.name) {
  for (const auto& spec : info.params) values_[spec.name] = spec.default_value;
  for (const auto& [name, value] : given) {
    auto spec = std::find_if(info.params.begin(), info.params.end(),
                             [&](const ParamSpec& s) { return s.name == name; });
    if (spec == info.params.end()) {
      std::vector<std::string> known;
      for (const auto& s : info.params) known.push_back(s.name);
      throw UsageError(fmt::format("model {} has no parameter \"{}\"; its parameters: {}",
                                   info.name, name,
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
    std::uint16_t limit = budget != budgets.end() ? budget->second
                          : fault == StepKind::reboot ? kUnlimitedReboots
                                                      : kDefaultFaultBudget;
    base.add_fault(fault, limit);
  }
  base.ordered = base.ordered || ordered;
  return base;
}

nlohmann::json FaultOptions::faults_json() const {
  nlohmann::json names = nlohmann::json::array();
  for (StepKind f : faults) names.push_back(std::string(to_string(f)));
  return names;
}

nlohmann::json FaultOptions::budgets_json(const Semantics& applied) const {
  nlohmann::json out = nlohmann::json::object();
  for (StepKind f : kFaults)
    if (applied.allows(f) && applied.budget[f] != kUnlimitedReboots)
      out[std::string(to_string(f))] = applied.budget[f];
  return out;
}

void ModelRegistry::add(ModelEntry entry) { entries_.push_back(std::move(entry)); }

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
