#include "traces/export.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>

#include "checkers/html_escape.hpp"
#include "simulator/system.hpp"

namespace verdict {

namespace {

bool is_fault(const std::string& kind) {
  return kind == "drop" || kind == "duplicate" || kind == "crash" || kind == "reboot" ||
         kind == "partition" || kind == "heal";
}

// A node number 0..kMaxNodes-1 from the file, or -1 (the network lane). The
// bound keeps every drawing and vector clock at most kMaxNodes + 1 lanes wide,
// whatever numbers a file holds.
int node_of(const nlohmann::json& j, const char* field) {
  if (!j.is_object()) return -1;
  auto it = j.find(field);
  return it != j.end() && it->is_number_integer() && it->get<std::int64_t>() >= 0 &&
                 it->get<std::int64_t>() < static_cast<std::int64_t>(kMaxNodes)
             ? it->get<int>()
             : -1;
}

std::string lane_name(int lane) {
  return lane < 0 ? "network" : fmt::format("n{}", lane);
}

}  // namespace

TraceDiagram trace_diagram(const TraceFile& trace) {
  TraceDiagram d;
  std::set<int> lanes;
  // Packets in flight: (from, to, msg) -> the events that sent a copy, oldest first.
  std::map<std::string, std::vector<std::size_t>> in_flight;
  auto packet_key = [](int from, int to, const nlohmann::json& msg) {
    return fmt::format("{}>{}:{}", from, to, msg.dump());
  };

  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const TraceStep& step = trace.steps[i];
    const nlohmann::json& label = step.label;
    TraceEvent e;
    e.step = i + 1;
    const auto kind = label.is_object() ? label.find("step") : label.end();
    e.kind = label.is_object() && kind != label.end() && kind->is_string()
                 ? kind->get<std::string>()
                 : "step";
    e.text = step.text.empty() ? label.dump() : step.text;
    e.fault = is_fault(e.kind);
    e.violation = trace.violation_step && *trace.violation_step == i + 1 && !trace.cycle_steps;
    e.in_cycle = trace.cycle_steps && i + *trace.cycle_steps >= trace.steps.size();
    const int from = node_of(label, "from"), to = node_of(label, "to");
    if (e.kind == "deliver") {
      e.lane = to;
      auto& copies = in_flight[packet_key(from, to, label.value("msg", nlohmann::json()))];
      if (!copies.empty()) {
        e.sent_by = copies.front();
        copies.erase(copies.begin());
      }
    } else if (e.kind == "drop") {
      e.lane = from;
      auto& copies = in_flight[packet_key(from, to, label.value("msg", nlohmann::json()))];
      if (!copies.empty()) copies.erase(copies.begin());
    } else if (e.kind == "duplicate") {
      e.lane = from;
      auto& copies = in_flight[packet_key(from, to, label.value("msg", nlohmann::json()))];
      if (!copies.empty()) copies.push_back(copies.front());
    } else {
      e.lane = node_of(label, "node");
    }
    lanes.insert(e.lane);
    const std::size_t index = d.events.size();
    if (step.touched.is_object())
      for (const auto& p : step.touched.value("sent", nlohmann::json::array())) {
        const int sender = node_of(p, "from"), receiver = node_of(p, "to");
        lanes.insert(sender);
        lanes.insert(receiver);
        in_flight[packet_key(sender, receiver, p.value("msg", nlohmann::json()))].push_back(index);
      }
    d.events.push_back(std::move(e));
  }
  d.lanes.assign(lanes.begin(), lanes.end());
  return d;
}

