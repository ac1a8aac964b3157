// Labels: the names of transitions. One label type per step relation (here,
// and what their JSON and text share); a Label is any of them (steps.hpp,
// which lists the rules). Labels name packets by content, never by position
// ("deliver n1->n2 {...}", "crash n0"), so a trace still means the same
// thing after steps before it were removed by shrinking. Labels are written
// to and read from JSON in trace files; a bad label names the wrong field.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "simulator/json_support.hpp"
#include "simulator/semantics.hpp"
#include "simulator/system.hpp"

namespace verdict {

template <class S>
struct InputStep {
  std::uint32_t client = 0;
  NodeId node = 0;
  typename S::Input input;
  auto operator<=>(const InputStep&) const = default;
};

// deliver, drop and duplicate all name one packet.
template <class S, StepKind Kind>
struct PacketStep {
  NodeId from = 0;
  NodeId to = 0;
  typename S::Msg msg;
  auto operator<=>(const PacketStep&) const = default;
};

template <class S>
struct TimeoutStep {
  NodeId node = 0;
  typename S::Timer timer;
  auto operator<=>(const TimeoutStep&) const = default;
};

// crash and reboot name one node.
template <StepKind Kind>
struct NodeStep {
  NodeId node = 0;
  auto operator<=>(const NodeStep&) const = default;
};

struct PartitionStep {
  std::uint64_t side = 0;  // the nodes on node 0's side, as a bit mask
  auto operator<=>(const PartitionStep&) const = default;
};

struct HealStep {
  auto operator<=>(const HealStep&) const = default;
};

// Thrown when a label read from JSON is malformed; says which field.
class LabelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {

inline const nlohmann::json& label_field(const nlohmann::json& j, const char* name) {
  if (!j.is_object()) throw LabelError("a step must be a JSON object");
  auto it = j.find(name);
  if (it == j.end()) throw LabelError(fmt::format("missing field \"{}\"", name));
  return *it;
}

template <class T>
T label_value(const nlohmann::json& j, const char* name) {
  const auto& field = label_field(j, name);
  try {
    return checked_get<T>(field);
  } catch (const std::exception& e) {
    throw LabelError(
        fmt::format("field \"{}\" has the wrong form ({}): {}", name, field.dump(), e.what()));
  }
}

// Any integer 0..63; JSON built in code holds signed numbers, parsed JSON unsigned ones.
inline bool is_node_number(const nlohmann::json& j) {
  return j.is_number_integer() && j.get<std::int64_t>() >= 0 &&
         j.get<std::int64_t>() < static_cast<std::int64_t>(kMaxNodes);
}

inline NodeId label_node(const nlohmann::json& j, const char* name) {
  const auto& field = label_field(j, name);
  if (!is_node_number(field))
    throw LabelError(fmt::format("field \"{}\" must be a node number 0..{}, not {}", name,
                                 kMaxNodes - 1, field.dump()));
  return field.get<NodeId>();
}

}  // namespace detail

// What deliver, drop and duplicate labels share (one packet), and crash and
// reboot (one node): their JSON fields and text.
template <class PacketLabel>
void write_packet_label(const PacketLabel& step, nlohmann::json& j) {
  j["from"] = step.from;
  j["to"] = step.to;
  j["msg"] = step.msg;
}
template <class PacketLabel>
PacketLabel read_packet_label(const nlohmann::json& j) {
  return {detail::label_node(j, "from"), detail::label_node(j, "to"),
          detail::label_value<decltype(PacketLabel::msg)>(j, "msg")};
}
template <class PacketLabel>
std::string packet_label_text(StepKind kind, const PacketLabel& step) {
  return fmt::format("{} n{}->n{} {}", to_string(kind), step.from, step.to,
                     nlohmann::json(step.msg).dump());
}
inline std::string node_label_text(StepKind kind, NodeId node) {
  return fmt::format("{} n{}", to_string(kind), node);
}

}  // namespace verdict
