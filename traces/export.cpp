#include "traces/export.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>

#include "checkers/html_escape.hpp"
#include "checkers/linearizability/history_file.hpp"
#include "checkers/linearizability/html_report.hpp"
#include "simulator/system.hpp"
#include "traces/html_script.hpp"

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

namespace {

// An input as its System writes it, without the fields it leaves null (an
// operation's unused operands).
nlohmann::json real_fields(nlohmann::json input) {
  if (!input.is_object()) return input;
  for (auto it = input.begin(); it != input.end();)
    it = it->is_null() ? input.erase(it) : std::next(it);
  return input;
}

// At most `limit` characters of text, with "…" when cut.
std::string clip(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

// The client I/O of each step: inputs (from the label) and outputs (from
// what the step changed).
struct StepIo {
  std::optional<std::string> input;                  // "c0 {...}"
  std::vector<std::pair<int, std::string>> outputs;  // node, output
};

StepIo io_of(const TraceStep& step) {
  StepIo io;
  const nlohmann::json& label = step.label;
  if (label.is_object() && label.value("step", nlohmann::json()) == "input") {
    const nlohmann::json client = label.value("client", nlohmann::json());
    io.input = fmt::format("c{} {}", client.is_number_integer() ? client.dump() : "?",
                           real_fields(label.value("input", nlohmann::json())).dump());
  }
  if (step.touched.is_object())
    for (const auto& o : step.touched.value("outputs", nlohmann::json::array()))
      io.outputs.emplace_back(node_of(o, "node"), o.value("output", nlohmann::json()).dump());
  return io;
}

constexpr const char* kExportScript = R"JS(
const steps = JSON.parse(document.getElementById("steps").textContent);
// The last state recorded for node n before step i (a step records the
// nodes it changed), or undefined.
function before(n, i) {
  for (let j = i - 1; j >= 0; --j) {
    const t = steps[j].touched;
    if (t && t.nodes && t.nodes[n] !== undefined) return t.nodes[n];
  }
  return undefined;
}
function show(i) {
  const s = steps[i], t = s.touched || {};
  let html = "<h2>" + (i + 1) + ". " + esc(s.text) + "</h2>";
  const nodes = t.nodes || {};
  const ids = Object.keys(nodes);
  html += ids.length ? "" : "<p>no node's state changed</p>";
  ids.forEach(n => {
    const prev = before(n, i);
    html += "<h3>n" + esc(n) + (prev === undefined ? " (first change in the trace)" : "") + "</h3><pre>" +
            jsonHtml(nodes[n], prev, prev !== undefined, 0) + "</pre>";
  });
  (t.sent || []).forEach(p => { html += "<p>sends n" + esc(p.from) + "&rarr;n" + esc(p.to) + " " + compact(p.msg) + "</p>"; });
  (t.outputs || []).forEach(o => { html += "<p>n" + esc(o.node) + " outputs " + compact(o.output) + "</p>"; });
  if (t.down) html += "<p>down: " + esc(t.down.map(n => "n" + n).join(", ") || "none") + "</p>";
  if (i + 1 === steps.violation) html += '<p class="bad">VIOLATED after this step: ' + esc(steps.property) + "</p>";
  document.getElementById("detail").innerHTML = html;
  document.querySelectorAll("g.event.selected").forEach(g => g.classList.remove("selected"));
  document.querySelector('g.event[data-step="' + (i + 1) + '"]').classList.add("selected");
}
document.querySelectorAll("g.event").forEach(g => {
  const i = Number(g.dataset.step) - 1;
  g.addEventListener("mouseenter", () => show(i));
  g.addEventListener("click", () => show(i));
});
)JS";

// The history a linearizability property judged (the trace's evidence),
// checked again and drawn as `verdict lincheck --html` draws it: the longest
// linearizable prefix and the operations that could not come next. The
// evidence is data from a file like any other: read by the history reader's
// limits, checked with a time limit, every text escaped.
std::string history_section(const TraceFile& trace) {
  if (!trace.evidence.is_object() || !trace.evidence.contains("history")) return "";
  const std::string name = "the clients' history";
  std::string body;
  try {
    const nlohmann::json& h = trace.evidence["history"];
    const auto model = h.is_object() && h.contains("model") && h["model"].is_string()
                           ? lincheck::spec_from_string(h["model"].get<std::string>())
                           : std::nullopt;
    if (!model) throw std::runtime_error("its \"model\" names no specification lincheck knows");
    const lincheck::LoadedHistory loaded = lincheck::load_history(h.dump(), name, *model);
    lincheck::CheckOptions options;
    options.threads = 1;
    options.timeout_seconds = 10;
    body = lincheck::html_history_section(name, loaded, lincheck::check_loaded(loaded, options),
                                          options);
  } catch (const std::exception& e) {
    body = lincheck::html_error_section(name, e.what());
  }
  return fmt::format("<div id=\"history\"><style>{}</style>\n{}{}</div>\n",
                     lincheck::html_styles("#history"), lincheck::html_legend(), body);
}

}  // namespace

