#include "checkers/linearizability/formats.hpp"

#include <charconv>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checkers/bounded_input.hpp"

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

std::string shown(std::string_view s) {
  if (s.empty()) return "the end of the line";
  std::string_view head = s.substr(0, 20);
  return fmt::format("\"{}{}\"", head, s.size() > head.size() ? "..." : "");
}

// A reader of the EDN subset the logs use: nil, true, false, integers,
// strings, keywords, vectors, maps of keywords (only at the top of a line).
class EdnReader {
 public:
  EdnReader(std::string_view text, const std::string& file, std::size_t line)
      : rest_(text), file_(file), line_(line) {}

  [[noreturn]] void fail(const std::string& expected) const {
    throw ParseError(file_, line_, fmt::format("expected {}, found {}", expected, shown(rest_)));
  }

  void skip_space() {
    while (!rest_.empty() && is_space(rest_.front())) rest_.remove_prefix(1);
  }
  bool at_end() {
    skip_space();
    return rest_.empty();
  }
  bool consume(char c) {
    skip_space();
    if (rest_.empty() || rest_.front() != c) return false;
    rest_.remove_prefix(1);
    return true;
  }
  std::string_view rest() const { return rest_; }

  Value value(int depth = 0) {
    if (depth > 64) fail("a less deeply nested value");
    skip_space();
    if (rest_.empty()) fail("a value");
    const char c = rest_.front();
    Value v;
    if (c == '[') {
      rest_.remove_prefix(1);
      v.kind = Value::Kind::vector;
      while (!consume(']')) {
        if (rest_.empty()) fail("a value or ']'");
        v.items.push_back(value(depth + 1));
      }
    } else if (c == '"') {
      v.kind = Value::Kind::string;
      v.text = string_literal();
    } else if (c == ':') {
      rest_.remove_prefix(1);
      v.kind = Value::Kind::keyword;
      v.text = std::string(symbol());
      if (v.text.empty()) fail("a keyword name after ':'");
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.kind = Value::Kind::integer;
      v.integer = integer();
    } else {
      std::string_view word = symbol();
      if (word == "nil") {
        v.kind = Value::Kind::nil;
      } else if (word == "true" || word == "false") {
        v.kind = Value::Kind::boolean;
        v.boolean = word == "true";
      } else {
        throw ParseError(file_, line_,
                         fmt::format("expected a value (nil, a number, a string, a keyword or a "
                                     "vector), found {}",
                                     shown(std::string(word) + std::string(rest_))));
      }
    }
    return v;
  }

  std::int64_t integer() {
    skip_space();
    std::int64_t n = 0;
    auto [end, error] = std::from_chars(rest_.data(), rest_.data() + rest_.size(), n);
    if (error != std::errc() || (end != rest_.data() + rest_.size() && !is_delimiter(*end))) {
      fail("an integer");
    }
    rest_.remove_prefix(static_cast<std::size_t>(end - rest_.data()));
    return n;
  }

  std::string_view symbol() {
    std::size_t n = 0;
    while (n < rest_.size() && !is_delimiter(rest_[n])) ++n;
    std::string_view word = rest_.substr(0, n);
    rest_.remove_prefix(n);
    return word;
  }

 private:
  static bool is_delimiter(char c) {
    return is_space(c) || c == '[' || c == ']' || c == '{' || c == '}' || c == '"';
  }

  std::string string_literal() {
    rest_.remove_prefix(1);  // the opening quote
    std::string out;
    while (true) {
      if (rest_.empty()) fail("a closing '\"'");
      char c = rest_.front();
      rest_.remove_prefix(1);
      if (c == '"') return out;
      if (c == '\\') {
        if (rest_.empty()) fail("an escaped character");
        char e = rest_.front();
        rest_.remove_prefix(1);
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case '"':
          case '\\':
            out += e;
            break;
          default:
            fail("an escape among \\n \\t \\r \\\" \\\\");
        }
      } else {
        out += c;
      }
    }
  }

  std::string_view rest_;
  const std::string& file_;
  std::size_t line_;
};

