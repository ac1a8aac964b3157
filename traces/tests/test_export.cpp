// Export: HTML sequence chart, DOT and ShiViz from a real trace; the HTML is
// loaded in headless Chromium when it is installed (CI installs it).
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <catch2/catch.hpp>

#include "traces/export.hpp"
#include "traces/tests/trace_fixtures.hpp"

using namespace verdict;

namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return out;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  pclose(pipe);
  return out;
}

}  // namespace

TEST_CASE("The diagram pairs each delivery with the step that sent it", "[export]") {
  TraceFile t = test::lockserv_duplicate_trace();
  TraceDiagram d = trace_diagram(t);
  CHECK(d.lanes == std::vector<int>{0, 1, 2});
  REQUIRE(d.events.size() == t.steps.size());
  for (const auto& e : d.events) {
    if (e.kind == "deliver") {
      REQUIRE(e.sent_by.has_value());
      CHECK(*e.sent_by < e.step - 1);
    }
  }
  CHECK(d.events.back().violation);
}

TEST_CASE("HTML, DOT and ShiViz exports carry every step", "[export]") {
  TraceFile t = test::lockserv_duplicate_trace();
  const std::size_t deliveries = static_cast<std::size_t>(
      std::count_if(t.steps.begin(), t.steps.end(),
                    [](const TraceStep& s) { return s.label["step"] == "deliver"; }));

  std::string html = export_html(t);
  CHECK(count(html, "class=\"event ") == t.steps.size());
  CHECK(count(html, "class=\"message\"") == deliveries);
  CHECK(count(html, "class=\"violation\"") == 1);
  CHECK(count(html, "class=\"event duplicate fault\"") == 1);
  CHECK(html.find("http") == html.find("http://www.w3.org/2000/svg"));  // no other links

  std::string dot = export_dot(t);
  CHECK(dot.rfind("digraph", 0) == 0);
  CHECK(count(dot, "style=solid") == deliveries);
  CHECK(count(dot, "color=red") == 1);

  std::string shiviz = export_shiviz(t);
  CHECK(count(shiviz, "\nn") == t.steps.size());
  CHECK(shiviz.find("[VIOLATION]") != std::string::npos);
}

TEST_CASE("Text from the trace file is escaped in the HTML, attributes included", "[export]") {
  TraceFile t = test::lockserv_duplicate_trace();
  t.steps[0].label["step"] = "x\" onmouseover=\"alert(1)";
  t.steps[1].label["step"] = 42;  // not a string: drawn as a plain step
  t.steps[2].text = "<script>alert(2)</script>";
  t.model = "<img src=x onerror=alert(3)>";
  const std::string html = export_html(t);
  CHECK(html.find("onmouseover=\"") == std::string::npos);
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("&lt;script&gt;") != std::string::npos);
}

TEST_CASE("The HTML chart shows client I/O on a lane, node states and the violation", "[export]") {
  TraceFile t;
  t.model = "kv";
  t.property = "linearizable";
  t.violation_step = 2;
  nlohmann::json get = {{"op", "get"}, {"key", "k"}, {"value", nullptr}};
  t.steps.push_back({{{"step", "input"}, {"client", 0}, {"node", 0}, {"input", get}},
                     "0000000000000001",
                     "input c0->n0 get k",
                     {{"nodes", {{"0", {{"k", "1"}}}}},
                      {"sent", nlohmann::json::array()},
                      {"outputs", {{{"node", 0}, {"output", {{"key", "k"}, {"after", "1"}}}}}}}});
  t.steps.push_back({{{"step", "timeout"}, {"node", 0}, {"timer", "tick"}},
                     "0000000000000002",
                     "timeout n0 tick",
                     {{"nodes", {{"0", {{"k", "</script><script>alert(1)</script>"}}}}},
                      {"sent", nlohmann::json::array()}}});
  const std::string html = export_html(t);
  CHECK(html.find(">clients</text>") != std::string::npos);
  CHECK(count(html, "<g class=\"io in\">") == 1);
  CHECK(count(html, "<g class=\"io out\">") == 1);
  // The input without its null field; the output as the node wrote it.
  CHECK(html.find(
            "<title>c0 {&quot;key&quot;:&quot;k&quot;,&quot;op&quot;:&quot;get&quot;}</title>") !=
        std::string::npos);
  CHECK(html.find("<title>n0 {&quot;after&quot;:&quot;1&quot;,&quot;key&quot;:&quot;k&quot;}") !=
        std::string::npos);
  CHECK(html.find("VIOLATED: linearizable after step 2") != std::string::npos);
  // Node states ride along for the detail panel, unable to close their script.
  CHECK(html.find("id=\"steps\"") != std::string::npos);
  CHECK(html.find("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)") != std::string::npos);
  CHECK(count(html, "</script>") == 2);

  TraceFile quiet = t;
  quiet.steps.pop_back();
  quiet.steps[0].label = {{"step", "timeout"}, {"node", 0}, {"timer", "tick"}};
  quiet.steps[0].touched.erase("outputs");
  quiet.property.clear();
  quiet.violation_step.reset();
  const std::string plain = export_html(quiet);
  CHECK(plain.find(">clients</text>") == std::string::npos);
  CHECK(plain.find("no violation recorded") != std::string::npos);
}

