// verdict: the command line over the built-in models. See `verdict --help`
// and the README for commands, exit codes and reports.
#include "cli/run_cli.hpp"

int main(int argc, char** argv) {
  return verdict::run_cli(argc, argv, verdict::builtin_models());
}
