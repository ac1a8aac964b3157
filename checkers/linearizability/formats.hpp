// Reading history files: Jepsen's text log, EDN operation maps (one a line)
// and Verdict's JSON history (docs/history-format.md). All three describe the
// same thing, a sequence of events: a process invokes an operation, then it
// completes as ok, fail (did not take effect) or info (outcome unknown).
// The parsers only read events; history_file.hpp turns them into a History
// for a given specification.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace verdict::lincheck {

enum class Format { jepsen, edn, json };

const char* to_string(Format format);
std::optional<Format> format_from_string(std::string_view name);
// From the first non-blank line: "{:" is EDN, "{" or "[" JSON, anything else
// a Jepsen log.
Format detect_format(std::string_view text);

// A malformed input: names the file, the line and what was expected.
class ParseError : public std::runtime_error {
 public:
  ParseError(std::string file, std::size_t line, const std::string& message);
  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }

 private:
  std::string file_;
  std::size_t line_;
};

// The values of the logs: an EDN subset, which JSON values map onto.
struct Value {
  enum class Kind { nil, boolean, integer, string, keyword, vector };
  Kind kind = Kind::nil;
  bool boolean = false;
  std::int64_t integer = 0;
  std::string text;  // string, or keyword without its colon
  std::vector<Value> items;

  bool is_nil() const { return kind == Kind::nil; }
  bool is_keyword(std::string_view name) const { return kind == Kind::keyword && text == name; }
  std::string to_edn() const;
};

struct Event {
  enum class Type { invoke, ok, fail, info };
  std::size_t line = 0;  // 1-based line of the file (JSON: of the event's start)
  std::int64_t process = 0;
  Type type = Type::invoke;
  std::string f;             // the operation, e.g. "read", "cas", "append"
  std::optional<Value> key;  // kv histories
  Value value;
};

// Each throws ParseError. `file` is only used in messages.
std::vector<Event> parse_jepsen_log(std::string_view text, const std::string& file);
std::vector<Event> parse_edn_lines(std::string_view text, const std::string& file);
std::vector<Event> parse_json_history(std::string_view text, const std::string& file);
std::vector<Event> parse_events(std::string_view text, Format format, const std::string& file);

}  // namespace verdict::lincheck
