#include "checkers/linearizability/history_writer.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace verdict::lincheck {

namespace {

nlohmann::json optional_text(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

// The `f` of each kind, in VardSpec::Kind order (history_file.cpp reads these).
constexpr const char* kOperationNames[] = {"get", "put", "del", "cas", "cad"};

// What vard_history (history_file.cpp) reads back as this input.
nlohmann::json input_value(const VardSpec::Input& in) {
  switch (in.kind) {
    case VardSpec::Kind::put:
    case VardSpec::Kind::cad:
      return in.value;
    case VardSpec::Kind::cas:
      return nlohmann::json::array({optional_text(in.expected), in.value});
    case VardSpec::Kind::get:
    case VardSpec::Kind::del:
      break;
  }
  return nullptr;
}

}  // namespace

nlohmann::json history_document(const History<VardSpec>& history) {
  std::vector<std::pair<std::uint64_t, nlohmann::json>> events;
  for (const auto& op : history) {
    const char* f = kOperationNames[static_cast<std::size_t>(op.input.kind)];
    events.emplace_back(op.call, nlohmann::json{{"process", op.client},
                                                {"type", "invoke"},
                                                {"f", f},
                                                {"key", op.input.key},
                                                {"value", input_value(op.input)}});
    if (op.output)
      events.emplace_back(
          op.ret,
          nlohmann::json{{"process", op.client},
                         {"type", "ok"},
                         {"f", f},
                         {"key", op.input.key},
                         {"value", nlohmann::json::array({optional_text(op.output->after),
                                                          optional_text(op.output->before)})}});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  nlohmann::json doc{{"verdict_history", 2}, {"failed_ops", "knossos"}, {"model", "vard"}};
  doc["events"] = nlohmann::json::array();
  for (auto& [position, event] : events) doc["events"].push_back(std::move(event));
  return doc;
}

}  // namespace verdict::lincheck
