#include "cli/options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace verdict::cli {

namespace {

std::pair<std::string, std::string> split_key_value(const std::string& item, const char* what) {
  auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0)
    throw UsageError(fmt::format("{} \"{}\" must have the form name=value", what, item));
  return {item.substr(0, eq), item.substr(eq + 1)};
}

}  // namespace

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

CLI::Validator positive_seconds() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        const char* end = text.data() + text.size();
        auto [stop, error] = std::from_chars(text.data(), end, value);
        if (error != std::errc{} || stop != end || !std::isfinite(value) || value <= 0)
          return fmt::format("must be a positive number of seconds, not \"{}\"", text);
        return {};
      },
      "SECONDS>0");
}

CLI::Validator whole_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const bool digits =
            !text.empty() && text.size() <= 19 &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits) return fmt::format("must be a whole number below 10^19, not \"{}\"", text);
        return {};
      },
      "N>=0");
}

void ModelOptions::add_to(CLI::App& cmd) {
  cmd.add_option("MODEL", model, "Model to check (see `verdict models`)")->required();
  cmd.add_option("--param,-p", params, "Model parameter name=value (repeatable)");
  cmd.add_option("--transform", transforms,
                 "Transformers to wrap the system in, innermost first: T[,T...]");
  cmd.add_option("--faults", faults,
                 "Faults the network may inject: drop, duplicate, crash, reboot, partition");
  cmd.add_option("--budget", budgets,
                 fmt::format("Fault budgets over the whole run, e.g. drop=2,duplicate=1 "
                             "(a listed fault without one gets {}; reboots are bounded by crashes)",
                             kDefaultFaultBudget));
  cmd.add_flag("--ordered", ordered, "Per-link FIFO delivery instead of an unordered bag");
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
  std::map<std::string, std::string> given;
  for (const auto& item : params) {
    auto [k, v] = split_key_value(item, "parameter");
    given[k] = v;
  }
  req.params = Params(entry.info, given);
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

}  // namespace verdict::cli
