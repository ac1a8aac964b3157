// A model as the command line names it — model, parameters, transformers,
// faults and budgets, all as text — and its checked conversion into a
// CheckRequest. Shared by the `check` and `simulate` commands and by
// verdict::check() in a user's test (testing/check.hpp), which configure a
// model the same way.
#pragma once

#include <string>
#include <vector>

#include "app/registry.hpp"

namespace verdict {

struct ModelOptions {
  std::string model;
  std::vector<std::string> params;      // k=v
  std::vector<std::string> transforms;  // possibly comma-separated
  std::vector<std::string> faults;      // possibly comma-separated
  std::vector<std::string> budgets;     // k=v, possibly comma-separated
  bool ordered = false;

  // Checks and converts everything; throws UsageError naming what is wrong.
  CheckRequest to_request(const ModelRegistry& models) const;
};

// "a,b" "c" -> a b c (empty items dropped).
std::vector<std::string> split_commas(const std::vector<std::string>& items);

}  // namespace verdict
