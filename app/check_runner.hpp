// The glue between a search and the command line: turns a SearchResult into
// the versioned JSON report (README, "The report"; app/reports.hpp) and an
// exit code: 0 no violation and the bounded space covered, 1 violation, 4 no
// violation but a limit or an interrupt stopped the search early.
#pragma once

#include <vector>

#include "app/check_verdict.hpp"
#include "app/exit_codes.hpp"
#include "app/registry.hpp"
#include "app/reports.hpp"
#include "checkers/explore.hpp"

namespace verdict {

// Only the paths are written here, per model type; the rest of the report is
// app/reports.cpp's, compiled once.
template <Model M>
nlohmann::json search_report(const M& model, const CheckRequest& req, const SearchResult<M>& r,
                             const Semantics* semantics) {
  std::vector<PropertyReport> properties;
  for (const auto& p : r.properties) {
    PropertyReport& out = properties.emplace_back();
    out.name = p.name;
    out.expectation = p.expectation;
    out.outcome = p.outcome;
    out.cycle = p.cycle;
    if (p.example) out.example = path_report(model, *p.example);
  }
  return search_report(req, r, properties, r.violation, semantics);
}

}  // namespace verdict
