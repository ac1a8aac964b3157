// From a history file to a verdict, for the three specifications that
// `verdict lincheck --model` names: read the events (formats.hpp), pair each
// invocation with its completion, and build the History of the chosen
// specification. What a `:fail` operation means depends on the Reading
// (formats.hpp); an `:info` one, or one never completed, has an unknown
// outcome. Positions are event numbers (several EDN events may share a line,
// yet one came first); check_loaded's counterexamples show line numbers, so
// they point into the file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "checkers/linearizability/checker.hpp"
#include "checkers/linearizability/formats.hpp"
#include "checkers/linearizability/specs.hpp"

namespace verdict::lincheck {

enum class SpecKind { register_spec, kv, vard };

const char* to_string(SpecKind spec);
std::optional<SpecKind> spec_from_string(std::string_view name);

// The state the specification starts from: the register's value, or the
// key-value models' map.
struct InitialState {
  RegisterSpec::Value register_value = RegisterSpec::kNil;
  StringMap map;
};

struct LoadOptions {
  std::optional<Format> format;    // nullopt: detected from the content
  std::optional<Reading> reading;  // nullopt: the one the format implies
  InitialState initial;
};

struct LoadedHistory {
  SpecKind spec = SpecKind::register_spec;
  Format format = Format::jepsen;
  Reading reading = Reading::knossos;
  InitialState initial;
  std::variant<History<RegisterSpec>, History<KvSpec>, History<VardSpec>> history;
  std::vector<std::size_t> event_lines;  // position n (1-based event number) is on this line
  std::size_t size() const;
};

// Throws ParseError for malformed input (file, line, what was expected).
LoadedHistory load_history(std::string_view text, const std::string& file, SpecKind spec,
                           const LoadOptions& options = {});
// Reads the file too (bounded; a directory is read as Jepsen's store layout,
// its history.edn); an unreadable file is a ParseError at line 0.
LoadedHistory load_history_file(const std::string& path, SpecKind spec,
                                const LoadOptions& options = {});

// `--initial`: "nil" or an integer (not the one nil is encoded as).
std::optional<RegisterSpec::Value> register_value_from_string(std::string_view text);
// `--initial-file`: a JSON object of string keys and string (or integer)
// values, read bounded. Throws ParseError.
StringMap read_initial_map(const std::string& path);

Result check_loaded(const LoadedHistory& loaded, const CheckOptions& options = {});

}  // namespace verdict::lincheck
