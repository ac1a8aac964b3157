// verdict: the command line, a thin layer over the library. See
// `verdict --help` and the README for commands, exit codes and reports.
#include <cstdio>
#include <exception>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "checkers/check_runner.hpp"
#include "cli/commands.hpp"
#include "models/registry.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "Verdict: a deterministic network-semantics simulator and model checker for "
      "distributed-system handlers.\n\n"
      "Exit codes: 0 no violation and the bounded space covered (or linearizable); "
      "1 violation (or not linearizable); 2 bad usage or bad input; 3 replay diverged, "
      "shrink input does not reproduce, or lincheck ran out of time; 4 no violation found "
      "but a limit or an interrupt stopped the search early.",
      "verdict"};
  app.set_version_flag("--version", std::string("verdict ") + VERDICT_VERSION);
  app.require_subcommand(1);
  app.fallthrough(false);

  int exit_code = 0;
  verdict::cli::add_models_command(app, exit_code);
  verdict::cli::add_check_command(app, exit_code);
  verdict::cli::add_replay_command(app, exit_code);
  verdict::cli::add_shrink_command(app, exit_code);
  verdict::cli::add_export_command(app, exit_code);
#ifdef VERDICT_HAS_LINCHECK
  verdict::cli::add_lincheck_command(app, exit_code);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return verdict::exit_code::usage;
  } catch (const verdict::UsageError& e) {
    fmt::print(stderr, "verdict: {}\n", e.what());
    return verdict::exit_code::usage;
  } catch (const std::exception& e) {
    fmt::print(stderr, "verdict: internal error: {}\n", e.what());
    return 70;  // EX_SOFTWARE: a bug in Verdict, not in the input
  }
  return exit_code;
}
