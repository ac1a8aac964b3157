#include "app/model_options.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

namespace verdict {

namespace {

std::pair<std::string, std::string> split_key_value(const std::string& item, const char* what) {
  auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError(fmt::format("{} \"{}\" must have the form name=value", what, item));
  return {item.substr(0, eq), item.substr(eq + 1)};
}

// The model at its defaults, perhaps with a seeded bug: what the check suite
// and the walk preset stand for. Any other parameter asks for one configuration.
bool at_defaults(const std::map<std::string, std::string>& given) {
  return std::all_of(given.begin(), given.end(), [](const auto& kv) { return kv.first == "bug"; });
}

}  // namespace

std::map<std::string, std::string> ModelOptions::given_params() const {
  std::map<std::string, std::string> given;
  for (const auto& item : params) {
    auto [k, v] = split_key_value(item, "parameter");
    given[k] = v;
  }
  return given;
}

std::vector<std::string> split_commas(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      auto comma = item.find(',', start);
      if (comma == std::string::npos) comma = item.size();
      if (comma > start) out.push_back(item.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

CheckRequest ModelOptions::to_request(const ModelRegistry& models) const {
  CheckRequest req;
  req.model = model;
  req.transforms = split_commas(transforms);
  // `kv --transform raft,...` is raft-kv with the transformers after raft.
  models.get(req.model);  // an unknown model: say so first
  while (!req.transforms.empty()) {
    const std::string* into = models.transformed(req.model, req.transforms.front());
    if (into == nullptr) break;
    req.model = *into;
    req.transforms.erase(req.transforms.begin());
  }
  const ModelEntry& entry = models.get(req.model);
  req.params = Params(entry.info, given_params());
  std::map<std::string, unsigned> budget_counts;
  for (const auto& item : split_commas(budgets)) {
    auto [k, v] = split_key_value(item, "budget");
    unsigned limit = 0;
    auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), limit);
    if (error != std::errc{} || end != v.data() + v.size())
      throw UsageError(
          fmt::format("budget {}={}: the count must be an integer from 0 to 1000", k, v));
    budget_counts[k] = limit;
  }
  req.faults = FaultOptions::from_names(split_commas(faults), budget_counts, ordered);
  return req;
}

std::vector<SuiteRun> ModelOptions::check_requests(const ModelRegistry& models, bool single) const {
  CheckRequest base = to_request(models);  // checks everything the user gave
  const ModelInfo& info = models.get(base.model).info;
  std::map<std::string, std::string> given = given_params();
  if (single || info.check_suite.empty() || !at_defaults(given) || !base.transforms.empty())
    return {SuiteRun{"", std::move(base), std::nullopt}};
  std::vector<SuiteRun> runs;
  for (const auto& configuration : info.check_suite) {
    std::map<std::string, std::string> values = configuration.values;
    for (const auto& [k, v] : given) values[k] = v;
    CheckRequest req = base;
    req.params = Params(info, values);
    runs.push_back(SuiteRun{configuration.name, std::move(req), configuration.max_depth});
  }
  return runs;
}

CheckRequest ModelOptions::walk_request(const ModelRegistry& models) const {
  CheckRequest req = to_request(models);
  const ModelInfo& info = models.get(req.model).info;
  std::map<std::string, std::string> given = given_params();
  if (info.walk_preset.empty() || !at_defaults(given) || !req.transforms.empty()) return req;
  given["preset"] = info.walk_preset;
  req.params = Params(info, given);
  return req;
}

}  // namespace verdict
