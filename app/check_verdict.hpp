// What a check's JSON report means for the process that ran it: its exit
// code, and the `sometimes` properties the search failed to reach. Read by
// the report writer (check_runner.hpp) and by a check suite, which judges
// its configurations' reports together (cli/outcome.cpp).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/exit_codes.hpp"

namespace verdict {

// The `sometimes` properties a complete search never reached. Each claims
// that its condition is reachable within the bounds; a complete search that
// did not reach it disproved the claim (an incomplete one proved nothing).
inline std::vector<std::string> unreached_properties(const nlohmann::json& report) {
  std::vector<std::string> names;
  if (!report["complete"].get<bool>()) return names;
  for (const auto& p : report["properties"])
    if (p["kind"] == "sometimes" && p["outcome"] == "not_reached")
      names.push_back(p["name"].get<std::string>());
  return names;
}

// The exit code a check's report calls for: a violation, then a handler that
// diverged, then a search stopped early, then a `sometimes` property a
// complete search never reached (a failure too: the bounds do not reach what
// the model says they do), then none.
inline int check_exit_code(const nlohmann::json& report) {
  if (!report["violation"].is_null()) return exit_code::violation;
  if (report.contains("nondeterminism")) return exit_code::diverged;
  if (!report["complete"].get<bool>()) return exit_code::incomplete;
  if (!unreached_properties(report).empty()) return exit_code::violation;
  return exit_code::ok;
}

}  // namespace verdict
