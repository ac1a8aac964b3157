#include "checkers/linearizability/html_report.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <fmt/format.h>

#include "checkers/html_escape.hpp"

namespace verdict::lincheck {

namespace {

constexpr int kLaneHeight = 26;
constexpr int kBarHeight = 18;
constexpr int kLeft = 80;  // room for the lane names
constexpr int kTop = 24;   // room for the axis

// What the drawing says of one operation beyond its bar.
struct Mark {
  enum class Kind { plain, prefix, stuck } kind = Kind::plain;
  std::size_t order = 0;  // prefix: 1-based place in the linearization
  std::string note;       // prefix: the state after it; stuck: why
};

struct Bar {
  std::size_t index;  // in the history
  int client;
  std::uint64_t call, ret;  // event numbers; ret past the end when unknown
  bool known;
  std::string text;
};

std::string line_of(const LoadedHistory& loaded, std::uint64_t position) {
  if (position >= 1 && position <= loaded.event_lines.size())
    return std::to_string(loaded.event_lines[position - 1]);
  return "end";
}

// One part (a key, or the whole history) as an SVG timeline.
std::string part_svg(const LoadedHistory& loaded, const std::vector<Bar>& bars,
                     const std::unordered_map<std::size_t, Mark>& marks) {
  std::uint64_t first = ~std::uint64_t{0}, last = 0;
  std::map<int, int> lanes;  // client -> lane
  for (const Bar& b : bars) {
    first = std::min(first, b.call);
    last = std::max(last, b.ret);
    lanes.emplace(b.client, 0);
  }
  int lane = 0;
  for (auto& [client, l] : lanes) l = lane++;
  const std::uint64_t span = last - first + 1;
  // Wide enough to read, at most about 20,000 pixels.
  const double scale = std::clamp(20000.0 / static_cast<double>(span), 1.0, 64.0);
  auto x = [&](std::uint64_t position) {
    return kLeft + static_cast<double>(position - first) * scale;
  };
  const double width = x(last) + 20;
  const int height = kTop + lane * kLaneHeight + 8;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" height=\"{}\" "
      "class=\"timeline\">\n",
      width, height);
  for (const auto& [client, l] : lanes) {
    const int y = kTop + l * kLaneHeight;
    svg += fmt::format(
        "<text class=\"lane\" x=\"4\" y=\"{}\">process {}</text>\n"
        "<line class=\"lane\" x1=\"{}\" y1=\"{}\" x2=\"{:.0f}\" y2=\"{}\"/>\n",
        y + kBarHeight - 5, client, kLeft, y + kLaneHeight - 2, width, y + kLaneHeight - 2);
  }
  // The axis: file lines at about every 80 pixels.
  const std::uint64_t step = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(80 / scale));
  for (std::uint64_t p = first; p <= last; p += step) {
    svg += fmt::format("<text class=\"axis\" x=\"{:.1f}\" y=\"12\">line {}</text>\n", x(p),
                       line_of(loaded, p));
  }
  for (const Bar& b : bars) {
    const int y = kTop + lanes[b.client] * kLaneHeight;
    auto it = marks.find(b.index);
    const Mark mark = it == marks.end() ? Mark{} : it->second;
    const char* kind = mark.kind == Mark::Kind::prefix  ? "prefix"
                       : mark.kind == Mark::Kind::stuck ? "stuck"
                                                        : "plain";
    std::string tip = fmt::format("#{} process {}: {}\nlines {}..{}", b.index, b.client, b.text,
                                  line_of(loaded, b.call),
                                  b.known ? line_of(loaded, b.ret) : "(unknown outcome)");
    if (mark.kind == Mark::Kind::prefix) {
      tip += fmt::format("\nlinearized {}; state after: {}", mark.order, mark.note);
    } else if (mark.kind == Mark::Kind::stuck) {
      tip += "\ncould not come next: " + mark.note;
    }
    const double left = x(b.call), right = std::max(x(b.ret), left + 4);
    const std::string label =
        mark.kind == Mark::Kind::prefix ? fmt::format("{}. {}", mark.order, b.text) : b.text;
    svg += fmt::format(
        "<g class=\"op {}{}\" data-index=\"{}\"><title>{}</title>"
        "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" rx=\"3\"/>"
        "<text x=\"{:.1f}\" y=\"{}\">{}</text></g>\n",
        kind, b.known ? "" : " unknown", b.index, escape_html(tip), left, y, right - left,
        kBarHeight, left + 3, y + kBarHeight - 5,
        escape_html(label.substr(0, static_cast<std::size_t>((right - left) / 6))));
  }
  return svg + "</svg>\n";
}

