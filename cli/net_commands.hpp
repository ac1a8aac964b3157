// `verdict serve` and `verdict client`: the commands of the net layer (a
// Raft-KV node on a real network, and a client of it). They live in their
// own library (verdict_cli_net) so that a program gets them, and links net/,
// only when it asks: run_cli(argc, argv, models, program,
// {cli::add_serve_command, cli::add_client_command}).
#pragma once

#include "cli/cli_fwd.hpp"

namespace verdict::cli {

void add_serve_command(CLI::App& app, int& exit_code);
void add_client_command(CLI::App& app, int& exit_code);

}  // namespace verdict::cli
