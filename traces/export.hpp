// Export: draws a trace for people. One lane per node, messages as arrows
// from the step that sent them to the step that delivered them, faults
// marked, the violating step highlighted, a liveness lasso's cycle shaded
// (and, in DOT, closed by an edge back to its first step). Formats: a self-contained HTML
// page with an SVG sequence chart (no network access needed to open it), a
// DOT graph (Boost.Graph's graphviz writer) and ShiViz's log format (events
// with vector clocks, for https://bestchai.bitbucket.io/shiviz/).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "traces/trace_file.hpp"

namespace verdict {

// A trace as a happens-before diagram: events on lanes, message edges.
struct TraceEvent {
  std::size_t step = 0;  // 1-based
  std::string kind;      // the step relation: input, deliver, crash, ...
  int lane = 0;          // node number, or -1 for the network/environment as a whole
  std::string text;
  bool fault = false;
  bool violation = false;
  bool in_cycle = false;               // one of a lasso's cycle steps (TraceFile::cycle_steps)
  std::optional<std::size_t> sent_by;  // deliver: the event (index) that sent the packet
};

struct TraceDiagram {
  std::vector<int> lanes;  // node numbers in order; -1 first when present
  std::vector<TraceEvent> events;
};

TraceDiagram trace_diagram(const TraceFile& trace);

std::string export_html(const TraceFile& trace);
std::string export_dot(const TraceFile& trace);
std::string export_shiviz(const TraceFile& trace);

}  // namespace verdict
