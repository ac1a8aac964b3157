// Labels: the names of transitions. One label type per step relation; a
// Label is any of them. Labels name packets by content, never by position
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

// The alternatives are in StepKind order: label.index() is its StepKind.
template <class S>
using Label =
    std::variant<InputStep<S>, PacketStep<S, StepKind::deliver>, TimeoutStep<S>,
                 PacketStep<S, StepKind::drop>, PacketStep<S, StepKind::duplicate>,
                 NodeStep<StepKind::crash>, NodeStep<StepKind::reboot>, PartitionStep, HealStep>;

template <class S>
StepKind kind_of(const Label<S>& label) {
  return static_cast<StepKind>(label.index());
}

// Thrown when a label read from JSON is malformed; says which field.
class LabelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class S>
nlohmann::json label_to_json(const Label<S>& label) {
  nlohmann::json j;
  j["step"] = std::string(to_string(kind_of<S>(label)));
  std::visit(
      [&](const auto& step) {
        using T = std::decay_t<decltype(step)>;
        if constexpr (std::is_same_v<T, InputStep<S>>) {
          j["client"] = step.client;
          j["node"] = step.node;
          j["input"] = step.input;
        } else if constexpr (std::is_same_v<T, TimeoutStep<S>>) {
          j["node"] = step.node;
          j["timer"] = step.timer;
        } else if constexpr (std::is_same_v<T, PartitionStep>) {
          nlohmann::json side = nlohmann::json::array();
          for (NodeId n = 0; n < kMaxNodes; ++n)
            if ((step.side >> n) & 1U) side.push_back(n);
          j["side"] = side;
        } else if constexpr (std::is_same_v<T, HealStep>) {
        } else if constexpr (requires { step.msg; }) {
          j["from"] = step.from;
          j["to"] = step.to;
          j["msg"] = step.msg;
        } else {
          j["node"] = step.node;
        }
      },
      label);
  return j;
}

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

template <class S>
Label<S> label_from_json(const nlohmann::json& j) {
  using namespace detail;
  const auto& step_field = label_field(j, "step");
  if (!step_field.is_string()) throw LabelError("field \"step\" must be a string");
  auto kind = step_kind_from_string(step_field.get<std::string>());
  if (!kind) throw LabelError(fmt::format("unknown step \"{}\"", step_field.get<std::string>()));
  switch (*kind) {
    case StepKind::input:
      return InputStep<S>{label_value<std::uint32_t>(j, "client"), label_node(j, "node"),
                          label_value<typename S::Input>(j, "input")};
    case StepKind::deliver:
      return PacketStep<S, StepKind::deliver>{label_node(j, "from"), label_node(j, "to"),
                                              label_value<typename S::Msg>(j, "msg")};
    case StepKind::drop:
      return PacketStep<S, StepKind::drop>{label_node(j, "from"), label_node(j, "to"),
                                           label_value<typename S::Msg>(j, "msg")};
    case StepKind::duplicate:
      return PacketStep<S, StepKind::duplicate>{label_node(j, "from"), label_node(j, "to"),
                                                label_value<typename S::Msg>(j, "msg")};
    case StepKind::timeout:
      return TimeoutStep<S>{label_node(j, "node"), label_value<typename S::Timer>(j, "timer")};
    case StepKind::crash:
      return NodeStep<StepKind::crash>{label_node(j, "node")};
    case StepKind::reboot:
      return NodeStep<StepKind::reboot>{label_node(j, "node")};
    case StepKind::partition: {
      const auto& side = label_field(j, "side");
      if (!side.is_array()) throw LabelError("field \"side\" must be an array of node numbers");
      std::uint64_t mask = 0;
      for (const auto& n : side) {
        if (!is_node_number(n))
          throw LabelError(fmt::format("field \"side\" holds {}, not a node number", n.dump()));
        mask |= std::uint64_t{1} << n.get<NodeId>();
      }
      return PartitionStep{mask};
    }
    case StepKind::heal:
      return HealStep{};
  }
  throw LabelError("unreachable step kind");
}

// A one-line description for people: "deliver n1->n2 {...}", "crash n0".
template <class S>
std::string label_text(const Label<S>& label) {
  std::string kind(to_string(kind_of<S>(label)));
  return std::visit(
      [&](const auto& step) -> std::string {
        using T = std::decay_t<decltype(step)>;
        if constexpr (std::is_same_v<T, InputStep<S>>) {
          return fmt::format("input c{}->n{} {}", step.client, step.node,
                             nlohmann::json(step.input).dump());
        } else if constexpr (std::is_same_v<T, TimeoutStep<S>>) {
          return fmt::format("timeout n{} {}", step.node, nlohmann::json(step.timer).dump());
        } else if constexpr (std::is_same_v<T, PartitionStep>) {
          std::string side;
          for (NodeId n = 0; n < kMaxNodes; ++n)
            if ((step.side >> n) & 1U) side += fmt::format("{}n{}", side.empty() ? "" : ",", n);
          return fmt::format("partition {{{}}} from the rest", side);
        } else if constexpr (std::is_same_v<T, HealStep>) {
          return kind;
        } else if constexpr (requires { step.msg; }) {
          return fmt::format("{} n{}->n{} {}", kind, step.from, step.to,
                             nlohmann::json(step.msg).dump());
        } else {
          return fmt::format("{} n{}", kind, step.node);
        }
      },
      label);
}

}  // namespace verdict
