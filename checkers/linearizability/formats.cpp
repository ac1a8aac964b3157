#include "checkers/linearizability/formats.hpp"
#include "checkers/linearizability/json_fast.hpp"

#include <charconv>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checkers/bounded_input.hpp"
#include "checkers/linearizability/edn.hpp"

namespace verdict::lincheck {

const char* to_string(Format format) {
  switch (format) {
    case Format::jepsen:
      return "jepsen";
    case Format::edn:
      return "edn";
    case Format::json:
      return "json";
  }
  return "?";
}

std::optional<Format> format_from_string(std::string_view name) {
  if (name == "jepsen") return Format::jepsen;
  if (name == "edn") return Format::edn;
  if (name == "json") return Format::json;
  return std::nullopt;
}

const char* to_string(Reading reading) {
  return reading == Reading::knossos ? "knossos" : "porcupine";
}

std::optional<Reading> reading_from_string(std::string_view name) {
  if (name == "knossos") return Reading::knossos;
  if (name == "porcupine") return Reading::porcupine;
  return std::nullopt;
}

std::optional<Event::Type> type_from_name(std::string_view name) {
  if (name == "invoke") return Event::Type::invoke;
  if (name == "ok") return Event::Type::ok;
  if (name == "fail") return Event::Type::fail;
  if (name == "info") return Event::Type::info;
  return std::nullopt;
}

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',';
}

// Splits text into lines, without their line ends.
template <class Visit>
void for_each_line(std::string_view text, Visit visit) {
  std::size_t number = 1;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    visit(number++, line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_log_level(std::string_view word) {
  return word == "INFO" || word == "WARN" || word == "DEBUG" || word == "ERROR" ||
         word == "TRACE" || word == "FATAL";
}

}  // namespace

ParseError::ParseError(std::string file, std::size_t line, const std::string& message)
    : std::runtime_error(fmt::format("{}:{}: {}", file, line, message)),
      file_(std::move(file)),
      line_(line) {}

ParseError::ParseError(std::string file, std::size_t line, std::size_t column,
                       const std::string& message)
    : std::runtime_error(fmt::format("{}:{}:{}: {}", file, line, column, message)),
      file_(std::move(file)),
      line_(line) {}

const Value* Value::find(std::string_view name) const {
  if (kind != Kind::map) return nullptr;
  for (std::size_t i = 0; i + 1 < items.size(); i += 2) {
    if (items[i].is_keyword(name)) return &items[i + 1];
  }
  return nullptr;
}

namespace {

std::string edn_items(const std::vector<Value>& items, const char* open, const char* close) {
  std::string out = open;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ' ';
    out += items[i].to_edn();
  }
  return out + close;
}

}  // namespace

std::string Value::to_edn() const {
  switch (kind) {
    case Kind::nil:
      return "nil";
    case Kind::boolean:
      return boolean ? "true" : "false";
    case Kind::integer:
      return std::to_string(integer);
    case Kind::floating:
      return fmt::format("{}", floating);
    case Kind::string:
      // Invalid UTF-8 (a mangled file) is shown replaced, not thrown on.
      return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    case Kind::character:
      return "\\" + text;
    case Kind::keyword:
      return ":" + text;
    case Kind::symbol:
      return text;
    case Kind::list:
      return edn_items(items, "(", ")");
    case Kind::vector:
      return edn_items(items, "[", "]");
    case Kind::set:
      return edn_items(items, "#{", "}");
    case Kind::map:
      return edn_items(items, "{", "}");
  }
  return "?";
}

namespace {

// The first significant character at or after `pos` (blanks and, when
// `comments`, `;` comments skipped), or '\0'; `pos` is left on it.
char significant(std::string_view text, std::size_t& pos, bool& saw_comment) {
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == ';') {
      saw_comment = true;
      while (pos < text.size() && text[pos] != '\n') ++pos;
    } else if (is_space(c)) {
      ++pos;
    } else {
      return c;
    }
  }
  return '\0';
}

}  // namespace

