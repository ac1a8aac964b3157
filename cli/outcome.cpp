#include "cli/outcome.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/check_verdict.hpp"

namespace verdict::cli {

namespace {

std::atomic<bool> interrupt_flag{false};

extern "C" void on_interrupt(int) {
  interrupt_flag.store(true);
}

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
  const bool walks = report.value("command", "") == "simulate";
  const std::vector<std::string> unreached =
      walks ? std::vector<std::string>{} : unreached_properties(report);
  std::string verdict =
      !v.is_null()                      ? "VIOLATION"
      : !report["complete"].get<bool>() ? "no violation found, stopped early"
      : !unreached.empty()
          ? fmt::format(
                "NOT REACHED: {} (no covered state satisfies {}: the bounds do not "
                "reach what the model says they reach)",
                fmt::join(unreached, ", "),
                unreached.size() == 1 ? "this sometimes property" : "these sometimes properties")
      : walks ? (report.value("suspected_walks", 0) > 0
                     ? "no violation in any walk, but a liveness property is SUSPECTED (below)"
                     : "no violation in any walk")
              : "no violation, bounded space covered";
  fmt::print("verdict {} {}: {}\n", walks ? "simulate" : "check",
             report["model"].get<std::string>(), verdict);
  const unsigned threads = report["threads"].get<unsigned>();
  if (walks) {
    // Only a model with end-of-walk properties (linearizability of the whole
    // I/O trace) checks histories; saying "0 histories checked" of the others
    // would suggest their properties went unchecked.
    const bool end_checks = !report.value("checked_at_walk_end", nlohmann::json::array()).empty();
    fmt::print(
        "  {} walks, {} steps, ~{} distinct states, {}{:.2f} s "
        "({:.0f} walks/s, {:.0f} steps/s; {}, seed {}, {} thread{})\n",
        report["walks"].get<std::uint64_t>(), report["steps"].get<std::uint64_t>(),
        report["unique_states"].get<std::uint64_t>(),
        end_checks ? fmt::format("{} histories checked, ",
                                 report["histories_checked"].get<std::uint64_t>())
                   : "",
        report["seconds"].get<double>(), report["walks_per_second"].get<double>(),
        report["steps_per_second"].get<double>(), report["strategy"].get<std::string>(),
        report["seed"].get<std::uint64_t>(), threads, threads == 1 ? "" : "s");
  } else {
    fmt::print("  {} unique states, {} generated, max depth {}, {:.2f} s ({}, {} thread{})\n",
               report["unique_states"].get<std::uint64_t>(),
               report["generated_states"].get<std::uint64_t>(),
               report["max_depth"].get<std::uint64_t>(), report["seconds"].get<double>(),
               report["strategy"].get<std::string>(), threads, threads == 1 ? "" : "s");
  }
  if (report.contains("configurations"))
    fmt::print("  {} of {} configurations of the check suite (verdict models lists them)\n",
               report["configurations"].size(),
               report["planned_configurations"].get<std::size_t>());
  if (!report["stop_reason"].get<std::string>().empty())
    fmt::print("  stopped: {}\n", report["stop_reason"].get<std::string>());
  for (const auto& p : report["properties"])
    fmt::print("  {} {}: {}\n", p["kind"].get<std::string>(), p["name"].get<std::string>(),
               p["outcome"].get<std::string>());
  if (report.contains("liveness") &&
      !report["liveness"]["unchecked_because"].get<std::string>().empty())
    fmt::print("  liveness unchecked: {}\n",
               report["liveness"]["unchecked_because"].get<std::string>());
  if (walks && report.contains("suspected") && !report["suspected"].is_null()) {
    const auto& s = report["suspected"];
    const std::uint64_t depth = report["depth"].get<std::uint64_t>();
    const std::uint64_t steps = s["depth"].get<std::uint64_t>() - 1;
    fmt::print(
        "\nsuspected: {} in {} walk{} (first: walk {}): {}. A heuristic, not a proof: random "
        "walks are not fair, and a longer walk might still reach the goal; `verdict check` "
        "decides it where the bounds allow.\n",
        s["property"].get<std::string>(), report["suspected_walks"].get<std::uint64_t>(),
        report["suspected_walks"].get<std::uint64_t>() == 1 ? "" : "s",
        s["walk"].get<std::uint64_t>(),
        s["stopped"].get<bool>()
            ? fmt::format("it stopped after {} steps where no step was enabled, its goal unmet "
                          "for the last {} of them, after its last fault",
                          steps, s["quiet_steps"].get<std::uint64_t>())
            : fmt::format("its goal stayed unmet through the last {} of its {} steps, after its "
                          "last fault",
                          s["quiet_steps"].get<std::uint64_t>(), depth));
  }
  if (!v.is_null()) {
    fmt::print(
        "\nviolation of {} at depth {}{}:\n", v["property"].get<std::string>(),
        v["depth"].get<std::uint64_t>(),
        v.contains("walk") ? fmt::format(" in walk {}", v["walk"].get<std::uint64_t>()) : "");
    const auto& steps = v.contains("path_text") ? v["path_text"] : v["path"];
    // A liveness lasso: the cycle is marked where it begins.
    const std::size_t cycle_from = v.contains("cycle_steps")
                                       ? steps.size() - v["cycle_steps"].get<std::size_t>()
                                       : steps.size() + 1;
    std::size_t i = 1;
    for (const auto& step : steps) {
      if (i - 1 == cycle_from) fmt::print("  -- cycle: the steps below return here, for ever --\n");
      fmt::print("  {:>3}. {}\n", i++, step.is_string() ? step.get<std::string>() : step.dump());
    }
    if (v.contains("cycle_steps") && v["cycle_steps"] == 0)
      fmt::print("  -- the behaviour stops here: no fair step is enabled --\n");
  }
}

}  // namespace

