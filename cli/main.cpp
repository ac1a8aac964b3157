// verdict: the command line over the built-in models, with the net layer's
// serve and client commands. See `verdict --help` and the README for
// commands, exit codes and reports.
#include "cli/malloc_tuning.hpp"
#include "cli/net_commands.hpp"
#include "cli/run_cli.hpp"

int main(int argc, char** argv) {
  verdict::tune_malloc(argv);
  return verdict::run_cli(argc, argv, verdict::builtin_models(), "verdict",
                          {verdict::cli::add_serve_command, verdict::cli::add_client_command});
}
