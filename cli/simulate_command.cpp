// `verdict simulate MODEL ...`: seeded random walks, and `verdict
// merge-reports`, which joins the reports of walk-range shards.
#include <charconv>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/any_model.hpp"
#include "app/check_runner.hpp"
#include "checkers/bounded_input.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/outcome.hpp"

namespace verdict::cli {

namespace {

struct SimulateOptions {
  ModelOptions model;
  OutputOptions output;
  std::uint64_t seed = 0;
  std::uint64_t walks = 1000;
  std::uint64_t depth = 100;
  unsigned threads = 1;
  std::optional<double> time_limit;
  bool swarm = false;
  std::vector<std::string> weights;  // kind=w, possibly comma-separated
  std::string walk_range;            // A:B
};

std::uint64_t parse_count(const std::string& text, const char* what) {
  std::uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size())
    throw UsageError(fmt::format("{} must be a non-negative integer, not \"{}\"", what, text));
  return value;
}

// The one command line that reruns a single walk.
std::string reproduce_command(const SimulateOptions& o, const std::string& program,
                              std::uint64_t walk) {
  std::string cmd = fmt::format("{} simulate {}", program, o.model.model);
  for (const auto& p : o.model.params) cmd += " --param " + p;
  for (const auto& t : o.model.transforms) cmd += " --transform " + t;
  for (const auto& f : o.model.faults) cmd += " --faults " + f;
  for (const auto& b : o.model.budgets) cmd += " --budget " + b;
  if (o.model.ordered) cmd += " --ordered";
  for (const auto& w : o.weights) cmd += " --weight " + w;
  if (o.swarm) cmd += " --swarm";
  cmd += fmt::format(" --depth {} --seed {} --walk-range {}:{}", o.depth, o.seed, walk, walk + 1);
  return cmd;
}

void run(const SimulateOptions& o, const ModelRegistry& models, const std::string& program,
         int& exit_code) {
  o.output.check_writable();
  SimulateRequest req;
  static_cast<ModelConfig&>(req) = o.model.walk_request(models);
  WalkOptions& w = req.walk;
  w.seed = o.seed;
  w.walks = o.walks;
  w.depth = o.depth;
  if (o.threads == 0 || o.threads > 256)
    throw UsageError(fmt::format("--threads must be from 1 to 256, not {}", o.threads));
  w.threads = o.threads;
  w.swarm = o.swarm;
  w.time_limit_seconds = o.time_limit;
  if (!o.walk_range.empty()) {
    auto colon = o.walk_range.find(':');
    if (colon == std::string::npos)
      throw UsageError(fmt::format("--walk-range must be A:B, not \"{}\"", o.walk_range));
    w.first_walk = parse_count(o.walk_range.substr(0, colon), "--walk-range start");
    std::uint64_t end = parse_count(o.walk_range.substr(colon + 1), "--walk-range end");
    if (end <= w.first_walk)
      throw UsageError(
          fmt::format("--walk-range {}: the end must be after the start", o.walk_range));
    w.walks = end - w.first_walk;
  }
  for (const auto& item : split_commas(o.weights)) {
    auto eq = item.find('=');
    if (eq == std::string::npos)
      throw UsageError(fmt::format("--weight \"{}\" must have the form kind=weight", item));
    std::string kind = item.substr(0, eq);
    double weight = 0;
    try {
      std::size_t used = 0;
      weight = std::stod(item.substr(eq + 1), &used);
      if (used != item.size() - eq - 1 || weight < 0) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw UsageError(fmt::format("--weight {}: the weight must be a number >= 0", item));
    }
    if (!step_kind_from_string(kind))
      throw UsageError(fmt::format(
          "--weight: unknown kind \"{}\"; kinds: input, deliver, timeout, drop, duplicate, "
          "crash, reboot, partition, heal",
          kind));
    w.weights[kind] = weight;
  }
  w.progress = o.output.show_progress();
  InterruptGuard interrupt;
  w.interrupt = interrupt.flag();
  CheckOutcome outcome = build_model(models, req)->simulate(req);
  std::string reproduce;
  if (outcome.trace) {
    const auto& found = outcome.report["violation"].is_null() ? outcome.report["suspected"]
                                                              : outcome.report["violation"];
    reproduce = reproduce_command(o, program, found["walk"].get<std::uint64_t>());
  }
  emit_outcome(outcome, o.output, req.model, program, reproduce);
  exit_code = outcome.exit_code;
}

// Joins the JSON reports of shards of one simulate run: the walks and steps
// add up; the violation is the one in the lowest-numbered walk.
void merge_reports(const std::vector<std::string>& paths, const std::string& out_path,
                   int& exit_code) {
  nlohmann::json merged;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  for (const auto& path : paths) {
    const BoundedRead read = read_bounded_file(path, kMaxTraceFileBytes);
    if (!read.text) throw UsageError(fmt::format("{}: {}", path, read.error));
    if (json_too_deep(*read.text))
      throw UsageError(fmt::format("{}: not a report of verdict simulate", path));
    nlohmann::json r = nlohmann::json::parse(*read.text, nullptr, false);
    if (r.is_discarded() || !r.is_object() || r.value("command", "") != "simulate")
      throw UsageError(fmt::format("{}: not a report of verdict simulate", path));
    try {
      auto range = r.at("walk_range").get<std::pair<std::uint64_t, std::uint64_t>>();
      ranges.push_back(range);
      if (merged.is_null()) {
        merged = r;
        continue;
      }
      for (const char* same : {"model", "params", "transforms", "faults", "budgets", "seed",
                               "depth", "strategy", "weights"})
        if (merged.at(same) != r.at(same))
          throw UsageError(
              fmt::format("{}: field \"{}\" differs from the first report's; only "
                          "shards of one run can be merged",
                          path, same));
      for (const char* sum :
           {"walks", "steps", "generated_states", "histories_checked", "suspected_walks"})
        merged[sum] = merged.at(sum).get<std::uint64_t>() + r.at(sum).get<std::uint64_t>();
      const auto& suspect = r.at("suspected");
      if (!suspect.is_null() && (merged["suspected"].is_null() ||
                                 suspect.at("walk").get<std::uint64_t>() <
                                     merged["suspected"].at("walk").get<std::uint64_t>()))
        merged["suspected"] = suspect;
      merged["seconds"] =
          std::max(merged.at("seconds").get<double>(), r.at("seconds").get<double>());
      merged["unique_states"] = std::max(merged.at("unique_states").get<std::uint64_t>(),
                                         r.at("unique_states").get<std::uint64_t>());
      auto hist = merged.at("depth_histogram").get<std::vector<std::uint64_t>>();
      auto more = r.at("depth_histogram").get<std::vector<std::uint64_t>>();
      for (std::size_t i = 0; i < std::min(hist.size(), more.size()); ++i) hist[i] += more[i];
      merged["depth_histogram"] = hist;
      merged["complete"] = merged.at("complete").get<bool>() && r.at("complete").get<bool>();
      const auto& v = r.at("violation");
      const nlohmann::json before = merged.at("properties");
      if (!v.is_null() && (merged["violation"].is_null() ||
                           v.at("walk").get<std::uint64_t>() <
                               merged["violation"].at("walk").get<std::uint64_t>())) {
        merged["violation"] = v;
        merged["properties"] = r.at("properties");
      }
      // A `sometimes` property reached in any shard is reached in the run; a
      // liveness property suspected in any shard is suspected.
      auto& properties = merged["properties"];
      const auto& theirs = r.at("properties");
      for (std::size_t i = 0; i < properties.size(); ++i)
        for (const char* kept : {"reached", "suspected"})
          if ((i < before.size() && before[i].at("outcome") == kept) ||
              (i < theirs.size() && theirs[i].at("outcome") == kept))
            properties[i]["outcome"] = kept;
    } catch (const nlohmann::json::exception& e) {
      throw UsageError(
          fmt::format("{}: a field is missing or has the wrong type ({})", path, e.what()));
    }
  }
  std::sort(ranges.begin(), ranges.end());
  merged["walk_range"] = {ranges.front().first, ranges.back().second};
  merged["shards"] = ranges;
  std::string gaps;
  for (std::size_t i = 1; i < ranges.size(); ++i)
    if (ranges[i].first != ranges[i - 1].second)
      gaps += fmt::format(" {}:{}", ranges[i - 1].second, ranges[i].first);
  if (!gaps.empty()) {
    merged["complete"] = false;
    merged["missing_walk_ranges"] = gaps.substr(1);
  }
  std::ofstream out(out_path);
  out << merged.dump(2) << '\n';
  if (!out) throw UsageError(fmt::format("cannot write {}", out_path));
  const bool violated = !merged["violation"].is_null();
  fmt::print("merged {} reports: {} walks, {} steps, {}{}\n", paths.size(),
             merged["walks"].get<std::uint64_t>(), merged["steps"].get<std::uint64_t>(),
             violated ? fmt::format("violation of {} in walk {}",
                                    merged["violation"]["property"].get<std::string>(),
                                    merged["violation"]["walk"].get<std::uint64_t>())
                      : "no violation",
             gaps.empty() ? "" : "; missing walks" + gaps);
  exit_code = violated                         ? exit_code::violation
              : merged["complete"].get<bool>() ? exit_code::ok
                                               : exit_code::incomplete;
}

}  // namespace

