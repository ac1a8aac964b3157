// Command-line options shared by the commands that build and search a model
// (check, simulate): the CLI11 side of ModelOptions (app/model_options.hpp,
// which parses them into a CheckRequest), and validators for numbers.
#pragma once

#include <CLI/CLI.hpp>

#include "app/model_options.hpp"

namespace verdict::cli {

// The options that name and configure a model: MODEL, --param, --transform,
// --faults, --budget, --ordered.
void add_model_options(CLI::App& cmd, ModelOptions& options);

// Validators for numbers on the command line. CLI11 alone reads "-1" into an
// unsigned option as 2^64-1 and "nan" or "inf" into a double option.
CLI::Validator positive_seconds();  // a finite number > 0
CLI::Validator whole_number();      // digits only: 0, 1, 2, ...

}  // namespace verdict::cli
