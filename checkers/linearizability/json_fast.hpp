// The fast path of reading Verdict's JSON history (docs/history-format.md):
// simdjson parses the whole text at gigabytes a second, and the events are
// taken from its tree. It answers only for a history it can read exactly as
// parse_json_history_exact would: well-formed JSON, every event an object
// whose fields have the expected types, no repeated keys, no \u escape (the
// two parsers need not agree on a lone surrogate). For anything else it
// declines, and the exact reader reads the text again and names what was
// wrong. Reading was half of `lincheck`'s time on large histories with
// nlohmann's parser alone.
#pragma once

#include <optional>
#include <string_view>

#include "checkers/linearizability/formats.hpp"

namespace verdict::lincheck {

// The events and reading of a JSON history, or nullopt where the exact reader
// must decide (it may still accept the text).
std::optional<EventLog> read_json_history_fast(std::string_view text);

}  // namespace verdict::lincheck
