// `verdict check MODEL ...`: exhaustive search of a model's bounded space.

#include <fmt/format.h>

#include "app/any_model.hpp"
#include "app/check_runner.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/outcome.hpp"

namespace verdict::cli {

namespace {

struct CheckOptions {
  ModelOptions model;
  OutputOptions output;
  std::string strategy = "bfs";
  unsigned threads = 1;
  bool symmetry = false;
  bool keep_going = false;
  bool deadlock = false;
  bool no_liveness = false;
  std::optional<std::uint64_t> max_depth, max_states, memory_limit_mb;
  std::optional<double> time_limit;
  bool check_determinism = false;
  bool audit_fingerprints = false;
  bool single = false;
};

void set_search(const CheckOptions& o, const InterruptGuard& interrupt, SearchOptions& search) {
  if (o.strategy != "bfs" && o.strategy != "dfs")
    throw UsageError(fmt::format("--strategy must be bfs or dfs, not \"{}\"", o.strategy));
  search.strategy = o.strategy == "bfs" ? Strategy::bfs : Strategy::dfs;
  if (o.threads == 0 || o.threads > 256)
    throw UsageError(fmt::format("--threads must be from 1 to 256, not {}", o.threads));
  search.threads = o.threads;
  search.symmetry = o.symmetry;
  search.keep_going = o.keep_going;
  search.check_deadlock = o.deadlock;
  search.liveness = !o.no_liveness;
  search.max_depth = o.max_depth;
  search.max_states = o.max_states;
  search.time_limit_seconds = o.time_limit;
  search.memory_limit_mb = o.memory_limit_mb;
  search.check_determinism = o.check_determinism;
  search.audit_fingerprints = o.audit_fingerprints;
  search.progress = o.output.show_progress();
  search.interrupt = interrupt.flag();
}

// The suite's configurations one after another, each printed as it ends;
// the first violation stops the suite (unless --keep-going). --time-limit
// bounds the whole suite, the other limits each configuration.
CheckOutcome run_suite(const CheckOptions& o, const ModelRegistry& models,
                       std::vector<SuiteRun> runs, const InterruptGuard& interrupt) {
  std::vector<CheckOutcome> outcomes;
  double spent = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    CheckRequest& req = runs[i].request;
    set_search(o, interrupt, req.search);
    if (!o.max_depth && runs[i].max_depth) req.search.max_depth = runs[i].max_depth;
    if (o.time_limit) req.search.time_limit_seconds = std::max(*o.time_limit - spent, 0.001);
    if (req.search.progress)
      fmt::print(stderr, "configuration {}/{}: {}\n", i + 1, runs.size(), runs[i].configuration);
    CheckOutcome outcome = build_model(models, req)->check(req);
    outcome.report["configuration"] = runs[i].configuration;
    spent += outcome.report["seconds"].get<double>();
    if (!o.output.json) print_configuration_line(outcome.report, i + 1, runs.size());
    const bool stop = interrupt.interrupted() ||
                      (!outcome.report["violation"].is_null() && !o.keep_going) ||
                      (o.time_limit && spent >= *o.time_limit);
    outcomes.push_back(std::move(outcome));
    if (stop) break;
  }
  return join_suite(std::move(outcomes), runs.size());
}

void run(const CheckOptions& o, const ModelRegistry& models, const std::string& program,
         int& exit_code) {
  o.output.check_writable();
  std::vector<SuiteRun> runs = o.model.check_requests(models, o.single);
  InterruptGuard interrupt;
  const std::string model = runs.front().request.model;
  CheckOutcome outcome;
  if (runs.size() == 1 && runs.front().configuration.empty()) {
    CheckRequest& req = runs.front().request;
    set_search(o, interrupt, req.search);
    outcome = build_model(models, req)->check(req);
  } else {
    outcome = run_suite(o, models, std::move(runs), interrupt);
  }
  if (interrupt.interrupted()) outcome.report["stop_reason"] = "interrupted";
  emit_outcome(outcome, o.output, model, program);
  exit_code = outcome.exit_code;
}

}  // namespace

void add_check_command(CLI::App& app, const ModelRegistry& models, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "check", "Search every interleaving of a model up to its bounds and check its properties");
  cmd->footer(
      "Exit: 0 the bounded space was covered and every property holds; 1 a violation (its "
      "trace is written), or a sometimes property that the covered space never reached; 2 bad "
      "usage or input; 3 a nondeterministic handler; 4 stopped early by a limit or Ctrl-C.");
  auto o = std::make_shared<CheckOptions>();
  add_model_options(*cmd, o->model);
  cmd->add_option("--strategy", o->strategy, "bfs (shortest counterexample) or dfs (low memory)")
      ->capture_default_str();
  cmd->add_option("--threads,-j", o->threads, "Worker threads; results do not depend on it")
      ->capture_default_str();
  cmd->add_flag("--symmetry", o->symmetry,
                "Store one state per class of states equal up to the model's symmetry (e.g. "
                "interchangeable nodes); exit 2 for a model that declares none");
  cmd->add_flag("--single", o->single,
                "Run the model's defaults alone, not its check suite (a model with a suite "
                "runs it when no parameter but bug is given; verdict models lists it)");
  cmd->add_flag("--keep-going", o->keep_going,
                "Do not stop at the first violation: cover the whole bounded space");
  cmd->add_flag("--no-liveness", o->no_liveness,
                "Do not record the state graph nor judge eventually / leads-to properties "
                "(they are reported unchecked): the safety-only search");
  cmd->add_flag("--deadlock", o->deadlock,
                "Report a state with no step as a violation unless the model calls it terminal");
  cmd->add_option("--max-depth", o->max_depth, "Do not expand states deeper than this (states)")
      ->check(whole_number());
  cmd->add_option("--max-states", o->max_states, "Stop after this many unique states")
      ->check(whole_number());
  cmd->add_option("--time-limit", o->time_limit, "Stop after this many seconds")
      ->check(positive_seconds());
  cmd->add_option("--memory-limit", o->memory_limit_mb, "Stop when resident memory exceeds MB")
      ->check(whole_number());
  cmd->add_flag("--check-determinism", o->check_determinism,
                "Compute every transition twice and compare (catches nondeterministic handlers)");
  cmd->add_flag("--audit-fingerprints", o->audit_fingerprints,
                "Compare states that share a fingerprint (the first 200,000 kept; catches a "
                "hash() that leaves out a field); exit 3 on a mismatch");
  o->output.add_to(*cmd);
  cmd->callback(
      [o, &models, program = app.get_name(), &exit_code] { run(*o, models, program, exit_code); });
}

}  // namespace verdict::cli
