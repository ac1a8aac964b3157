// The subcommands of the `verdict` program. Each adds itself to the CLI11 app
// and, when it runs, stores the process exit code (see README: 0 ok, 1
// violation, 2 bad usage or input, 3 nondeterminism/unknown, 4 stopped by a
// limit) in `exit_code`. The program is a thin layer: every command calls
// the library.
#pragma once

#include "app/registry.hpp"
#include "cli/cli_fwd.hpp"

namespace verdict::cli {

void add_models_command(CLI::App& app, const ModelRegistry& models, int& exit_code);
void add_check_command(CLI::App& app, const ModelRegistry& models, int& exit_code);
void add_replay_command(CLI::App& app, const ModelRegistry& models, int& exit_code);
void add_shrink_command(CLI::App& app, const ModelRegistry& models, int& exit_code);
void add_simulate_command(CLI::App& app, const ModelRegistry& models, int& exit_code);
void add_merge_reports_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);
void add_lincheck_command(CLI::App& app, int& exit_code);
void add_explore_command(CLI::App& app, const ModelRegistry& models, int& exit_code);

// The explorer's web page: HTML, CSS and JavaScript in one (explore_page.cpp).
const std::string& explore_page();

}  // namespace verdict::cli
