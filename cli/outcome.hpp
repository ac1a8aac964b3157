// What `check` and `simulate` share on the way out: the report file, the
// summary or JSON on stdout, the trace file of a violation and the command
// that replays it, and a Ctrl-C that stops a search cleanly.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include "app/registry.hpp"
#include "cli/cli_fwd.hpp"

namespace verdict::cli {

struct OutputOptions {
  bool json = false;
  bool progress = false;
  std::string report_path;
  std::string trace_out;

  void add_to(CLI::App& cmd);
  // --progress, or stderr is a terminal.
  bool show_progress() const;
  // Before a search: --report and --trace-out name files that can be written
  // (a UsageError otherwise), so that a long run does not end in losing them.
  void check_writable() const;
};

// Prints the outcome, writes the report and the trace file; `program` is the
// command that replays it (verdict, or a user's own run_cli program) and
// `reproduce` a command line printed after the trace path (empty: none).
void emit_outcome(const CheckOutcome& outcome, const OutputOptions& options,
                  const std::string& model, const std::string& program,
                  const std::string& reproduce = "");

// A check suite (ModelInfo::check_suite): one line for a configuration that
// ended (the i-th of n), printed as the suite goes; and the suite's outcome
// from its configurations' (`planned` of them were to run): their reports
// under "configurations", states and seconds summed, each property's worst
// outcome, the violation and its trace if one configuration found one.
void print_configuration_line(const nlohmann::json& report, std::size_t i, std::size_t n);
CheckOutcome join_suite(std::vector<CheckOutcome> parts, std::size_t planned);

// The absolute path of the running program (recorded in trace files, so that
// a trace of a user's own model can be handed back to the program that knows it).
std::string self_executable();

// While alive, Ctrl-C sets the flag instead of killing the process, so a
// search can stop and still report what it covered.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  const std::atomic<bool>* flag() const;
  bool interrupted() const;
};

}  // namespace verdict::cli
