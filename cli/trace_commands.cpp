// `verdict replay`, `verdict shrink` and `verdict export`: what a user does
// with a trace file.
#include <fstream>

#include <fmt/format.h>

#include "checkers/check_runner.hpp"
#include "cli/commands.hpp"
#include "traces/export.hpp"
#include "traces/replay.hpp"
#include "traces/shrink.hpp"

namespace verdict::cli {

namespace {

// A trace that cannot be read, or that names a model or parameter we do not
// have, is bad input: exit 2 with the message.
struct LoadedTrace {
  TraceFile trace;
  std::unique_ptr<AnyModel> model;
};

LoadedTrace load(const ModelRegistry& models, const std::string& path) {
  LoadedTrace loaded;
  try {
    loaded.trace = read_trace_file(path);
    loaded.model = build_model(models, config_from_trace(models, loaded.trace));
  } catch (const TraceError& e) {
    throw UsageError(e.what());
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("{}: {}", path, e.what()));
  }
  return loaded;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw UsageError(fmt::format("cannot write {}", path));
}

}  // namespace

void add_replay_command(CLI::App& app, const ModelRegistry& models, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "replay",
      "Re-run a trace file step by step: exit 1 if its violation comes back, 0 if the run ends "
      "without one, 3 if a step is not enabled or the world differs from the recording "
      "(a nondeterministic handler)");
  struct Options {
    std::string path;
    bool quiet = false;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("TRACE", o->path, "Trace file (JSON)")->required();
  auto* quiet = cmd->add_flag("--quiet,-q", o->quiet, "Print only the verdict line");
  cmd->add_flag("--json", o->json, "Print the outcome as JSON")->excludes(quiet);
  cmd->callback([o, &models, &exit_code] {
    LoadedTrace loaded = load(models, o->path);
    ReplayOutcome outcome = replay_trace(loaded.trace, *loaded.model);
    if (o->json) {
      nlohmann::json j = outcome.to_json();
      j["trace"] = o->path;
      j["model"] = loaded.trace.model;
      fmt::print("{}\n", j.dump(2));
    } else {
      if (!o->quiet) {
        fmt::print("replaying {} ({}, {} steps)\n", o->path, loaded.trace.model,
                   loaded.trace.steps.size());
        for (const auto& line : outcome.narration) fmt::print("{}\n", line);
      }
      fmt::print("{}\n", outcome.summary);
    }
    exit_code = outcome.exit_code();
  });
}

void add_shrink_command(CLI::App& app, const ModelRegistry& models, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "shrink", "Minimize a trace file: remove every step not needed to reach its violation");
  struct Options {
    std::string path;
    std::string out;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("TRACE", o->path, "Trace file (JSON)")->required();
  cmd->add_option("-o,--output", o->out, "Where to write the shrunk trace")->required();
  cmd->callback([o, &models, &exit_code] {
    LoadedTrace loaded = load(models, o->path);
    ShrinkOutcome outcome = shrink_trace(loaded.trace, *loaded.model);
    if (!outcome.reproduced) {
      fmt::print(stderr, "verdict shrink: {}: {}\n", o->path, outcome.message);
      exit_code = exit_code::diverged;
      return;
    }
    write_trace_file(o->out, outcome.trace);
    fmt::print("{}; written to {}\n", outcome.message, o->out);
    exit_code = exit_code::ok;
  });
}

void add_export_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "export", "Draw a trace file: html (sequence chart), dot (Graphviz) or shiviz (ShiViz log)");
  struct Options {
    std::string path;
    std::string format;
    std::string out;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("TRACE", o->path, "Trace file (JSON)")->required();
  cmd->add_option("--format,-f", o->format, "html, dot or shiviz")
      ->required()
      ->check(CLI::IsMember({"html", "dot", "shiviz"}));
  cmd->add_option("-o,--output", o->out, "Output file")->required();
  cmd->callback([o, &exit_code] {
    TraceFile trace;
    try {
      trace = read_trace_file(o->path);
    } catch (const TraceError& e) {
      throw UsageError(e.what());
    }
    std::string text = o->format == "html"  ? export_html(trace)
                       : o->format == "dot" ? export_dot(trace)
                                            : export_shiviz(trace);
    write_text(o->out, text);
    fmt::print("{} written to {}\n", o->format, o->out);
    exit_code = exit_code::ok;
  });
}

}  // namespace verdict::cli