TEST_CASE("Node numbers a file makes up do not widen the drawings", "[export]") {
  TraceFile t = test::lockserv_duplicate_trace();
  for (auto& step : t.steps)
    if (step.label.contains("node")) step.label["node"] = 1000000;
  const TraceDiagram d = trace_diagram(t);
  CHECK(d.lanes.size() <= kMaxNodes + 1);
  for (const auto& e : d.events) CHECK(e.lane < static_cast<int>(kMaxNodes));
  CHECK(export_shiviz(t).size() < 64 * 1024);
}

TEST_CASE("The HTML chart renders in headless Chromium", "[export][browser]") {
  if (run("command -v chromium").empty()) {
    WARN("chromium is not installed; CI installs it (scripts/install-deps --ci)");
    return;
  }
  TraceFile t = test::lockserv_duplicate_trace();
  const std::string path =
      std::string(std::getenv("PWD") ? std::getenv("PWD") : ".") + "/export-test.html";
  std::ofstream(path) << export_html(t);
  std::string dom =
      run("timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
          "--disable-background-networking --disable-component-update --disable-sync "
          "--user-data-dir=$(mktemp -d) --dump-dom file://" +
          path + " 2>/dev/null");
  CHECK(count(dom, "class=\"event ") == t.steps.size());
  CHECK(dom.find("<svg") != std::string::npos);
  CHECK(dom.find("mutual-exclusion") != std::string::npos);
  std::remove(path.c_str());
}

// A trace of a linearizability violation carries the history it judged
// (TraceFile::evidence); the HTML export checks it again and draws it.
TEST_CASE("The HTML export draws the evidence's history, and survives a hostile one", "[export]") {
  TraceFile t = test::lockserv_duplicate_trace();
  const nlohmann::json put_then_stale_get = nlohmann::json::parse(R"({
    "verdict_history": 2, "failed_ops": "knossos", "model": "vard", "events": [
      {"process": 0, "type": "invoke", "f": "put", "key": "x", "value": "1"},
      {"process": 0, "type": "ok", "f": "put", "key": "x", "value": ["1", null]},
      {"process": 1, "type": "invoke", "f": "get", "key": "x", "value": null},
      {"process": 1, "type": "ok", "f": "get", "key": "x", "value": [null, null]}]})");
  t.evidence = {{"history", put_then_stale_get}};
  const std::string drawn = export_html(t);
  CHECK(drawn.find("<div id=\"history\">") != std::string::npos);
  CHECK(drawn.find("not-linearizable") != std::string::npos);
  CHECK(drawn.find("process 1") != std::string::npos);
  CHECK(drawn.find("g.op.stuck") != std::string::npos);  // its styles came along, scoped

  // Bad evidence is shown as bad input, escaped; the chart is still drawn.
  t.evidence = {{"history", {{"model", "vard"}, {"events", {{{"process", "<script>x"}}}}}}};
  const std::string bad = export_html(t);
  CHECK(bad.find("bad input") != std::string::npos);
  CHECK(bad.find("<script>x") == std::string::npos);
  CHECK(bad.find("id=\"chart\"") != std::string::npos);
  t.evidence = {{"history", {{"model", "<b>no such spec</b>"}}}};
  CHECK(export_html(t).find("names no specification") != std::string::npos);
  // No evidence: no section.
  t.evidence = nullptr;
  CHECK(export_html(t).find("<div id=\"history\">") == std::string::npos);
}
