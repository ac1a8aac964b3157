// run_cli(): the whole `verdict` command line — models, check, simulate,
// replay, shrink, export, lincheck — over any registry of models. The
// `verdict` program is run_cli over the built-in models plus the commands of
// the net layer (serve, client: cli/net_commands.hpp); a user's own program
// gives its own systems the same commands, options and exit codes:
//
//   int main(int argc, char** argv) {
//     verdict::ModelRegistry models;
//     models.add(my_model_entry());
//     return verdict::run_cli(argc, argv, models, "my-checker");
//   }
//
// or, for one model named after the program, run_cli(argc, argv, entry).
#pragma once

#include <initializer_list>
#include <string>

#include "app/registry.hpp"
#include "cli/cli_fwd.hpp"

namespace verdict {

// A command a program adds to the command line: it registers itself with the
// CLI11 app and, when it runs, stores the process exit code in `exit_code`.
using AddCommand = void (*)(CLI::App& app, int& exit_code);

int run_cli(int argc, char** argv, const ModelRegistry& models,
            const std::string& program = "verdict",
            std::initializer_list<AddCommand> extra_commands = {});

// The whole command line over one model, named after the program.
int run_cli(int argc, char** argv, ModelEntry entry);

}  // namespace verdict
