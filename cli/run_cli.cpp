#include "cli/run_cli.hpp"

#include <cstdio>
#include <exception>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "checkers/check_runner.hpp"
#include "cli/commands.hpp"

namespace verdict {

int run_cli(int argc, char** argv, const ModelRegistry& models, const std::string& program) {
  CLI::App app{
      "Verdict: a deterministic network-semantics simulator and model checker for "
      "distributed-system handlers.\n\n"
      "Exit codes: 0 no violation and the bounded space covered (or linearizable); "
      "1 violation (or not linearizable); 2 bad usage or bad input; 3 replay diverged, "
      "shrink input does not reproduce, or lincheck ran out of time; 4 no violation found "
      "but a limit or an interrupt stopped the search early.",
      program};
  app.set_version_flag("--version", fmt::format("{} (verdict {})", program, VERDICT_VERSION));
  app.require_subcommand(1);
  app.fallthrough(false);

  int exit_code = 0;
  cli::add_models_command(app, models, exit_code);
  cli::add_check_command(app, models, exit_code);
  cli::add_simulate_command(app, models, exit_code);
  cli::add_merge_reports_command(app, exit_code);
  cli::add_replay_command(app, models, exit_code);
  cli::add_shrink_command(app, models, exit_code);
  cli::add_export_command(app, exit_code);
  cli::add_lincheck_command(app, exit_code);
  cli::add_serve_command(app, exit_code);
  cli::add_client_command(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return exit_code::usage;
  } catch (const UsageError& e) {
    fmt::print(stderr, "{}: {}\n", program, e.what());
    return exit_code::usage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}: internal error: {}\n", program, e.what());
    return 70;  // EX_SOFTWARE: a bug in Verdict, not in the input
  }
  return exit_code;
}

}  // namespace verdict