void OutputOptions::add_to(CLI::App& cmd) {
  cmd.add_flag("--progress", progress, "Progress lines on stderr even when not a terminal");
  cmd.add_flag("--json", json, "Print the JSON report instead of a summary");
  cmd.add_option("--report", report_path, "Write the JSON report to FILE");
  cmd.add_option("--trace-out", trace_out,
                 "On a violation, write its trace to FILE (default: "
                 "verdict-trace-MODEL-TIME.json in the current directory)");
}

bool OutputOptions::show_progress() const {
  return progress || isatty(STDERR_FILENO);
}

void OutputOptions::check_writable() const {
  for (const auto& [option, path] :
       {std::pair{"--report", &report_path}, std::pair{"--trace-out", &trace_out}}) {
    if (path->empty()) continue;
    const std::filesystem::path file(*path);
    const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : ".";
    std::error_code error;
    if (std::filesystem::is_directory(file, error))
      throw UsageError(fmt::format("{} {}: is a directory", option, *path));
    if (!std::filesystem::is_directory(dir, error) || access(dir.c_str(), W_OK) != 0)
      throw UsageError(fmt::format("{} {}: cannot write there (no such directory, or not writable)",
                                   option, *path));
  }
}

void emit_outcome(const CheckOutcome& outcome, const OutputOptions& options,
                  const std::string& model, const std::string& program,
                  const std::string& reproduce) {
  if (!options.report_path.empty()) {
    std::ofstream out(options.report_path);
    out << outcome.report.dump(2) << '\n';
    if (!out) throw UsageError(fmt::format("cannot write the report to {}", options.report_path));
  }
  if (options.json)
    fmt::print("{}\n", outcome.report.dump(2));
  else
    print_summary(outcome.report);
  std::fflush(stdout);  // before anything on stderr: the two may share a pipe
  if (outcome.trace) {
    std::string path = options.trace_out.empty() ? default_trace_path(model) : options.trace_out;
    TraceFile trace = *outcome.trace;
    if (!trace.origin.is_object()) trace.origin = nlohmann::json::object();
    trace.origin["program"] = self_executable();
    try {
      write_trace_file(path, trace);
    } catch (const std::exception& e) {
      // The verdict stands (the caller's exit code is the outcome's); only the
      // file is lost, and the message says so.
      fmt::print(stderr, "verdict: {} (the result above stands)\n", e.what());
      return;
    }
    FILE* stream = options.json ? stderr : stdout;
    fmt::print(stream, "\ntrace written to {}\nreplay it with: {} replay {}\n", path, program,
               path);
    if (!reproduce.empty()) fmt::print(stream, "rerun just this walk with: {}\n", reproduce);
  }
}