std::optional<Event::Type> type_from_name(std::string_view name) {
  if (name == "invoke") return Event::Type::invoke;
  if (name == "ok") return Event::Type::ok;
  if (name == "fail") return Event::Type::fail;
  if (name == "info") return Event::Type::info;
  return std::nullopt;
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

std::string Value::to_edn() const {
  switch (kind) {
    case Kind::nil:
      return "nil";
    case Kind::boolean:
      return boolean ? "true" : "false";
    case Kind::integer:
      return std::to_string(integer);
    case Kind::string:
      // Invalid UTF-8 (a mangled file) is shown replaced, not thrown on.
      return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    case Kind::keyword:
      return ":" + text;
    case Kind::vector: {
      std::string out = "[";
      for (const Value& item : items) {
        if (out.size() > 1) out += ' ';
        out += item.to_edn();
      }
      return out + "]";
    }
  }
  return "?";
}

Format detect_format(std::string_view text) {
  Format format = Format::jepsen;
  bool decided = false;
  for_each_line(text, [&](std::size_t, std::string_view line) {
    if (decided) return;
    line = trim(line);
    if (line.empty()) return;
    decided = true;
    if (line.starts_with("{:")) {
      format = Format::edn;
    } else if (line.front() == '{' || line.front() == '[') {
      format = Format::json;
    }
  });
  return format;
}

std::vector<Event> parse_jepsen_log(std::string_view text, const std::string& file) {
  // `INFO  jepsen.util - 3	:invoke	:cas	[1 4]`: the part after "jepsen.util - "
  // is `process type f value`. Other log lines (they start with a level) are
  // skipped; a line with neither shape is an error.
  std::vector<Event> events;
  for_each_line(text, [&](std::size_t number, std::string_view line) {
    if (trim(line).empty()) return;
    std::string_view body = line;
    const std::size_t marker = line.find("jepsen.util - ");
    if (marker != std::string_view::npos) {
      body = line.substr(marker + 14);
    } else {
      EdnReader probe(line, file, number);
      probe.skip_space();
      if (is_log_level(probe.symbol())) return;
    }
    EdnReader reader(body, file, number);
    reader.skip_space();
    if (reader.rest().starts_with(":nemesis")) return;  // not a client
    Event event;
    event.line = number;
    event.process = reader.integer();
    Value type = reader.value();
    std::optional<Event::Type> parsed_type;
    if (type.kind == Value::Kind::keyword) parsed_type = type_from_name(type.text);
    if (!parsed_type) {
      throw ParseError(
          file, number,
          fmt::format("expected :invoke, :ok, :fail or :info, found {}", type.to_edn()));
    }
    event.type = *parsed_type;
    Value f = reader.value();
    if (f.kind != Value::Kind::keyword) {
      throw ParseError(
          file, number,
          fmt::format("expected an operation keyword such as :read, found {}", f.to_edn()));
    }
    event.f = f.text;
    event.value = reader.value();
    if (!reader.at_end()) reader.fail("the end of the line after the value");
    events.push_back(std::move(event));
  });
  return events;
}

std::vector<Event> parse_edn_lines(std::string_view text, const std::string& file) {
  std::vector<Event> events;
  for_each_line(text, [&](std::size_t number, std::string_view line) {
    if (trim(line).empty()) return;
    EdnReader reader(line, file, number);
    if (!reader.consume('{')) reader.fail("'{' (one operation map a line)");
    Event event;
    event.line = number;
    bool has_process = false, has_type = false, has_f = false;
    while (!reader.consume('}')) {
      if (reader.at_end()) reader.fail("a key or '}'");
      Value key = reader.value();
      if (key.kind != Value::Kind::keyword) {
        throw ParseError(file, number,
                         fmt::format("expected a keyword key, found {}", key.to_edn()));
      }
      if (reader.at_end()) reader.fail(fmt::format("a value for :{}", key.text));
      if (key.text == "process") {
        Value p = reader.value();
        // Jepsen's nemesis is not a client: its events are skipped.
        if (p.is_keyword("nemesis")) return;
        if (p.kind != Value::Kind::integer) {
          throw ParseError(file, number,
                           fmt::format("expected an integer :process, found {}", p.to_edn()));
        }
        event.process = p.integer;
        has_process = true;
      } else if (key.text == "type") {
        Value t = reader.value();
        std::optional<Event::Type> type;
        if (t.kind == Value::Kind::keyword) type = type_from_name(t.text);
        if (!type) {
          throw ParseError(
              file, number,
              fmt::format("expected :type :invoke, :ok, :fail or :info, found {}", t.to_edn()));
        }
        event.type = *type;
        has_type = true;
      } else if (key.text == "f") {
        Value f = reader.value();
        if (f.kind != Value::Kind::keyword && f.kind != Value::Kind::string) {
          throw ParseError(file, number,
                           fmt::format("expected a keyword :f, found {}", f.to_edn()));
        }
        event.f = f.text;
        has_f = true;
      } else if (key.text == "key") {
        event.key = reader.value();
      } else if (key.text == "value") {
        event.value = reader.value();
      } else {
        reader.value();  // :time, :index and the like are not needed
      }
    }
    if (!reader.at_end()) reader.fail("the end of the line after '}'");
    if (!has_process || !has_type || !has_f) {
      throw ParseError(file, number, "expected an operation map with :process, :type and :f");
    }
    events.push_back(std::move(event));
  });
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

std::vector<Event> parse_json_history(std::string_view text, const std::string& file) {
  if (auto deep = json_too_deep(text))
    throw ParseError(file, line_of_offset(text, *deep),
                     fmt::format("nested deeper than {} levels; refused", kMaxJsonDepth));
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    throw ParseError(file, line_of_offset(text, e.byte == 0 ? 0 : e.byte - 1),
                     fmt::format("expected valid JSON ({})", e.what()));
  } catch (const nlohmann::json::exception& e) {  // e.g. a number no double holds (6e4444)
    throw ParseError(file, 1, fmt::format("expected valid JSON ({})", e.what()));
  }
  const nlohmann::json* list = &doc;
  if (doc.is_object()) {
    auto it = doc.find("events");
    if (it == doc.end() || !it->is_array()) {
      throw ParseError(file, 1, "expected an object with an \"events\" array");
    }
    list = &*it;
  } else if (!doc.is_array()) {
    throw ParseError(file, 1, "expected an object with an \"events\" array, or an array of events");
  }
  // JSON keeps no line numbers: an event is located by its index, reported as
  // its "line" (1-based), which is its line when written one event a line.
  std::vector<Event> events;
  std::size_t index = 0;
  for (const nlohmann::json& e : *list) {
    ++index;
    auto where = [&](const std::string& message) {
      return ParseError(file, index, fmt::format("event {}: {}", index, message));
    };
    if (!e.is_object()) throw where("expected an event object");
    Event event;
    event.line = index;
    auto process = e.find("process");
    if (process == e.end() || !process->is_number_integer()) {
      throw where("expected an integer \"process\"");
    }
    event.process = process->get<std::int64_t>();
    auto type = e.find("type");
    std::optional<Event::Type> parsed_type;
    if (type != e.end() && type->is_string())
      parsed_type = type_from_name(type->get<std::string>());
    if (!parsed_type) throw where("expected \"type\": \"invoke\", \"ok\", \"fail\" or \"info\"");
    event.type = *parsed_type;
    auto f = e.find("f");
    if (f == e.end() || !f->is_string()) throw where("expected a string \"f\"");
    event.f = f->get<std::string>();
    if (auto key = e.find("key"); key != e.end()) event.key = value_from_json(*key, file, index);
    if (auto value = e.find("value"); value != e.end()) {
      event.value = value_from_json(*value, file, index);
    }
    events.push_back(std::move(event));
  }
  return events;
}

std::vector<Event> parse_events(std::string_view text, Format format, const std::string& file) {
  switch (format) {
    case Format::jepsen:
      return parse_jepsen_log(text, file);
    case Format::edn:
      return parse_edn_lines(text, file);
    case Format::json:
      return parse_json_history(text, file);
  }
  return {};
}

}  // namespace verdict::lincheck
