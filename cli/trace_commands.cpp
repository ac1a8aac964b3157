// `verdict replay`, `verdict shrink` and `verdict export`: what a user does
// with a trace file.
//
// A trace of a user's own model (one registered by the user's run_cli
// program, not built in) records the program that wrote it. Only the program
// that registers a model can rebuild its handlers, so replaying or shrinking
// it with another program, such as the installed `verdict`, hands the
// command over to the program named by --with. Never to the one the trace
// names: a trace file is input, and input does not choose what runs (a
// trace naming /bin/true would fake a clean replay). The recorded program is
// only quoted in the message that asks for --with.
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/check_runner.hpp"
#include "cli/commands.hpp"
#include "cli/outcome.hpp"
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

std::string recorded_program(const TraceFile& trace) {
  if (!trace.origin.is_object()) return "";
  auto it = trace.origin.find("program");
  return it != trace.origin.end() && it->is_string() ? it->get<std::string>() : "";
}

// Runs `with command_args...` in place of this process when --with names a
// program; returns when the trace's model is this program's own; throws when
// it is not and no --with says which program to run.
void hand_over_if_foreign(const ModelRegistry& models, const TraceFile& trace,
                          const std::string& with, const std::vector<std::string>& command_args) {
  if (with.empty()) {
    if (models.find(trace.model) != nullptr) return;
    const std::string recorded = recorded_program(trace);
    std::error_code ignored;
    // Nothing named, or this very program: build_model names the unknown
    // model and the known ones.
    if (recorded.empty() || std::filesystem::equivalent(recorded, self_executable(), ignored))
      return;
    throw UsageError(fmt::format(
        "model '{}' is not one of this program's; the trace says {} wrote it. A trace file "
        "does not choose what runs: pass --with PROGRAM, a program that registers '{}' "
        "(e.g. --with {}, if you trust it)",
        trace.model, recorded, trace.model, recorded));
  }
  const std::string& program = with;
  std::error_code ignored;
  if (std::filesystem::equivalent(program, self_executable(), ignored))
    return;  // it is us: nothing better to run
  if (access(program.c_str(), X_OK) != 0)
    throw UsageError(fmt::format("--with {}: not a program that can be run here", program));
  fmt::print(stderr, "model '{}' is not built in: handing over to {}\n", trace.model, program);
  std::fflush(stdout);
  std::fflush(stderr);
  std::vector<std::string> args{program};
  args.insert(args.end(), command_args.begin(), command_args.end());
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  execv(program.c_str(), argv.data());
  throw UsageError(fmt::format("cannot run {}: {}", program, std::strerror(errno)));
}

LoadedTrace load(const ModelRegistry& models, const std::string& path, const std::string& with,
                 const std::vector<std::string>& command_args) {
  LoadedTrace loaded;
  try {
    loaded.trace = read_trace_file(path);
    hand_over_if_foreign(models, loaded.trace, with, command_args);
    loaded.model = build_model(models, config_from_trace(models, loaded.trace));
  } catch (const TraceError& e) {
    throw UsageError(e.what());
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("{}: {}", path, e.what()));
  }
  return loaded;
}

void add_with_option(CLI::App& cmd, std::string& with) {
  cmd.add_option("--with", with,
                 "Hand the command to this program, one that registers the trace's model (a "
                 "user's run_cli program); the program a trace records is never run unless "
                 "named here");
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
    std::string with;
    bool quiet = false;
    bool json = false;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("TRACE", o->path, "Trace file (JSON)")->required();
  auto* quiet = cmd->add_flag("--quiet,-q", o->quiet, "Print only the verdict line");
  cmd->add_flag("--json", o->json, "Print the outcome as JSON")->excludes(quiet);
  add_with_option(*cmd, o->with);
  cmd->callback([o, &models, &exit_code] {
    std::vector<std::string> args{"replay", o->path};
    if (o->quiet) args.emplace_back("--quiet");
    if (o->json) args.emplace_back("--json");
    LoadedTrace loaded = load(models, o->path, o->with, args);
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
    std::string with;
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("TRACE", o->path, "Trace file (JSON)")->required();
  cmd->add_option("-o,--output", o->out, "Where to write the shrunk trace")->required();
  add_with_option(*cmd, o->with);
  cmd->callback([o, &models, &exit_code] {
    LoadedTrace loaded = load(models, o->path, o->with, {"shrink", o->path, "--output", o->out});
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
