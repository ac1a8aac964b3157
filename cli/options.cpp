#include "cli/options.hpp"

#include <charconv>

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

std::string fault_names() {
  std::vector<std::string> names;
  for (StepKind f : kFaults) names.emplace_back(to_string(f));
  return fmt::format("{}", fmt::join(names, ", "));
}

StepKind parse_fault(const std::string& name) {
  auto kind = step_kind_from_string(name);
  bool is_fault = false;
  for (StepKind f : kFaults) is_fault = is_fault || (kind && *kind == f);
  if (!is_fault)
    throw UsageError(fmt::format("unknown fault \"{}\"; faults: {}", name, fault_names()));
  return *kind;
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

void ModelOptions::add_to(CLI::App& cmd) {
  cmd.add_option("MODEL", model, "Model to check (see `verdict models`)")->required();
  cmd.add_option("--param,-p", params, "Model parameter name=value (repeatable)");
  cmd.add_option("--transform", transforms,
                 "Transformers to wrap the system in, innermost first: T[,T...]");
  cmd.add_option("--faults", faults, "Faults the network may inject: " + fault_names());
  cmd.add_option("--budget", budgets,
                 fmt::format("Fault budgets over the whole run, e.g. drop=2,duplicate=1 "
                             "(a listed fault without one gets {}; reboots are bounded by crashes)",
                             kDefaultFaultBudget));
  cmd.add_flag("--ordered", ordered, "Per-link FIFO delivery instead of an unordered bag");
}

CheckRequest ModelOptions::to_request() const {
  const ModelEntry& entry = builtin_models().get(model);
  std::map<std::string, std::string> given;
  for (const auto& item : params) {
    auto [k, v] = split_key_value(item, "parameter");
    given[k] = v;
  }
  CheckRequest req;
  req.model = model;
  req.params = Params(entry.info, given);
  req.transforms = split_commas(transforms);
  req.faults.ordered = ordered;
  for (const auto& name : split_commas(faults)) req.faults.faults.push_back(parse_fault(name));
  for (const auto& item : split_commas(budgets)) {
    auto [k, v] = split_key_value(item, "budget");
    StepKind fault = parse_fault(k);
    unsigned limit = 0;
    auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), limit);
    if (error != std::errc{} || end != v.data() + v.size() || limit > 1000)
      throw UsageError(fmt::format("budget {}={}: the count must be an integer from 0 to 1000", k, v));
    req.faults.budgets[fault] = static_cast<std::uint16_t>(limit);
    bool listed = false;
    for (StepKind f : req.faults.faults) listed = listed || f == fault;
    if (!listed) req.faults.faults.push_back(fault);  // a budget implies the fault
  }
  if (!entry.info.is_system && (!req.faults.faults.empty() || ordered || !req.transforms.empty()))
    throw UsageError(fmt::format(
        "model {} is a plain state machine: --faults, --budget, --ordered and --transform "
        "apply to systems only",
        model));
  return req;
}

}  // namespace verdict::cli