Format detect_format(std::string_view text) {
  std::size_t pos = 0;
  bool comment = false;
  char c = significant(text, pos, comment);
  if (comment || c == '(' || c == '#') return Format::edn;
  if (c == '[') {
    ++pos;
    c = significant(text, pos, comment);
    if (comment || c == '(' || c == '#') return Format::edn;
    if (c != '{') return Format::json;  // [], [[...]] or a JSON array of events
  }
  if (c != '{') return Format::jepsen;
  ++pos;
  c = significant(text, pos, comment);
  // JSON objects start with a string key or end at once; EDN maps of
  // operations start with a keyword.
  return !comment && (c == '"' || c == '}') ? Format::json : Format::edn;
}

namespace {

// A value as an error message shows it: cut short, it may be a whole file.
std::string brief(const Value& v) {
  std::string text = v.to_edn();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::optional<Event::Type> type_of(const Value& v) {
  return v.kind == Value::Kind::keyword ? type_from_name(v.text) : std::nullopt;
}

// An operation map's fields; false for the :nemesis process (not a client).
bool event_from_map(Value& map, std::size_t line, std::size_t column, const std::string& file,
                    Event& event) {
  auto bad = [&](const std::string& message) { return ParseError(file, line, column, message); };
  const Value* process = map.find("process");
  if (!process) throw bad("expected an operation map with :process, :type and :f; no :process");
  if (process->is_keyword("nemesis")) return false;
  if (process->kind != Value::Kind::integer)
    throw bad(fmt::format(":process: expected an integer, found {}", brief(*process)));
  const Value* type = map.find("type");
  if (!type) throw bad("expected an operation map with :process, :type and :f; no :type");
  const std::optional<Event::Type> parsed_type = type_of(*type);
  if (!parsed_type)
    throw bad(fmt::format(":type: expected :invoke, :ok, :fail or :info, found {}", brief(*type)));
  const Value* f = map.find("f");
  if (!f) throw bad("expected an operation map with :process, :type and :f; no :f");
  if (f->kind != Value::Kind::keyword && f->kind != Value::Kind::string)
    throw bad(fmt::format(":f: expected a keyword, found {}", brief(*f)));
  event.line = line;
  event.process = process->integer;
  event.type = *parsed_type;
  event.f = f->text;
  // :time, :index, :error and the like are not needed.
  for (std::size_t i = 0; i + 1 < map.items.size(); i += 2) {
    if (map.items[i].is_keyword("key") && !event.key) {
      event.key = std::move(map.items[i + 1]);
    } else if (map.items[i].is_keyword("value")) {
      event.value = std::move(map.items[i + 1]);
    }
  }
  return true;
}

}  // namespace

namespace {

// The events to make room for at once (growing a vector of 200,000 events
// moves them all many times): one a line, as usual, but no more than the
// text can hold (the shortest event takes over 28 characters), so that a
// file with one event over many lines is not given room for many times its
// events.
std::size_t events_room(std::string_view text) {
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  return std::min(lines, text.size() / 28 + 1);
}

}  // namespace

std::vector<Event> parse_jepsen_log(std::string_view text, const std::string& file) {
  // `INFO  jepsen.util - 3	:invoke	:cas	[1 4]`: the part after "jepsen.util - "
  // is `process type f value`. Other log lines (they start with a level) are
  // skipped; a line with neither shape is an error.
  std::vector<Event> events;
  events.reserve(events_room(text));
  for_each_line(text, [&](std::size_t number, std::string_view line) {
    const std::string_view trimmed = trim(line);
    if (trimmed.empty()) return;
    std::size_t body = 0;
    const std::size_t marker = line.find("jepsen.util - ");
    if (marker != std::string_view::npos) {
      body = marker + 14;
    } else if (is_log_level(trimmed.substr(0, trimmed.find_first_of(" \t")))) {
      return;
    }
    EdnReader reader(line.substr(body), file, number, body + 1);
    auto bad = [&](std::size_t column, const std::string& message) {
      return ParseError(file, number, column, message);
    };
    reader.at_end();
    std::size_t column = reader.column();
    const Value process = reader.read();
    if (process.is_keyword("nemesis")) return;  // not a client
    if (process.kind != Value::Kind::integer)
      throw bad(column, fmt::format("expected an integer process, found {}", brief(process)));
    Event event;
    event.line = number;
    event.process = process.integer;
    if (reader.at_end()) reader.fail(":invoke, :ok, :fail or :info");
    column = reader.column();
    const Value type = reader.read();
    const std::optional<Event::Type> parsed_type = type_of(type);
    if (!parsed_type)
      throw bad(column,
                fmt::format("expected :invoke, :ok, :fail or :info, found {}", brief(type)));
    event.type = *parsed_type;
    if (reader.at_end()) reader.fail("an operation keyword such as :read");
    column = reader.column();
    Value f = reader.read();
    if (f.kind != Value::Kind::keyword)
      throw bad(column,
                fmt::format("expected an operation keyword such as :read, found {}", brief(f)));
    event.f = std::move(f.text);
    if (reader.at_end()) reader.fail("a value");
    event.value = reader.read();
    if (!reader.at_end()) reader.fail("the end of the line after the value");
    events.push_back(std::move(event));
  });
  return events;
}

std::vector<Event> parse_edn(std::string_view text, const std::string& file) {
  std::vector<Event> events;
  events.reserve(events_room(text));
  EdnReader reader(text, file);
  auto take_operation = [&] {
    const std::size_t line = reader.line(), column = reader.column();
    Value map = reader.read();
    if (map.kind != Value::Kind::map) {
      throw ParseError(file, line, column,
                       fmt::format("expected an operation map, found {}", brief(map)));
    }
    Event event;
    if (event_from_map(map, line, column, file, event)) events.push_back(std::move(event));
  };
  // One collection of operations, or operations one after another.
  const char first = reader.peek();
  if (first == '[' || first == '(') {
    const char close = first == '[' ? ']' : ')';
    const std::size_t line = reader.line(), column = reader.column();
    reader.consume(first);
    while (!reader.consume(close)) {
      if (reader.at_end()) {
        throw ParseError(file, line, column,
                         fmt::format("expected a closing '{}' for the '{}' here, found the end "
                                     "of the input",
                                     close, first));
      }
      take_operation();
    }
    if (!reader.at_end()) reader.fail("the end of the input after the collection of operations");
  } else {
    while (!reader.at_end()) take_operation();
  }
  return events;
}

namespace {

std::size_t line_of_offset(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

Value value_from_json(const nlohmann::json& j, const std::string& file, std::size_t line,
                      int depth = 0) {
  Value v;
  if (depth > 64) throw ParseError(file, line, "expected a less deeply nested value");
  if (j.is_null()) return v;
  if (j.is_boolean()) {
    v.kind = Value::Kind::boolean;
    v.boolean = j.get<bool>();
  } else if (j.is_number_integer()) {
    v.kind = Value::Kind::integer;
    if (j.is_number_unsigned() &&
        j.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      throw ParseError(file, line, "expected an integer that fits in 64 bits");
    }
    v.integer = j.get<std::int64_t>();
  } else if (j.is_string()) {
    v.kind = Value::Kind::string;
    v.text = j.get<std::string>();
  } else if (j.is_array()) {
    v.kind = Value::Kind::vector;
    for (const auto& item : j) v.items.push_back(value_from_json(item, file, line, depth + 1));
  } else {
    throw ParseError(
        file, line,
        fmt::format("expected null, an integer, a string or an array, found {}", j.dump()));
  }
  return v;
}

}  // namespace

namespace {

// The reading a JSON history names: version 1 (or none) predates readings and
// meant knossos's; version 2 must name one.
Reading json_reading(const nlohmann::json& doc, const std::string& file) {
  if (!doc.is_object()) return Reading::knossos;
  auto version = doc.find("verdict_history");
  if (version == doc.end() || (version->is_number_integer() && *version == 1))
    return Reading::knossos;
  if (!version->is_number_integer() || *version != kJsonHistoryVersion) {
    throw ParseError(file, 1,
                     fmt::format("\"verdict_history\": expected 1 or {}, found {} (a newer "
                                 "Verdict's format?)",
                                 kJsonHistoryVersion, version->dump()));
  }
  auto named = doc.find("failed_ops");
  std::optional<Reading> reading;
  if (named != doc.end() && named->is_string())
    reading = reading_from_string(named->get<std::string>());
  if (!reading) {
    throw ParseError(
        file, 1,
        fmt::format("\"failed_ops\": expected \"knossos\" or \"porcupine\" (version "
                    "{} names its reading of failed operations), found {}",
                    kJsonHistoryVersion, named == doc.end() ? "nothing" : named->dump()));
  }
  return *reading;
}

}  // namespace

namespace {

// The fields of one event that Verdict reads; the others are skipped.
struct EventFields {
  std::optional<nlohmann::json> process, type, f, key, value;