void add_simulate_command(CLI::App& app, const ModelRegistry& models, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "simulate",
      "Seeded random walks: the same seed gives the same walks and result at any thread "
      "count. Liveness is not judged, only suspected: a full-depth walk whose goal stays unmet "
      "through its last half, after its last fault, is reported (exit code unchanged)");
  auto o = std::make_shared<SimulateOptions>();
  add_model_options(*cmd, o->model);
  cmd->add_option("--seed", o->seed, "Seed; walk i is driven by (seed, i)")->required();
  cmd->add_option("--walks", o->walks, "Number of walks")
      ->capture_default_str()
      ->check(whole_number());
  cmd->add_option("--depth", o->depth, "Steps per walk at most")
      ->capture_default_str()
      ->check(whole_number());
  cmd->add_option("--threads,-j", o->threads, "Worker threads; results do not depend on it")
      ->capture_default_str();
  cmd->add_option("--time-limit", o->time_limit, "Stop after this many seconds (exit 4)")
      ->check(positive_seconds());
  cmd->add_flag("--swarm", o->swarm,
                "Each walk draws its own fault mix (which faults, what weights); the trace "
                "records it");
  cmd->add_option("--weight", o->weights,
                  "Relative weight of a kind of step, e.g. deliver=10,drop=1 (default 1 each)");
  cmd->add_option("--walk-range", o->walk_range,
                  "Run walks A..B-1 only (for sharding a run over machines)");
  o->output.add_to(*cmd);
  cmd->callback(
      [o, &models, program = app.get_name(), &exit_code] { run(*o, models, program, exit_code); });
}

void add_merge_reports_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "merge-reports",
      "Join the JSON reports of simulate shards (--walk-range) into one; exit as for simulate");
  auto files = std::make_shared<std::vector<std::string>>();
  auto out = std::make_shared<std::string>();
  cmd->add_option("FILE", *files, "Reports to merge")->required();
  cmd->add_option("-o,--output", *out, "The merged report")->required();
  cmd->callback([files, out, &exit_code] { merge_reports(*files, *out, exit_code); });
}

}  // namespace verdict::cli
