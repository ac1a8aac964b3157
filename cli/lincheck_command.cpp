// `verdict lincheck`: check history files for linearizability against one of
// the built-in sequential specifications. One verdict line per file (with the
// counterexample when not linearizable), or one JSON report with --json.
// Exit code: 2 if some file is bad input, else 1 if some history is not
// linearizable, else 3 if some check ran out of time, else 0.
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "checkers/linearizability/history_file.hpp"
#include "cli/commands.hpp"

namespace verdict::cli {

namespace {

namespace lc = verdict::lincheck;

struct LincheckArgs {
  std::string model;
  std::string format;
  bool json = false;
  double timeout = 0;
  bool no_partition = false;
  int threads = 0;
  std::vector<std::string> files;
};

// 2 (bad input) beats 1 (not linearizable) beats 3 (unknown) beats 0.
int worse(int current, int candidate) {
  auto rank = [](int code) { return code == 2 ? 3 : code == 1 ? 2 : code == 3 ? 1 : 0; };
  return rank(candidate) > rank(current) ? candidate : current;
}

int run_lincheck(const LincheckArgs& args) {
  const lc::SpecKind spec = *lc::spec_from_string(args.model);
  std::optional<lc::Format> format;
  if (!args.format.empty()) format = lc::format_from_string(args.format);
  lc::CheckOptions options;
  options.partition = !args.no_partition;
  options.timeout_seconds = args.timeout;
  options.threads = args.threads;

  int code = 0;
  nlohmann::json files = nlohmann::json::array();
  for (const std::string& file : args.files) {
    nlohmann::json report = {{"file", file}};
    try {
      const lc::LoadedHistory loaded = lc::load_history_file(file, spec, format);
      const lc::Result result = lc::check_loaded(loaded, options);
      report["format"] = lc::to_string(loaded.format);
      report.update(lc::to_json(result));
      switch (result.outcome) {
        case lc::Outcome::linearizable:
          break;
        case lc::Outcome::not_linearizable:
          code = worse(code, 1);
          break;
        case lc::Outcome::unknown:
          code = worse(code, 3);
          break;
      }
      if (!args.json) {
        fmt::print("{}: {} ({} operations, {} part{}, {:.3f} s)\n", file,
                   result.outcome == lc::Outcome::unknown
                       ? std::string("unknown: stopped by the time limit")
                       : std::string(lc::to_string(result.outcome)),
                   loaded.size(), result.stats.partitions, result.stats.partitions == 1 ? "" : "s",
                   result.stats.seconds);
        if (result.counterexample) {
          fmt::print("{}", lc::format_counterexample(*result.counterexample, "line"));
        }
      }
    } catch (const lc::ParseError& e) {
      code = worse(code, 2);
      report["verdict"] = "bad-input";
      report["error"] = e.what();
      if (!args.json) fmt::print(stderr, "{}: bad input: {}\n", file, e.what());
    }
    files.push_back(std::move(report));
  }
  if (args.json) {
    nlohmann::json doc = {{"verdict_version", VERDICT_VERSION},
                          {"command", "lincheck"},
                          {"model", args.model},
                          {"partition", !args.no_partition},
                          {"timeout", args.timeout},
                          {"files", std::move(files)},
                          {"exit_code", code}};
    fmt::print("{}\n", doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  return code;
}

}  // namespace

void add_lincheck_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<LincheckArgs>();
  CLI::App* cmd = app.add_subcommand(
      "lincheck",
      "Check history files for linearizability (Jepsen logs, EDN lines or Verdict JSON; "
      "see docs/history-format.md). Exit 0 all linearizable, 1 some not, 3 some unknown "
      "(time limit), 2 some bad input.");
  cmd->add_option("--model", args->model, "sequential specification")
      ->required()
      ->check(CLI::IsMember({"register", "kv", "vard"}));
  cmd->add_option("--format", args->format, "input format (default: detected from the content)")
      ->check(CLI::IsMember({"jepsen", "edn", "json"}));
  cmd->add_flag("--json", args->json, "print one JSON report instead of text");
  cmd->add_option("--timeout", args->timeout, "seconds per file; past it the verdict is unknown")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--no-partition", args->no_partition,
                "check the whole history as one, not key by key");
  cmd->add_option("--threads", args->threads, "threads (default: every core)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("files", args->files, "history files")->required();
  cmd->callback([args, &exit_code] { exit_code = run_lincheck(*args); });
}

}  // namespace verdict::cli
