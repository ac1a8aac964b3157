// Reading history files: Jepsen's text log, EDN (Jepsen's and knossos's
// history.edn: a collection of operation maps, or one map per top-level form)
// and Verdict's JSON history (docs/history-format.md). All three describe the
// same thing, a sequence of events: a process invokes an operation, then it
// completes as ok, fail or info (outcome unknown). What a `fail` means is a
// choice of Reading, made when the events become a History (history_file.hpp).
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

// What a failed (`fail`) operation means; the tools differ.
//   knossos    it did not take effect (Jepsen's checker, knossos)
//   porcupine  a failed compare-and-set observed that the register held
//              something other than the value it expected; any other failed
//              operation has an unknown outcome (Porcupine on Jepsen's etcd
//              logs, where `:fail :read :timed-out` is a timeout)
// In both, an `info` operation, or one never completed, has an unknown outcome.
enum class Reading { knossos, porcupine };

const char* to_string(Reading reading);
std::optional<Reading> reading_from_string(std::string_view name);
// From the first significant characters (blanks and `;` comments skipped):
// `{"`, `{}`, `[{"`, `[]`, `[[` and the like are JSON; `{:`, `[{:`, `(`,
// `#`, a comment are EDN; anything else is a Jepsen log. EDN is never taken
// for JSON: a JSON text starts with a string or a bracket where EDN has a
// keyword.
Format detect_format(std::string_view text);

// A malformed input: names the file, the line (the column when known) and
// what was expected.
class ParseError : public std::runtime_error {
 public:
  ParseError(std::string file, std::size_t line, const std::string& message);
  ParseError(std::string file, std::size_t line, std::size_t column, const std::string& message);
  const std::string& file() const { return file_; }
  std::size_t line() const { return line_; }

 private:
  std::string file_;
  std::size_t line_;
};

// The values of the logs: EDN's, which JSON values map onto.
struct Value {
  enum class Kind {
    nil,
    boolean,
    integer,
    floating,
    string,
    character,  // text: the character in UTF-8
    keyword,    // text: the name without its colon
    symbol,
    list,
    vector,
    set,
    map,  // items: key, value, key, value...
  };
  Kind kind = Kind::nil;
  bool boolean = false;
  std::int64_t integer = 0;
  double floating = 0;
  std::string text;
  std::vector<Value> items;

  bool is_nil() const { return kind == Kind::nil; }
  bool is_keyword(std::string_view name) const { return kind == Kind::keyword && text == name; }
  // A vector or a list: Jepsen writes both for a pair such as [expected new].
  bool is_sequence() const { return kind == Kind::vector || kind == Kind::list; }
  // A map's value for the keyword `:name`, or nullptr.
  const Value* find(std::string_view name) const;
  std::string to_edn() const;
  bool operator==(const Value&) const = default;
};

struct Event {
  enum class Type { invoke, ok, fail, info };
  std::size_t line = 0;  // 1-based line of the file (EDN: of the map's '{'; JSON: event number)
  std::int64_t process = 0;
  Type type = Type::invoke;
  std::string f;             // the operation, e.g. "read", "cas", "append"
  std::optional<Value> key;  // kv histories
  Value value;
  bool operator==(const Event&) const = default;
};

// An event type by its name: "invoke", "ok", "fail" or "info".
std::optional<Event::Type> type_from_name(std::string_view name);

// The events of a file and the reading its format implies: Porcupine's for a
// Jepsen log, knossos's for EDN; a JSON history names its own.
struct EventLog {
  std::vector<Event> events;
  Reading reading = Reading::knossos;
  bool operator==(const EventLog&) const = default;
};

// Verdict's JSON history format: version 1 has no reading (knossos's); version
// 2 names it in "failed_ops".
inline constexpr int kJsonHistoryVersion = 2;

// Each throws ParseError. `file` is only used in messages.
std::vector<Event> parse_jepsen_log(std::string_view text, const std::string& file);
// A file that is one vector or list of operation maps, or operation maps one
// after another (spread over any number of lines). Maps of the :nemesis
// process are skipped.
std::vector<Event> parse_edn(std::string_view text, const std::string& file);
// A JSON history is read by simdjson (json_fast.hpp) when it is well formed
// and every event is as expected; anything else, errors included, is read by
// parse_json_history_exact, which names the event and what was wrong. The two
// give the same events and reading wherever the fast one answers (tested).
EventLog parse_json_history(std::string_view text, const std::string& file);
EventLog parse_json_history_exact(std::string_view text, const std::string& file);
EventLog parse_events(std::string_view text, Format format, const std::string& file);

}  // namespace verdict::lincheck
