// `verdict lincheck`: check history files for linearizability against one of
// the built-in sequential specifications. One verdict line per file (with the
// counterexample when not linearizable), or one JSON report with --json.
// Exit code: 2 if some file is bad input, else 1 if some history is not
// linearizable, else 3 if some check ran out of time, else 0.
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "checkers/linearizability/history_file.hpp"
#include "checkers/linearizability/html_report.hpp"
#include "cli/commands.hpp"

namespace verdict::cli {

namespace {

namespace lc = verdict::lincheck;

struct LincheckArgs {
  std::string model;
  std::string format;
  std::string failed_ops;
  std::string initial;
  std::string initial_file;
  std::string html;
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

// The options every file is read with; nullopt (after a message) when they do
// not fit the model or the initial map is bad input.
std::optional<lc::LoadOptions> load_options(const LincheckArgs& args, lc::SpecKind spec) {
  lc::LoadOptions load;
  if (!args.format.empty()) load.format = lc::format_from_string(args.format);
  if (!args.failed_ops.empty()) load.reading = lc::reading_from_string(args.failed_ops);
  const bool is_register = spec == lc::SpecKind::register_spec;
  if (!args.initial.empty()) {
    auto value = lc::register_value_from_string(args.initial);
    if (!is_register || !value) {
      fmt::print(stderr, "--initial: expected nil or an integer, for --model register\n");
      return std::nullopt;
    }
    load.initial.register_value = *value;
  }
  if (!args.initial_file.empty()) {
    if (is_register) {
      fmt::print(stderr, "--initial-file: for --model kv or vard (register: --initial)\n");
      return std::nullopt;
    }
    try {
      load.initial.map = lc::read_initial_map(args.initial_file);
    } catch (const lc::ParseError& e) {
      fmt::print(stderr, "--initial-file: bad input: {}\n", e.what());
      return std::nullopt;
    }
  }
  return load;
}

int run_lincheck(const LincheckArgs& args) {
  const lc::SpecKind spec = *lc::spec_from_string(args.model);
  const std::optional<lc::LoadOptions> load = load_options(args, spec);
  if (!load) return 2;
  lc::CheckOptions options;
  options.partition = !args.no_partition;
  options.timeout_seconds = args.timeout;
  options.threads = args.threads;

  int code = 0;
  nlohmann::json files = nlohmann::json::array();
  std::string html_sections;
  for (const std::string& file : args.files) {
    nlohmann::json report = {{"file", file}};
    try {
      const lc::LoadedHistory loaded = lc::load_history_file(file, spec, *load);
      const lc::Result result = lc::check_loaded(loaded, options);
      report["format"] = lc::to_string(loaded.format);
      report["failed_ops"] = lc::to_string(loaded.reading);
      if (!args.html.empty())
        html_sections += lc::html_history_section(file, loaded, result, options);
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
      if (!args.html.empty()) html_sections += lc::html_error_section(file, e.what());
      if (!args.json) fmt::print(stderr, "{}: bad input: {}\n", file, e.what());
    }
    files.push_back(std::move(report));
  }
  if (!args.html.empty()) {
    std::ofstream out(args.html, std::ios::binary);
    out << lc::html_page("verdict lincheck --model " + args.model, html_sections);
    if (!out) {
      fmt::print(stderr, "--html: cannot write {}\n", args.html);
      code = worse(code, 2);
    }
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
      "Check history files for linearizability (Jepsen logs, EDN histories or Verdict JSON; "
      "see docs/history-format.md). Exit 0 all linearizable, 1 some not, 3 some unknown "
      "(time limit), 2 some bad input.");
  cmd->add_option("--model", args->model, "sequential specification")
      ->required()
      ->check(CLI::IsMember({"register", "kv", "vard"}));
  cmd->add_option("--format", args->format, "input format (default: detected from the content)")
      ->check(CLI::IsMember({"jepsen", "edn", "json"}));
  cmd->add_option("--failed-ops", args->failed_ops,
                  "what a failed operation means: knossos (it did not take effect) or porcupine "
                  "(a failed cas observed another value; other failures are unknown). Default: "
                  "porcupine for Jepsen logs, knossos for EDN, the file's own for JSON")
      ->check(CLI::IsMember({"knossos", "porcupine"}));
  cmd->add_option("--initial", args->initial,
                  "register model: the initial value, nil or an integer (default nil; "
                  "knossos's cas-register starts at 0)");
  cmd->add_option("--initial-file", args->initial_file,
                  "kv and vard models: a JSON object of the keys' initial values (default: "
                  "every key absent)");
  cmd->add_flag("--json", args->json, "print one JSON report instead of text");
  cmd->add_option("--html", args->html,
                  "also write a self-contained HTML page drawing each history: a lane per "
                  "process, the longest linearizable prefix and the operations that could not "
                  "be placed");
  cmd->add_option("--timeout", args->timeout, "seconds per file; past it the verdict is unknown")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--no-partition", args->no_partition,
                "check the whole history as one, not key by key");
  cmd->add_option("--threads", args->threads, "threads (default: every core)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("files", args->files,
                  "history files (a directory: its history.edn, Jepsen's store layout)")
      ->required();
  cmd->callback([args, &exit_code] { exit_code = run_lincheck(*args); });
}

}  // namespace verdict::cli
