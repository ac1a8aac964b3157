// run_cli(): the whole `verdict` command line — models, check, replay,
// shrink, export, lincheck — over any registry of models. The `verdict`
// program is run_cli over the built-in models; a user's own program gives
// its own systems the same commands, options and exit codes:
//
//   int main(int argc, char** argv) {
//     verdict::ModelRegistry models;
//     models.add(my_model_entry());
//     return verdict::run_cli(argc, argv, models, "my-checker");
//   }
#pragma once

#include <string>

#include "models/registry.hpp"

namespace verdict {

int run_cli(int argc, char** argv, const ModelRegistry& models,
            const std::string& program = "verdict");

}  // namespace verdict
