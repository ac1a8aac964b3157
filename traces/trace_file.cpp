#include "traces/trace_file.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "checkers/bounded_input.hpp"
#include "simulator/json_support.hpp"

namespace verdict {

std::string fingerprint_hex(std::uint64_t fingerprint) {
  return fmt::format("{:016x}", fingerprint);
}

nlohmann::json trace_to_json(const TraceFile& t) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& s : t.steps) {
    nlohmann::json step{{"label", s.label}, {"fingerprint", s.fingerprint}};
    if (!s.text.empty()) step["text"] = s.text;
    if (!s.touched.is_null()) step["touched"] = s.touched;
    steps.push_back(std::move(step));
  }
  nlohmann::json j;
  j["format"] = "verdict-trace";
  j["format_version"] = t.cycle_steps ? kTraceFormatVersion : 1;
  j["verdict_version"] = t.verdict_version;
  j["model"] = t.model;
  j["params"] = t.params;
  j["transforms"] = t.transforms;
  j["semantics"] = {{"faults", t.faults}, {"budgets", t.budgets}, {"ordered", t.ordered}};
  j["seed"] = t.seed ? nlohmann::json(*t.seed) : nlohmann::json(nullptr);
  j["origin"] = t.origin.is_null() ? nlohmann::json::object() : t.origin;
  j["property"] = t.property;
  j["violation_step"] =
      t.violation_step ? nlohmann::json(*t.violation_step) : nlohmann::json(nullptr);
  j["init_index"] = t.init_index;
  j["initial_fingerprint"] = t.initial_fingerprint;
  j["steps"] = steps;
  if (t.cycle_steps) j["lasso"] = {{"cycle_steps", *t.cycle_steps}};
  if (!t.evidence.is_null()) j["evidence"] = t.evidence;
  return j;
}

namespace {

// Reads one field of an object, naming its path on any error.
class FieldReader {
 public:
  FieldReader(const nlohmann::json& object, std::string where)
      : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) throw TraceError(fmt::format("{} must be a JSON object", where_));
  }

  const nlohmann::json& required(const char* name) const {
    auto it = object_.find(name);
    if (it == object_.end())
      throw TraceError(fmt::format("{}: missing field \"{}\"", where_, name));
    return *it;
  }

  template <class T>
  T get(const char* name, const char* expected) const {
    const auto& field = required(name);
    try {
      return checked_get<T>(field);
    } catch (const std::exception&) {
      throw TraceError(
          fmt::format("{}: field \"{}\" must be {}, not {}", where_, name, expected, field.dump()));
    }
  }

  template <class T>
  std::optional<T> optional(const char* name, const char* expected) const {
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return std::nullopt;
    return get<T>(name, expected);
  }

  std::string fingerprint(const char* name) const {
    auto text = get<std::string>(name, "a string of 16 hex digits");
    bool hex = text.size() == 16 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
    if (!hex)
      throw TraceError(fmt::format("{}: field \"{}\" must be 16 lowercase hex digits, not \"{}\"",
                                   where_, name, text));
    return text;
  }

 private:
  const nlohmann::json& object_;
  std::string where_;
};

}  // namespace

