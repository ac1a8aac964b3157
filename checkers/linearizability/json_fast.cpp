#include "checkers/linearizability/json_fast.hpp"

#include <cstdint>
#include <string>
#include <utility>

#include <simdjson.h>

#include "checkers/prefault.hpp"

namespace verdict::lincheck {

namespace {

namespace dom = simdjson::dom;

// Mirrors the exact reader's value_from_json: null, booleans, 64-bit integers,
// strings and arrays of them, at most 64 arrays deep; false for anything else.
bool read_value(dom::element element, Value& out, int depth = 0) {
  if (depth > 64) return false;
  switch (element.type()) {
    case dom::element_type::NULL_VALUE:
      out.kind = Value::Kind::nil;
      return true;
    case dom::element_type::BOOL:
      out.kind = Value::Kind::boolean;
      out.boolean = bool(element);
      return true;
    case dom::element_type::INT64:
      out.kind = Value::Kind::integer;
      out.integer = std::int64_t(element);
      return true;
    case dom::element_type::STRING:
      out.kind = Value::Kind::string;
      out.text = std::string_view(element);
      return true;
    case dom::element_type::ARRAY: {
      out.kind = Value::Kind::vector;
      for (dom::element item : dom::array(element)) {
        if (!read_value(item, out.items.emplace_back(), depth + 1)) return false;
      }
      return true;
    }
    default:  // objects, fractions, integers past 64 bits: the exact reader's errors
      return false;
  }
}

bool read_event(dom::element element, std::size_t index, Event& event) {
  if (element.type() != dom::element_type::OBJECT) return false;
  event.line = index;
  unsigned seen = 0;  // one bit per field read, to decline repeated ones
  auto first = [&](unsigned bit) {
    if (seen & bit) return false;
    seen |= bit;
    return true;
  };
  for (dom::key_value_pair field : dom::object(element)) {
    const std::string_view name = field.key;
    const dom::element v = field.value;
    if (name == "process") {
      if (!first(1) || v.type() != dom::element_type::INT64) return false;
      event.process = std::int64_t(v);
    } else if (name == "type") {
      if (!first(2) || v.type() != dom::element_type::STRING) return false;
      const auto type = type_from_name(std::string_view(v));
      if (!type) return false;
      event.type = *type;
    } else if (name == "f") {
      if (!first(4) || v.type() != dom::element_type::STRING) return false;
      event.f = std::string_view(v);
    } else if (name == "key") {
      if (!first(8) || !read_value(v, event.key.emplace())) return false;
    } else if (name == "value") {
      if (!first(16) || !read_value(v, event.value)) return false;
    }
  }
  return (seen & 7) == 7;  // process, type and f are required
}

bool read_events(dom::element events, EventLog& log) {
  if (events.type() != dom::element_type::ARRAY) return false;
  const dom::array array(events);
  log.events.reserve(array.size());
  prefault_for_writing(log.events.data(), log.events.capacity() * sizeof(Event));
  std::size_t index = 0;
  for (dom::element element : array) {
    if (!read_event(element, ++index, log.events.emplace_back())) return false;
  }
  return true;
}

}  // namespace

std::optional<EventLog> read_json_history_fast(std::string_view text) {
  if (text.find("\\u") != std::string_view::npos) return std::nullopt;
  dom::parser parser;
  dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
  EventLog log;
  if (root.type() == dom::element_type::ARRAY) {  // a bare array of events (version 1)
    if (!read_events(root, log)) return std::nullopt;
    return log;
  }
  if (root.type() != dom::element_type::OBJECT) return std::nullopt;
  std::optional<dom::element> events, version, failed_ops;
  for (dom::key_value_pair field : dom::object(root)) {
    std::optional<dom::element>* slot = field.key == "events"            ? &events
                                        : field.key == "verdict_history" ? &version
                                        : field.key == "failed_ops"      ? &failed_ops
                                                                         : nullptr;
    if (!slot) continue;
    if (*slot) return std::nullopt;  // repeated: the exact reader says which counts
    *slot = field.value;
  }
  // Version 1 (or none) means knossos's reading; version 2 names it.
  if (!version || (version->type() == dom::element_type::INT64 && std::int64_t(*version) == 1)) {
    log.reading = Reading::knossos;
  } else if (version->type() == dom::element_type::INT64 &&
             std::int64_t(*version) == kJsonHistoryVersion && failed_ops &&
             failed_ops->type() == dom::element_type::STRING) {
    const auto reading = reading_from_string(std::string_view(*failed_ops));
    if (!reading) return std::nullopt;
    log.reading = *reading;
  } else {
    return std::nullopt;
  }
  if (!events || !read_events(*events, log)) return std::nullopt;
  return log;
}

}  // namespace verdict::lincheck