void print_configuration_line(const nlohmann::json& report, std::size_t i, std::size_t n) {
  const auto& v = report["violation"];
  const std::string stop = report["stop_reason"].get<std::string>();
  const std::string verdict =
      !v.is_null() ? fmt::format("VIOLATION of {}", v["property"].get<std::string>())
      : !report["complete"].get<bool>() ? fmt::format("stopped early ({})", stop)
                                        : "no violation, covered";
  const auto& limits = report["limits"];
  fmt::print("  [{}/{}] {:<14} {:>10} states  depth {:>3}{}  {:>7.2f} s  {}\n", i, n,
             report["configuration"].get<std::string>(),
             report["unique_states"].get<std::uint64_t>(), report["max_depth"].get<std::uint64_t>(),
             limits.contains("max_depth")
                 ? fmt::format(" (bound {})", limits["max_depth"].get<std::uint64_t>())
                 : "",
             report["seconds"].get<double>(), verdict);
  std::fflush(stdout);
}

namespace {

// The worse of two outcomes of one property in two configurations.
std::string worse_outcome(const std::string& a, const std::string& b) {
  for (const char* o : {"violated", "reached", "unchecked", "not_reached", "holds"})
    if (a == o || b == o) return o;
  return a;
}

}  // namespace

CheckOutcome join_suite(std::vector<CheckOutcome> parts, std::size_t planned) {
  CheckOutcome out;
  nlohmann::json& r = out.report;
  const nlohmann::json& first = parts.front().report;
  for (const char* key :
       {"report_version", "verdict_version", "command", "model", "strategy", "threads", "symmetry"})
    r[key] = first[key];
  r["configurations"] = nlohmann::json::array();
  r["planned_configurations"] = planned;
  std::uint64_t unique = 0, generated = 0, depth = 0;
  double seconds = 0;
  bool complete = true;
  std::string stop_reason;
  nlohmann::json properties = nlohmann::json::array();
  r["violation"] = nullptr;
  for (auto& part : parts) {
    const nlohmann::json& p = part.report;
    unique += p["unique_states"].get<std::uint64_t>();
    generated += p["generated_states"].get<std::uint64_t>();
    depth = std::max(depth, p["max_depth"].get<std::uint64_t>());
    seconds += p["seconds"].get<double>();
    complete = complete && p["complete"].get<bool>();
    if (stop_reason.empty()) stop_reason = p["stop_reason"].get<std::string>();
    for (const auto& prop : p["properties"]) {
      auto same = std::find_if(properties.begin(), properties.end(),
                               [&](const auto& q) { return q["name"] == prop["name"]; });
      if (same == properties.end())
        properties.push_back(
            {{"name", prop["name"]}, {"kind", prop["kind"]}, {"outcome", prop["outcome"]}});
      else
        (*same)["outcome"] = worse_outcome((*same)["outcome"].get<std::string>(),
                                           prop["outcome"].get<std::string>());
    }
    if (p.contains("nondeterminism") && !r.contains("nondeterminism"))
      r["nondeterminism"] = p["nondeterminism"];
    if (!p["violation"].is_null()) {
      r["violation"] = p["violation"];
      r["violation"]["configuration"] = p["configuration"];
      out.trace = std::move(part.trace);
    }
    r["configurations"].push_back(p);
  }
  // A suite cut short without a violation did not cover what it set out to.
  if (parts.size() < planned && r["violation"].is_null()) complete = false;
  r["unique_states"] = unique;
  r["generated_states"] = generated;
  r["max_depth"] = depth;
  r["seconds"] = seconds;
  r["complete"] = complete;
  r["stop_reason"] = stop_reason;
  r["properties"] = properties;
  // A `sometimes` property is reached when one configuration reached it (the
  // worst outcome above ranks reached before not_reached).
  out.exit_code = check_exit_code(r);
  return out;
}

std::string self_executable() {
  std::error_code error;
  auto path = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::string() : path.string();
}

InterruptGuard::InterruptGuard() {
  interrupt_flag.store(false);
  std::signal(SIGINT, on_interrupt);
}
InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, SIG_DFL);
}
const std::atomic<bool>* InterruptGuard::flag() const {
  return &interrupt_flag;
}
bool InterruptGuard::interrupted() const {
  return interrupt_flag.load();
}

}  // namespace verdict::cli