template <class Spec>
std::string sections_of(const Spec& spec, const History<Spec>& history, const LoadedHistory& loaded,
                        const Result& result, const CheckOptions& options) {
  // The parts as the checker made them: by key when partitioned.
  std::vector<std::string> labels;
  std::map<std::string, std::vector<std::size_t>> parts;
  std::uint64_t end = 1;
  for (const auto& op : history) end = std::max({end, op.call + 1, op.ret + 1});
  for (std::size_t i = 0; i < history.size(); ++i) {
    std::string label;
    if (options.partition) label = detail::partition_label(spec, history[i]);
    auto [it, inserted] = parts.try_emplace(label);
    if (inserted) labels.push_back(label);
    it->second.push_back(i);
  }
  std::unordered_map<std::size_t, Mark> marks;
  const Counterexample* c = result.counterexample ? &*result.counterexample : nullptr;
  if (c) {
    // The state after each operation of the prefix, replayed from the part's start.
    Spec part_spec = spec;
    if constexpr (HasPartSpec<Spec>) {
      auto part = parts.find(c->partition);
      if (options.partition && part != parts.end())
        part_spec = spec.part_spec(spec.partition(history[part->second.front()].input));
    }
    typename Spec::State state = part_spec.initial();
    for (std::size_t k = 0; k < c->prefix.size(); ++k) {
      const std::size_t index = c->prefix[k].index;
      state = part_spec.apply(state, history[index].input).first;
      std::string described;
      if constexpr (Describable<Spec>) described = part_spec.describe_state(state);
      marks[index] = Mark{Mark::Kind::prefix, k + 1, described};
    }
    for (const StuckOperation& s : c->stuck)
      marks[s.operation.index] = Mark{Mark::Kind::stuck, 0, s.reason};
  }
  std::string out;
  for (const std::string& label : labels) {
    std::vector<Bar> bars;
    for (std::size_t i : parts[label]) {
      const auto& op = history[i];
      bars.push_back({i, op.client, op.call, op.output ? op.ret : end, op.output.has_value(),
                      detail::describe_operation(spec, op, i)});
    }
    const bool failed = c && c->partition == label;
    out += fmt::format("<h3 class=\"{}\">{}{}</h3>\n", failed ? "failed" : "",
                       label.empty() ? "history" : escape_html(label),
                       failed ? fmt::format(": not linearizable; longest linearizable prefix {} "
                                            "of {} completed operations",
                                            c->prefix.size(), c->total_known_operations)
                              : "");
    std::unordered_map<std::size_t, Mark> part_marks;
    if (failed) part_marks = marks;
    out += "<div class=\"scroll\">" + part_svg(loaded, bars, part_marks) + "</div>\n";
  }
  return out;
}

}  // namespace

std::string html_history_section(const std::string& file, const LoadedHistory& loaded,
                                 const Result& result, const CheckOptions& options) {
  std::string body = std::visit(
      [&](const auto& history) -> std::string {
        using H = std::decay_t<decltype(history)>;
        if constexpr (std::is_same_v<H, History<RegisterSpec>>) {
          return sections_of(RegisterSpec{loaded.initial.register_value}, history, loaded, result,
                             options);
        } else if constexpr (std::is_same_v<H, History<KvSpec>>) {
          return sections_of(KvSpec{{loaded.initial.map}}, history, loaded, result, options);
        } else {
          return sections_of(VardSpec{{loaded.initial.map}}, history, loaded, result, options);
        }
      },
      loaded.history);
  return fmt::format(
      "<section>\n<h2>{}: {}</h2>\n<p>{} operations; model {}; format {}; failed operations "
      "read as {}'s</p>\n{}</section>\n",
      escape_html(file), to_string(result.outcome), loaded.size(), to_string(loaded.spec),
      to_string(loaded.format), to_string(loaded.reading), body);
}

std::string html_error_section(const std::string& file, const std::string& error) {
  return fmt::format("<section>\n<h2>{}: bad input</h2>\n<pre>{}</pre>\n</section>\n",
                     escape_html(file), escape_html(error));
}

std::string html_styles(const std::string& scope) {
  static const char* const rules[] = {
      ".scroll { overflow-x: auto; border: 1px solid #ddd; margin-bottom: 1em; }",
      "h3.failed { color: #b00; }",
      "svg text { font: 10px monospace; }",
      "text.lane { font: 11px sans-serif; }",
      "line.lane { stroke: #eee; }",
      "g.op rect { fill: #ccc; stroke: #888; }",
      "g.op.unknown rect { stroke-dasharray: 3 2; fill: #eee; }",
      "g.op.prefix rect { fill: #9d9; stroke: #393; }",
      "g.op.stuck rect { fill: #f99; stroke: #c00; }",
      "g.op:hover rect { stroke: #000; stroke-width: 2; }",
  };
  std::string css;
  for (const char* rule : rules) css += (scope.empty() ? "" : scope + " ") + rule + "\n";
  return css;
}

std::string html_legend() {
  return "<p>A lane per process; a bar from each operation's call to its return (dashed: outcome "
         "unknown).\nGreen: the longest linearizable prefix found, in linearization order (hover "
         "for the state after\neach); red: the operations that could not come next.</p>\n";
}

std::string html_page(const std::string& title, const std::string& sections) {
  return fmt::format(R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{}</title>
<style>
body {{ font: 14px sans-serif; margin: 1em; }}
{}</style></head><body>
<h1>{}</h1>
{}{}</body></html>
)",
                     escape_html(title), html_styles(""), escape_html(title), html_legend(),
                     sections);
}

}  // namespace verdict::lincheck
