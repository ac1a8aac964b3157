// `verdict check MODEL ...`: exhaustive search of a model's bounded space.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <fstream>

#include <fmt/format.h>

#include "checkers/check_runner.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "models/any_model.hpp"

namespace verdict::cli {

namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_interrupt(int) {
  interrupted.store(true);
}

struct CheckOptions {
  ModelOptions model;
  std::string strategy = "bfs";
  unsigned threads = 1;
  bool symmetry = false;
  bool keep_going = false;
  bool deadlock = false;
  std::optional<std::uint64_t> max_depth, max_states, memory_limit_mb;
  std::optional<double> time_limit;
  bool check_determinism = false;
  bool progress = false;
  bool json = false;
  std::string report_path;
  std::string trace_out;
};

std::string default_trace_path(const std::string& model) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  return fmt::format("verdict-trace-{}-{}.json", model, stamp);
}

void print_summary(const nlohmann::json& report) {
  const auto& v = report["violation"];
  std::string verdict = !v.is_null()                     ? "VIOLATION"
                        : report["complete"].get<bool>() ? "no violation, bounded space covered"
                                                         : "no violation found, search incomplete";
  fmt::print("verdict check {}: {}\n", report["model"].get<std::string>(), verdict);
  fmt::print("  {} unique states, {} generated, max depth {}, {:.2f} s ({}, {} thread{})\n",
             report["unique_states"].get<std::uint64_t>(),
             report["generated_states"].get<std::uint64_t>(),
             report["max_depth"].get<std::uint64_t>(), report["seconds"].get<double>(),
             report["strategy"].get<std::string>(), report["threads"].get<unsigned>(),
             report["threads"].get<unsigned>() == 1 ? "" : "s");
  if (!report["stop_reason"].get<std::string>().empty())
    fmt::print("  stopped: {}\n", report["stop_reason"].get<std::string>());
  for (const auto& p : report["properties"])
    fmt::print("  {} {}: {}\n", p["kind"].get<std::string>(), p["name"].get<std::string>(),
               p["outcome"].get<std::string>());
  if (!v.is_null()) {
    fmt::print("\nviolation of {} at depth {}:\n", v["property"].get<std::string>(),
               v["depth"].get<std::uint64_t>());
    const auto& steps = v.contains("path_text") ? v["path_text"] : v["path"];
    std::size_t i = 1;
    for (const auto& step : steps)
      fmt::print("  {:>3}. {}\n", i++, step.is_string() ? step.get<std::string>() : step.dump());
  }
}

void run(const CheckOptions& o, int& exit_code) {
  CheckRequest req = o.model.to_request();
  if (o.strategy != "bfs" && o.strategy != "dfs")
    throw UsageError(fmt::format("--strategy must be bfs or dfs, not \"{}\"", o.strategy));
  req.search.strategy = o.strategy == "bfs" ? Strategy::bfs : Strategy::dfs;
  if (o.threads == 0 || o.threads > 256)
    throw UsageError(fmt::format("--threads must be from 1 to 256, not {}", o.threads));
  req.search.threads = o.threads;
  req.search.symmetry = o.symmetry;
  req.search.keep_going = o.keep_going;
  req.search.check_deadlock = o.deadlock;
  req.search.max_depth = o.max_depth;
  req.search.max_states = o.max_states;
  req.search.time_limit_seconds = o.time_limit;
  req.search.memory_limit_mb = o.memory_limit_mb;
  req.search.check_determinism = o.check_determinism;
  req.search.progress = o.progress || isatty(STDERR_FILENO);
  req.search.interrupt = &interrupted;

  std::signal(SIGINT, on_interrupt);
  CheckOutcome outcome = build_model(req)->check(req);
  std::signal(SIGINT, SIG_DFL);
  if (interrupted.load()) outcome.report["stop_reason"] = "interrupted";

  if (!o.report_path.empty()) {
    std::ofstream out(o.report_path);
    out << outcome.report.dump(2) << '\n';
    if (!out) throw UsageError(fmt::format("cannot write the report to {}", o.report_path));
  }
  if (o.json)
    fmt::print("{}\n", outcome.report.dump(2));
  else
    print_summary(outcome.report);
  if (outcome.trace) {
    std::string path = o.trace_out.empty() ? default_trace_path(req.model) : o.trace_out;
    write_trace_file(path, *outcome.trace);
    fmt::print(o.json ? stderr : stdout,
               "\ntrace written to {}\nreplay it with: verdict replay {}\n", path, path);
  }
  exit_code = outcome.exit_code;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "check", "Search every interleaving of a model up to its bounds and check its properties");
  auto o = std::make_shared<CheckOptions>();
  o->model.add_to(*cmd);
  cmd->add_option("--strategy", o->strategy, "bfs (shortest counterexample) or dfs (low memory)")
      ->capture_default_str();
  cmd->add_option("--threads,-j", o->threads, "Worker threads; results do not depend on it")
      ->capture_default_str();
  cmd->add_flag("--symmetry", o->symmetry, "Reduce by the model's symmetry, where it has one");
  cmd->add_flag("--keep-going", o->keep_going,
                "Do not stop at the first violation: cover the whole bounded space");
  cmd->add_flag("--deadlock", o->deadlock,
                "Report a state with no step as a violation unless the model calls it terminal");
  cmd->add_option("--max-depth", o->max_depth, "Do not expand states deeper than this (states)");
  cmd->add_option("--max-states", o->max_states, "Stop after this many unique states");
  cmd->add_option("--time-limit", o->time_limit, "Stop after this many seconds");
  cmd->add_option("--memory-limit", o->memory_limit_mb, "Stop when resident memory exceeds MB");
  cmd->add_flag("--check-determinism", o->check_determinism,
                "Compute every transition twice and compare (catches nondeterministic handlers)");
  cmd->add_flag("--progress", o->progress, "Progress lines on stderr even when not a terminal");
  cmd->add_flag("--json", o->json, "Print the JSON report instead of a summary");
  cmd->add_option("--report", o->report_path, "Write the JSON report to FILE");
  cmd->add_option("--trace-out", o->trace_out,
                  "On a violation, write its trace to FILE (default: "
                  "verdict-trace-MODEL-TIME.json in the current directory)");
  cmd->callback([o, &exit_code] { run(*o, exit_code); });
}

}  // namespace verdict::cli
