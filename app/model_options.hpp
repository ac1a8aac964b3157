// A model as the command line names it — model, parameters, transformers,
// faults and budgets, all as text — and its checked conversion into a
// CheckRequest. Shared by the `check` and `simulate` commands and by
// verdict::check() in a user's test (testing/check.hpp), which configure a
// model the same way.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/registry.hpp"

namespace verdict {

// One configuration of a check suite, ready to run.
struct SuiteRun {
  std::string configuration;  // its name; "" outside a suite
  CheckRequest request;
  std::optional<std::uint64_t> max_depth;  // the configuration's own depth bound
};

struct ModelOptions {
  std::string model;
  std::vector<std::string> params;      // k=v
  std::vector<std::string> transforms;  // possibly comma-separated
  std::vector<std::string> faults;      // possibly comma-separated
  std::vector<std::string> budgets;     // k=v, possibly comma-separated
  bool ordered = false;

  // Checks and converts everything; throws UsageError naming what is wrong.
  CheckRequest to_request(const ModelRegistry& models) const;
  // What `check` runs: the model's check suite when it has one and no
  // parameter but `bug` was given (`single` false), else the one request of
  // to_request (named "").
  std::vector<SuiteRun> check_requests(const ModelRegistry& models, bool single) const;
  // What `simulate` runs: to_request, from the model's walk preset when no
  // parameter but `bug` was given.
  CheckRequest walk_request(const ModelRegistry& models) const;
  // The --param items as a map (a malformed item is a UsageError).
  std::map<std::string, std::string> given_params() const;
};

// "a,b" "c" -> a b c (empty items dropped).
std::vector<std::string> split_commas(const std::vector<std::string>& items);

}  // namespace verdict