TraceFile trace_from_json(const nlohmann::json& j) {
  FieldReader top(j, "trace");
  if (top.get<std::string>("format", "\"verdict-trace\"") != "verdict-trace")
    throw TraceError("trace: field \"format\" must be \"verdict-trace\"");
  int version = top.get<int>("format_version", "an integer");
  if (version < 1 || version > kTraceFormatVersion)
    throw TraceError(
        fmt::format("trace: format_version {} is not supported (this Verdict reads versions 1 "
                    "to {})",
                    version, kTraceFormatVersion));
  TraceFile t;
  t.verdict_version = top.get<std::string>("verdict_version", "a string");
  t.model = top.get<std::string>("model", "a model name");
  t.params = top.get<std::map<std::string, std::string>>("params", "an object of strings");
  t.transforms = top.get<std::vector<std::string>>("transforms", "an array of names");
  FieldReader semantics(top.required("semantics"), "trace.semantics");
  t.faults = semantics.get<std::vector<std::string>>("faults", "an array of fault names");
  t.budgets = semantics.get<std::map<std::string, unsigned>>("budgets", "an object of counts");
  t.ordered = semantics.get<bool>("ordered", "true or false");
  t.seed = top.optional<std::uint64_t>("seed", "an unsigned integer or null");
  if (auto it = j.find("origin"); it != j.end()) t.origin = *it;
  t.property = top.get<std::string>("property", "a property name");
  t.violation_step = top.optional<std::size_t>("violation_step", "a step count or null");
  t.init_index = top.get<std::size_t>("init_index", "an unsigned integer");
  t.initial_fingerprint = top.fingerprint("initial_fingerprint");
  const auto& steps = top.required("steps");
  if (!steps.is_array()) throw TraceError("trace: field \"steps\" must be an array");
  for (std::size_t i = 0; i < steps.size(); ++i) {
    FieldReader step(steps[i], fmt::format("trace: step {}", i + 1));
    TraceStep s;
    s.label = step.required("label");
    s.fingerprint = step.fingerprint("fingerprint");
    s.text = step.optional<std::string>("text", "a string").value_or("");
    if (auto it = steps[i].find("touched"); it != steps[i].end()) s.touched = *it;
    t.steps.push_back(std::move(s));
  }
  if (auto it = j.find("lasso"); it != j.end() && !it->is_null()) {
    if (version < 2) throw TraceError("trace: field \"lasso\" needs format_version 2");
    FieldReader lasso(*it, "trace.lasso");
    t.cycle_steps = lasso.get<std::size_t>("cycle_steps", "a step count");
    if (*t.cycle_steps > t.steps.size())
      throw TraceError(fmt::format("trace.lasso: cycle_steps {} is more than the {} steps",
                                   *t.cycle_steps, t.steps.size()));
  }
  if (auto it = j.find("evidence"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) throw TraceError("trace: field \"evidence\" must be a JSON object");
    t.evidence = *it;
  }
  if (t.violation_step && *t.violation_step > t.steps.size())
    throw TraceError(fmt::format("trace: violation_step {} is past the last step ({})",
                                 *t.violation_step, t.steps.size()));
  return t;
}

TraceFile read_trace_file(const std::string& path) {
  const BoundedRead read = read_bounded_file(path, kMaxTraceFileBytes);
  if (!read.text) throw TraceError(fmt::format("{}: {}", path, read.error));
  return parse_trace_text(*read.text, path);
}

TraceFile parse_trace_text(std::string_view content, const std::string& path) {
  if (content.size() > kMaxTraceFileBytes)
    throw TraceError(
        fmt::format("{}: larger than {} MiB; refused", path, kMaxTraceFileBytes >> 20));
  if (auto deep = json_too_deep(content)) {
    const auto line = 1 + std::count(content.begin(), content.begin() + *deep, '\n');
    throw TraceError(
        fmt::format("{}:{}: nested deeper than {} levels; refused", path, line, kMaxJsonDepth));
  }
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(content);
  } catch (const nlohmann::json::parse_error& e) {
    // Turn the byte offset into a line and column a person can find.
    const std::size_t offset = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, content.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset; ++i) {
      if (content[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw TraceError(
        fmt::format("{}:{}:{}: not valid JSON (the file may be truncated)", path, line, column));
  } catch (const nlohmann::json::exception& e) {  // well-formed but unreadable: a number like 1e400
    throw TraceError(fmt::format("{}: not valid JSON: {}", path, e.what()));
  }
  try {
    return trace_from_json(j);
  } catch (const TraceError& e) {
    throw TraceError(fmt::format("{}: {}", path, e.what()));
  }
}

void write_trace_file(const std::string& path, const TraceFile& trace) {
  std::ofstream out(path);
  out << trace_to_json(trace).dump(2) << '\n';
  if (!out) throw TraceError(fmt::format("{}: cannot write the trace file", path));
}

}  // namespace verdict