  // The slot for `name`, or nullptr for a field that is not read.
  std::optional<nlohmann::json>* slot(std::string_view name) {
    if (name == "process") return &process;
    if (name == "type") return &type;
    if (name == "f") return &f;
    if (name == "key") return &key;
    if (name == "value") return &value;
    return nullptr;
  }
};

// One event of a JSON history; `index` is its 1-based number.
Event event_from_fields(const EventFields& e, std::size_t index, const std::string& file) {
  auto where = [&](const std::string& message) {
    return ParseError(file, index, fmt::format("event {}: {}", index, message));
  };
  Event event;
  event.line = index;
  const auto& process = e.process;
  if (!process || !process->is_number_integer() ||
      (process->is_number_unsigned() &&
       process->get<std::uint64_t>() >
           static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))) {
    throw where("expected an integer \"process\" that fits in 64 bits");
  }
  event.process = process->get<std::int64_t>();
  std::optional<Event::Type> parsed_type;
  if (e.type && e.type->is_string())
    parsed_type = type_from_name(e.type->get_ref<const std::string&>());
  if (!parsed_type) throw where("expected \"type\": \"invoke\", \"ok\", \"fail\" or \"info\"");
  event.type = *parsed_type;
  if (!e.f || !e.f->is_string()) throw where("expected a string \"f\"");
  event.f = e.f->get<std::string>();
  if (e.key) event.key = value_from_json(*e.key, file, index);
  if (e.value) event.value = value_from_json(*e.value, file, index);
  return event;
}

// An element of the events array that is not an object.
[[noreturn]] void not_an_event(std::size_t index, const std::string& file) {
  throw ParseError(file, index, fmt::format("event {}: expected an event object", index));
}

// Reads a JSON history as it is parsed (nlohmann's SAX interface): each
// element of the events array becomes an Event as soon as it closes, so the
// document is never held whole as a tree (that took 250 MB for 100,000
// operations), and an event's fields go straight into EventFields, never
// into a JSON object (building and freeing those was a fifth of the time). Errors keep the
// precedence of reading the whole tree first: malformed JSON, then the document's shape and
// version, then the first bad event.
class JsonHistoryReader final : public nlohmann::json_sax<nlohmann::json> {
 public:
  JsonHistoryReader(std::string_view text, const std::string& file, std::vector<Event>& events)
      : text_(text), file_(file), events_(events) {}

