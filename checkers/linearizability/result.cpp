#include "checkers/linearizability/result.hpp"

#include <fmt/format.h>

namespace verdict::lincheck {

const char* to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::linearizable:
      return "linearizable";
    case Outcome::not_linearizable:
      return "not-linearizable";
    case Outcome::unknown:
      return "unknown";
  }
  return "unknown";
}

namespace {

std::string describe(const OperationView& op, const std::string& position) {
  std::string when = op.ret ? fmt::format("{} {}..{}", position, op.call, *op.ret)
                            : fmt::format("{} {}.., outcome unknown", position, op.call);
  return fmt::format("#{} client {}: {}  ({})", op.index, op.client, op.text, when);
}

nlohmann::json view_json(const OperationView& op) {
  nlohmann::json j = {
      {"index", op.index}, {"client", op.client}, {"text", op.text}, {"call", op.call}};
  j["return"] = op.ret ? nlohmann::json(*op.ret) : nlohmann::json(nullptr);
  return j;
}

}  // namespace

std::string format_counterexample(const Counterexample& c, const std::string& position) {
  std::string out;
  if (!c.partition.empty()) {
    out += fmt::format("In {} ({} operations):\n", c.partition, c.partition_operations);
  }
  out += fmt::format("Longest linearizable prefix found: {} of {} completed operations\n",
                     c.prefix.size(), c.total_known_operations);
  std::size_t step = 1;
  for (const OperationView& op : c.prefix) {
    out += fmt::format("  {:>4}. {}\n", step++, describe(op, position));
  }
  out += fmt::format("State after the prefix: {}\n", c.state);
  out += "No operation can come next:\n";
  for (const StuckOperation& s : c.stuck) {
    out += fmt::format("  {}\n        {}\n", describe(s.operation, position), s.reason);
  }
  return out;
}

nlohmann::json to_json(const Counterexample& c) {
  nlohmann::json prefix = nlohmann::json::array();
  for (const OperationView& op : c.prefix) prefix.push_back(view_json(op));
  nlohmann::json stuck = nlohmann::json::array();
  for (const StuckOperation& s : c.stuck) {
    nlohmann::json j = view_json(s.operation);
    j["reason"] = s.reason;
    stuck.push_back(std::move(j));
  }
  return {{"partition", c.partition},
          {"partition_operations", c.partition_operations},
          {"completed_operations", c.total_known_operations},
          {"prefix", std::move(prefix)},
          {"state_after_prefix", c.state},
          {"stuck", std::move(stuck)}};
}

nlohmann::json to_json(const Result& r) {
  nlohmann::json j = {{"verdict", to_string(r.outcome)},
                      {"operations", r.stats.operations},
                      {"partitions", r.stats.partitions},
                      {"configurations", r.stats.configurations},
                      {"seconds", r.stats.seconds}};
  j["counterexample"] = r.counterexample ? to_json(*r.counterexample) : nlohmann::json(nullptr);
  return j;
}

}  // namespace verdict::lincheck