std::string export_html(const TraceFile& trace) {
  const TraceDiagram d = trace_diagram(trace);
  const int lane_gap = 170, left = 90, top = 70, row = 34;
  std::map<int, int> lane_x;
  for (std::size_t i = 0; i < d.lanes.size(); ++i)
    lane_x[d.lanes[i]] = left + static_cast<int>(i) * lane_gap;
  const int width = left + static_cast<int>(d.lanes.size()) * lane_gap + 420;
  const int height = top + static_cast<int>(d.events.size() + 1) * row;
  auto y_of = [&](std::size_t event) { return top + static_cast<int>(event + 1) * row; };

  std::ostringstream svg;
  svg << fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" id="chart">)", width,
      height);
  svg << R"(<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" )"
         R"(markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" )"
         R"(fill="#3465a4"/></marker></defs>)";
  for (std::size_t i = 0; i < d.events.size(); ++i)
    if (d.events[i].violation || d.events[i].in_cycle)
      svg << fmt::format(R"(<rect class="{}" x="0" y="{}" width="{}" height="{}" fill="{}"/>)",
                         d.events[i].violation ? "violation" : "cycle", y_of(i) - row / 2, width,
                         row, d.events[i].violation ? "#fce94f" : "#dbe9f7");
  for (int lane : d.lanes) {
    svg << fmt::format(R"(<text class="lane" x="{}" y="{}" text-anchor="middle">{}</text>)",
                       lane_x[lane], top - 20, lane_name(lane));
    svg << fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#888"/>)", lane_x[lane],
                       top - 10, height - 10);
  }
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    const TraceEvent& e = d.events[i];
    if (e.sent_by)
      svg << fmt::format(
          R"~(<line class="message" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#3465a4" marker-end="url(#arrow)"/>)~",
          lane_x[d.events[*e.sent_by].lane], y_of(*e.sent_by), lane_x[e.lane], y_of(i));
  }
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    const TraceEvent& e = d.events[i];
    const char* color = e.violation ? "#cc0000" : e.fault ? "#ce5c00" : "#2e3436";
    // The kind comes from the file: escaped like every other text from it.
    svg << fmt::format(R"(<g class="event {}{}" data-step="{}">)", escape_html(e.kind),
                       e.fault ? " fault" : "", e.step);
    svg << fmt::format(R"(<circle cx="{}" cy="{}" r="5" fill="{}"/>)", lane_x[e.lane], y_of(i),
                       color);
    svg << fmt::format(R"(<text x="{}" y="{}" fill="{}">{}. {}</text>)",
                       lane_x[d.lanes.back()] + 40, y_of(i) + 4, color, e.step,
                       escape_html(e.text));
    svg << "</g>";
  }
  svg << "</svg>";

  std::string params;
  for (const auto& [k, v] : trace.params) params += fmt::format(" {}={}", k, v);
  const std::string violating =
      !trace.cycle_steps ? (trace.violation_step ? std::to_string(*trace.violation_step) : "none")
      : *trace.cycle_steps == 0
          ? fmt::format("none: a lasso that stops after step {}", trace.steps.size())
          : fmt::format(
                "none: a lasso whose cycle (shaded, steps {} to {}) returns to the world "
                "after step {}, for ever",
                trace.steps.size() - *trace.cycle_steps + 1, trace.steps.size(),
                trace.steps.size() - *trace.cycle_steps);
  std::string title = fmt::format(
      "{} — {}", trace.model, trace.property.empty() ? "trace" : "violation of " + trace.property);
  return fmt::format(
      R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{0}</title>
<style>body{{font-family:sans-serif;margin:1em}} svg text{{font-family:monospace;font-size:12px}}
.lane{{font-weight:bold}} .meta{{color:#555}}</style></head>
<body><h1>{0}</h1>
<p class="meta">model {1}; params{2}; transforms [{3}]; faults [{4}]; {5} steps; violating step {6}</p>
{7}
</body></html>
)",
      escape_html(title), escape_html(trace.model), escape_html(params),
      escape_html(fmt::format("{}", fmt::join(trace.transforms, ", "))),
      escape_html(fmt::format("{}", fmt::join(trace.faults, ", "))), trace.steps.size(),
      escape_html(violating), svg.str());
}

// GCC 12 warns, wrongly, of an uninitialized optional inside Boost's edge
// iterator when write_graphviz_dp is inlined here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
std::string export_dot(const TraceFile& trace) {
  const TraceDiagram d = trace_diagram(trace);
  struct Vertex {
    std::string label;
    std::string color;
  };
  struct Edge {
    std::string style;
  };
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, Vertex, Edge>;
  Graph g(d.events.size());
  std::map<int, std::size_t> last_on_lane;
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    const TraceEvent& e = d.events[i];
    g[i].label = fmt::format("{}: {} {}", e.step, lane_name(e.lane), e.text);
    g[i].color = e.violation ? "red" : e.fault ? "orange" : e.in_cycle ? "blue" : "black";
    if (auto it = last_on_lane.find(e.lane); it != last_on_lane.end())
      boost::add_edge(it->second, i, Edge{"dashed"}, g);
    last_on_lane[e.lane] = i;
    if (e.sent_by) boost::add_edge(*e.sent_by, i, Edge{"solid"}, g);
  }
  // A lasso's cycle returns to where it began: a bold edge closes it.
  if (trace.cycle_steps && *trace.cycle_steps > 0 && !d.events.empty())
    boost::add_edge(d.events.size() - 1, d.events.size() - *trace.cycle_steps, Edge{"bold"}, g);
  std::ostringstream out;
  boost::dynamic_properties props;
  props.property("node_id", boost::get(boost::vertex_index, g));
  props.property("label", boost::get(&Vertex::label, g));
  props.property("color", boost::get(&Vertex::color, g));
  props.property("style", boost::get(&Edge::style, g));
  boost::write_graphviz_dp(out, g, props);
  return out.str();
}
#pragma GCC diagnostic pop

std::string export_shiviz(const TraceFile& trace) {
  const TraceDiagram d = trace_diagram(trace);
  // Vector clocks: each event ticks its lane; a delivery first merges the
  // sender's clock at the send.
  std::vector<std::map<std::string, int>> clocks(d.events.size());
  std::map<int, std::map<std::string, int>> lane_clock;
  std::ostringstream out;
  out << "# ShiViz log; parse with: (?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})\n";
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    const TraceEvent& e = d.events[i];
    auto clock = lane_clock[e.lane];
    if (e.sent_by)
      for (const auto& [host, tick] : clocks[*e.sent_by]) clock[host] = std::max(clock[host], tick);
    ++clock[lane_name(e.lane)];
    clocks[i] = clock;
    lane_clock[e.lane] = clock;
    out << fmt::format("{}. {}{}\n", e.step, e.text, e.violation ? "  [VIOLATION]" : "");
    out << lane_name(e.lane) << ' ' << nlohmann::json(clock).dump() << '\n';
  }
  return out.str();
}

}  // namespace verdict
