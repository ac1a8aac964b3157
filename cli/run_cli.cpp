#include "cli/run_cli.hpp"

#include <cstdio>
#include <exception>
#include <filesystem>
#include <utility>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/check_runner.hpp"
#include "cli/commands.hpp"

namespace verdict {

int run_cli(int argc, char** argv, const ModelRegistry& models, const std::string& program,
            std::initializer_list<AddCommand> extra_commands) {
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
  cli::add_explore_command(app, models, exit_code);
  for (AddCommand add : extra_commands) add(app, exit_code);

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
    return exit_code::internal_error;
  }
  return exit_code;
}

int run_cli(int argc, char** argv, ModelEntry entry) {
  ModelRegistry registry;
  registry.add(std::move(entry));
  std::string program = argc > 0 ? std::filesystem::path(argv[0]).filename().string() : "verdict";
  return run_cli(argc, argv, registry, program);
}

}  // namespace verdict