std::string export_html(const TraceFile& trace) {
  const TraceDiagram d = trace_diagram(trace);
  std::vector<StepIo> io;
  bool has_io = false;
  for (const auto& step : trace.steps) {
    io.push_back(io_of(step));
    has_io = has_io || io.back().input || !io.back().outputs.empty();
  }
  // Rows are taller with client I/O: its arrows and their text share a row.
  const int lane_gap = 170, left = 90, top = 70, row = has_io ? 44 : 34;
  // The clients' lane, leftmost, when the trace has client I/O.
  const int clients_x = left;
  std::map<int, int> lane_x;
  for (std::size_t i = 0; i < d.lanes.size(); ++i)
    lane_x[d.lanes[i]] = left + static_cast<int>(i + (has_io ? 1 : 0)) * lane_gap;
  const int lanes_shown = static_cast<int>(d.lanes.size()) + (has_io ? 1 : 0);
  const int width = left + lanes_shown * lane_gap + 420;
  const int height = top + static_cast<int>(d.events.size() + 2) * row;
  auto y_of = [&](std::size_t event) { return top + static_cast<int>(event + 1) * row; };
  const int text_x = left + (lanes_shown - 1) * lane_gap + 40;

  std::ostringstream svg;
  svg << fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" id="chart">)", width,
      height);
  svg << R"(<defs>)";
  for (const auto& [id, color] :
       {std::pair{"arrow", "#3465a4"}, {"in-arrow", "#4e9a06"}, {"out-arrow", "#75507b"}})
    svg << fmt::format(
        R"(<marker id="{}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" )"
        R"(markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" )"
        R"(fill="{}"/></marker>)",
        id, color);
  svg << R"(</defs>)";
  for (std::size_t i = 0; i < d.events.size(); ++i)
    if (d.events[i].violation || d.events[i].in_cycle)
      svg << fmt::format(R"(<rect class="{}" x="0" y="{}" width="{}" height="{}" fill="{}"/>)",
                         d.events[i].violation ? "violation" : "cycle", y_of(i) - row / 2, width,
                         row, d.events[i].violation ? "#fce94f" : "#dbe9f7");
  auto draw_lane = [&](int x, const std::string& name) {
    svg << fmt::format(R"(<text class="lane" x="{}" y="{}" text-anchor="middle">{}</text>)", x,
                       top - 20, escape_html(name));
    svg << fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#888"/>)", x, top - 10,
                       height - 10);
  };
  if (has_io) draw_lane(clients_x, "clients");
  for (int lane : d.lanes) draw_lane(lane_x[lane], lane_name(lane));
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    const TraceEvent& e = d.events[i];
    if (e.sent_by)
      svg << fmt::format(
          R"~(<line class="message" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#3465a4" marker-end="url(#arrow)"/>)~",
          lane_x[d.events[*e.sent_by].lane], y_of(*e.sent_by), lane_x[e.lane], y_of(i));
  }
  // Client I/O: an input arrow into the node at its step, output arrows out
  // of it just below, each with its text (clipped; whole in the tooltip).
  // Client I/O: an input arrow into the node at its step, its text above;
  // output arrows out of the node just below, their text under them
  // (clipped; whole in the tooltip).
  auto io_arrow = [&](bool input, int x1, int x2, int y, const std::string& text) {
    svg << fmt::format(
        R"~(<g class="io {0}"><title>{1}</title><line x1="{2}" y1="{3}" x2="{4}" y2="{3}" stroke="{5}" marker-end="url(#{0}-arrow)"/>)~"
        R"~(<text x="{6}" y="{7}" fill="{5}" font-size="11">{8}</text></g>)~",
        input ? "in" : "out", escape_html(text), x1, y, x2, input ? "#4e9a06" : "#75507b",
        clients_x + 6, input ? y - 3 : y + 11, escape_html(clip(text, 22)));
  };
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    if (io[i].input) io_arrow(true, clients_x, lane_x[d.events[i].lane], y_of(i), *io[i].input);
    int offset = 8;
    for (const auto& [node, output] : io[i].outputs) {
      const int x = lane_x.count(node) ? lane_x[node] : lane_x[d.events[i].lane];
      io_arrow(false, x, clients_x, y_of(i) + offset, fmt::format("n{} {}", node, output));
      offset += 12;
    }
  }
  for (std::size_t i = 0; i < d.events.size(); ++i) {
    const TraceEvent& e = d.events[i];
    const char* color = e.violation ? "#cc0000" : e.fault ? "#ce5c00" : "#2e3436";
    // The kind comes from the file: escaped like every other text from it.
    svg << fmt::format(R"(<g class="event {}{}" data-step="{}">)", escape_html(e.kind),
                       e.fault ? " fault" : "", e.step);
    svg << fmt::format(R"(<rect x="0" y="{}" width="{}" height="{}" fill="transparent"/>)",
                       y_of(i) - row / 2, width, row);
    svg << fmt::format(R"(<circle cx="{}" cy="{}" r="5" fill="{}"/>)", lane_x[e.lane], y_of(i),
                       color);
    svg << fmt::format(R"(<text x="{}" y="{}" fill="{}">{}. {}</text>)", text_x, y_of(i) + 4, color,
                       e.step, escape_html(e.text));
    svg << "</g>";
  }
  // How the trace ends: the violated property, or none recorded.
  const std::string verdict =
      trace.property.empty() || !trace.violation_step ? "no violation recorded"
      : *trace.violation_step == 0
          ? fmt::format("✗ VIOLATED: {} in the initial state", trace.property)
          : fmt::format("✗ VIOLATED: {} after step {}", trace.property, *trace.violation_step);
  svg << fmt::format(
      R"(<text class="verdict" x="{}" y="{}" fill="{}" font-weight="bold">{}</text>)", text_x,
      y_of(d.events.size()) + 4, trace.property.empty() ? "#2e3436" : "#cc0000",
      escape_html(verdict));
  svg << "</svg>";

  nlohmann::json steps = nlohmann::json::array();
  for (const auto& step : trace.steps)
    steps.push_back(
        {{"text", step.text.empty() ? step.label.dump() : step.text}, {"touched", step.touched}});

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
.lane{{font-weight:bold}} .meta{{color:#555}} .bad{{color:#c00;font-weight:bold}}
#wrap{{display:flex;gap:1em;align-items:flex-start}} #scroll{{flex:1 1 auto;min-width:0;overflow-x:auto}}
#detail{{position:sticky;top:1em;min-width:22em;max-width:40em;border:1px solid #ccc;border-radius:6px;padding:.5em 1em;background:#fafafa}}
#detail pre{{font-size:12px;white-space:pre-wrap}} .chg{{background:#fff59d;outline:1px solid #fbc02d}}
g.event{{cursor:pointer}} g.event.selected rect{{fill:rgba(33,150,243,.15)}}</style></head>
<body><h1>{0}</h1>
<p class="meta">model {1}; params{2}; transforms [{3}]; faults [{4}]; {5} steps; violating step {6}</p>
<div id="wrap"><div id="scroll">{7}</div>
<div id="detail"><p>Point at a step (or click it) to see the node states it changed, what changed in them (highlighted), and what it sent and output.</p></div></div>
{11}<script type="application/json" id="steps">{8}</script>
<script type="text/javascript">{9}{10}</script>
</body></html>
)",
      escape_html(title), escape_html(trace.model), escape_html(params),
      escape_html(fmt::format("{}", fmt::join(trace.transforms, ", "))),
      escape_html(fmt::format("{}", fmt::join(trace.faults, ", "))), trace.steps.size(),
      escape_html(violating), svg.str(), json_for_script(steps), json_diff_script(),
      fmt::format("{}steps.violation = {};\nsteps.property = {};\n", kExportScript,
                  trace.violation_step ? std::to_string(*trace.violation_step) : "null",
                  json_for_script(trace.property)),
      history_section(trace));
}

// GCC 12 warns, wrongly, of an uninitialized optional inside Boost's edge
// iterator when write_graphviz_dp is inlined here (clang, which builds the
// fuzz targets, has no such warning).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
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
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

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
