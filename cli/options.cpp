#include "cli/options.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace verdict::cli {

CLI::Validator positive_seconds() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        const char* end = text.data() + text.size();
        auto [stop, error] = std::from_chars(text.data(), end, value);
        if (error != std::errc{} || stop != end || !std::isfinite(value) || value <= 0)
          return fmt::format("must be a positive number of seconds, not \"{}\"", text);
        return {};
      },
      "SECONDS>0");
}

CLI::Validator whole_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const bool digits =
            !text.empty() && text.size() <= 19 &&
            std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits) return fmt::format("must be a whole number below 10^19, not \"{}\"", text);
        return {};
      },
      "N>=0");
}

void add_model_options(CLI::App& cmd, ModelOptions& options) {
  cmd.add_option("MODEL", options.model, "Model to check (see `verdict models`)")->required();
  cmd.add_option("--param,-p", options.params, "Model parameter name=value (repeatable)");
  cmd.add_option("--transform", options.transforms,
                 "Transformers to wrap the system in, innermost first: T[,T...]");
  cmd.add_option("--faults", options.faults,
                 "Faults the network may inject: drop, duplicate, crash, reboot, partition");
  cmd.add_option("--budget", options.budgets,
                 fmt::format("Fault budgets over the whole run, e.g. drop=2,duplicate=1 "
                             "(a listed fault without one gets {}; reboots are bounded by crashes)",
                             kDefaultFaultBudget));
  cmd.add_flag("--ordered", options.ordered, "Per-link FIFO delivery instead of an unordered bag");
}

}  // namespace verdict::cli
