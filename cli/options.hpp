// Command-line options shared by the commands that build and search a model
// (check, and later simulate): model parameters, transformers, faults and
// budgets, and their parsing into a CheckRequest with clear errors.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "models/registry.hpp"

namespace verdict::cli {

struct ModelOptions {
  std::string model;
  std::vector<std::string> params;      // k=v
  std::vector<std::string> transforms;  // possibly comma-separated
  std::vector<std::string> faults;      // possibly comma-separated
  std::vector<std::string> budgets;     // k=v, possibly comma-separated
  bool ordered = false;

  void add_to(CLI::App& cmd);
  // Checks and converts everything; throws UsageError naming what is wrong.
  CheckRequest to_request(const ModelRegistry& models) const;
};

std::vector<std::string> split_commas(const std::vector<std::string>& items);

// Validators for numbers on the command line. CLI11 alone reads "-1" into an
// unsigned option as 2^64-1 and "nan" or "inf" into a double option.
CLI::Validator positive_seconds();  // a finite number > 0
CLI::Validator whole_number();      // digits only: 0, 1, 2, ...

}  // namespace verdict::cli