  bool null() override { return put(nullptr); }
  bool boolean(bool b) override { return put(b); }
  bool number_integer(number_integer_t v) override { return put(v); }
  bool number_unsigned(number_unsigned_t v) override { return put(v); }
  bool number_float(number_float_t v, const string_t&) override { return put(v); }
  bool string(string_t& s) override { return put(std::move(s)); }
  bool binary(binary_t& b) override { return put(nlohmann::json::binary(std::move(b))); }
  bool start_object(std::size_t) override { return open(nlohmann::json::object()); }
  bool start_array(std::size_t) override { return open(nlohmann::json::array()); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::json::exception& e) override {
    throw ParseError(file_, line_of_offset(text_, position == 0 ? 0 : position - 1),
                     fmt::format("expected valid JSON ({})", e.what()));
  }

  // After the parse: the reading the document names; throws what was wrong.
  Reading finish() {
    if (root_ == Root::scalar) {
      throw ParseError(file_, 1,
                       "expected an object with an \"events\" array, or an array of events");
    }
    if (!has_events_) throw ParseError(file_, 1, "expected an object with an \"events\" array");
    const Reading reading = json_reading(fields_, file_);
    if (bad_event_) throw *bad_event_;
    return reading;
  }

 private:
  enum class Root { none, scalar, object, array };
  enum class Level { fields, events };  // the document's object; its events array

