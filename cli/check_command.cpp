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
};

void run(const CheckOptions& o, const ModelRegistry& models, const std::string& program,
         int& exit_code) {
  o.output.check_writable();
  CheckRequest req = o.model.to_request(models);
  if (o.strategy != "bfs" && o.strategy != "dfs")
    throw UsageError(fmt::format("--strategy must be bfs or dfs, not \"{}\"", o.strategy));
  req.search.strategy = o.strategy == "bfs" ? Strategy::bfs : Strategy::dfs;
  if (o.threads == 0 || o.threads > 256)
    throw UsageError(fmt::format("--threads must be from 1 to 256, not {}", o.threads));
  req.search.threads = o.threads;
  req.search.symmetry = o.symmetry;
  req.search.keep_going = o.keep_going;
  req.search.check_deadlock = o.deadlock;
  req.search.liveness = !o.no_liveness;
  req.search.max_depth = o.max_depth;
  req.search.max_states = o.max_states;
  req.search.time_limit_seconds = o.time_limit;
  req.search.memory_limit_mb = o.memory_limit_mb;
  req.search.check_determinism = o.check_determinism;
  req.search.audit_fingerprints = o.audit_fingerprints;
  req.search.progress = o.output.show_progress();
  InterruptGuard interrupt;
  req.search.interrupt = interrupt.flag();
  CheckOutcome outcome = build_model(models, req)->check(req);
  if (interrupt.interrupted()) outcome.report["stop_reason"] = "interrupted";
  emit_outcome(outcome, o.output, req.model, program);
  exit_code = outcome.exit_code;
}

}  // namespace

void add_check_command(CLI::App& app, const ModelRegistry& models, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "check", "Search every interleaving of a model up to its bounds and check its properties");
  auto o = std::make_shared<CheckOptions>();
  add_model_options(*cmd, o->model);
  cmd->add_option("--strategy", o->strategy, "bfs (shortest counterexample) or dfs (low memory)")
      ->capture_default_str();
  cmd->add_option("--threads,-j", o->threads, "Worker threads; results do not depend on it")
      ->capture_default_str();
  cmd->add_flag("--symmetry", o->symmetry,
                "Store one state per class of states equal up to the model's symmetry (e.g. "
                "interchangeable nodes); exit 2 for a model that declares none");
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
