// From a history file to a verdict, for the three specifications that
// `verdict lincheck --model` names: read the events (formats.hpp), pair each
// invocation with its completion, and build the History of the chosen
// specification. A `:fail` operation is dropped (it did not take effect); an
// `:info` one, or one never completed, has an unknown outcome. Positions are
// line numbers, so counterexamples point into the file.
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

struct LoadedHistory {
  SpecKind spec = SpecKind::register_spec;
  Format format = Format::jepsen;
  std::variant<History<RegisterSpec>, History<KvSpec>, History<VardSpec>> history;
  std::size_t size() const;
};

// Throws ParseError for malformed input (file, line, what was expected).
// `format` nullopt: detected from the content.
LoadedHistory load_history(std::string_view text, const std::string& file, SpecKind spec,
                           std::optional<Format> format = std::nullopt);
// Reads the file too; an unreadable file is a ParseError at line 0.
LoadedHistory load_history_file(const std::string& path, SpecKind spec,
                                std::optional<Format> format = std::nullopt);

Result check_loaded(const LoadedHistory& loaded, const CheckOptions& options = {});

}  // namespace verdict::lincheck