  // A finished value: where it belongs depends on what encloses it.
  void deliver(nlohmann::json&& value) {
    if (building_.empty() && levels_.empty()) {
      root_ = Root::scalar;
    } else if (!building_.empty()) {
      Building& parent = building_.back();
      if (parent.value.is_array()) {
        parent.value.push_back(std::move(value));
      } else {
        parent.value[key_] = std::move(value);
      }
    } else if (in_event_) {
      // A field of the event being read: kept only if it is one Verdict reads.
      if (auto* slot = event_.slot(key_)) *slot = std::move(value);
    } else if (levels_.back() == Level::events) {
      ++index_;
      if (bad_event_) return;  // only the first bad one is reported
      try {
        not_an_event(index_, file_);
      } catch (const ParseError& e) {
        bad_event_ = e;
      }
    } else {
      if (key_ == "events") has_events_ = false;  // the last "events" counts, as in a tree
      fields_[key_] = std::move(value);
    }
  }

  bool put(nlohmann::json&& value) {
    deliver(std::move(value));
    return true;
  }

  bool open(nlohmann::json&& container) {
    const bool is_array = container.is_array();
    if (building_.empty() && levels_.empty()) {
      root_ = is_array ? Root::array : Root::object;
      levels_.push_back(is_array ? Level::events : Level::fields);
      has_events_ = is_array;
      if (!is_array) fields_ = nlohmann::json::object();
      return true;
    }
    if (building_.empty() && levels_.back() == Level::fields && key_ == "events" && is_array) {
      levels_.push_back(Level::events);
      has_events_ = true;
      events_.clear();  // a repeated "events": the last one counts
      bad_event_.reset();
      index_ = 0;
      fields_.erase("events");
      return true;
    }
    if (building_.empty() && levels_.back() == Level::events && !in_event_ && !is_array) {
      // An event: its fields go straight into event_, never into an object.
      in_event_ = true;
      event_ = EventFields{};
      return true;
    }
    building_.push_back({std::move(container), key_});
    return true;
  }

  bool close() {
    if (building_.empty() && in_event_) {
      in_event_ = false;
      ++index_;
      if (bad_event_) return true;  // only the first bad one is reported
      try {
        events_.push_back(event_from_fields(event_, index_, file_));
      } catch (const ParseError& e) {
        bad_event_ = e;
      }
      return true;
    }
    if (building_.empty()) {
      levels_.pop_back();
      return true;
    }
    Building done = std::move(building_.back());
    building_.pop_back();
    key_ = std::move(done.key);
    deliver(std::move(done.value));
    return true;
  }

  struct Building {
    nlohmann::json value;
    std::string key;  // its key in the enclosing object
  };
  std::string_view text_;
  const std::string& file_;
  std::vector<Event>& events_;
  Root root_ = Root::none;
  std::vector<Level> levels_;
  std::vector<Building> building_;  // values being read, outermost first
  std::string key_;
  nlohmann::json fields_;  // the document's fields but its events
  bool has_events_ = false;
  bool in_event_ = false;  // inside an object of the events array
  EventFields event_;      // that object's fields read so far
  std::size_t index_ = 0;
  std::optional<ParseError> bad_event_;
};

}  // namespace

namespace {

void refuse_if_too_deep(std::string_view text, const std::string& file) {
  if (auto deep = json_too_deep(text))
    throw ParseError(file, line_of_offset(text, *deep),
                     fmt::format("nested deeper than {} levels; refused", kMaxJsonDepth));
}

// nlohmann's SAX reader, once the depth is checked.
EventLog read_json_sax(std::string_view text, const std::string& file) {
  EventLog log;
  // JSON keeps no line numbers: an event is located by its index, reported as
  // its "line" (1-based), which is its line when written one event a line.
  log.events.reserve(events_room(text));
  JsonHistoryReader reader(text, file, log.events);
  nlohmann::json::sax_parse(text.begin(), text.end(), &reader);
  log.reading = reader.finish();
  return log;
}

}  // namespace

EventLog parse_json_history(std::string_view text, const std::string& file) {
  refuse_if_too_deep(text, file);
  if (std::optional<EventLog> log = read_json_history_fast(text)) return std::move(*log);
  return read_json_sax(text, file);
}

EventLog parse_json_history_exact(std::string_view text, const std::string& file) {
  refuse_if_too_deep(text, file);
  return read_json_sax(text, file);
}

EventLog parse_events(std::string_view text, Format format, const std::string& file) {
  switch (format) {
    case Format::jepsen:
      return {parse_jepsen_log(text, file), Reading::porcupine};
    case Format::edn:
      return {parse_edn(text, file), Reading::knossos};
    case Format::json:
      return parse_json_history(text, file);
  }
  return {};
}

}  // namespace verdict::lincheck
