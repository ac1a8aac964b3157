// The history readers (checkers/linearizability/history_file.hpp) on hostile
// text, through the general reader `verdict lincheck` uses: the format is the
// target's (VERDICT_FUZZ_FORMAT: json, jepsen or edn); the input's first
// byte picks the specification and the reading of failed operations (the
// format's own, knossos's or porcupine's). A reader may only refuse with a
// ParseError; a JSON history that simdjson's path reads must read the same
// through the exact reader.
#include <optional>
#include <string>
#include <string_view>

#include "checkers/linearizability/history_file.hpp"
#include "checkers/linearizability/json_fast.hpp"
#include "fuzz/fuzz_target.hpp"

using namespace verdict;
using namespace verdict::lincheck;

VERDICT_FUZZ_TARGET {
  if (size == 0) return 0;
  const auto format = format_from_string(VERDICT_FUZZ_FORMAT);
  if (!format) fuzz::broken("VERDICT_FUZZ_FORMAT names no format");
  constexpr SpecKind specs[] = {SpecKind::register_spec, SpecKind::kv, SpecKind::vard};
  const SpecKind spec = specs[data[0] % 3];
  LoadOptions options;
  options.format = *format;
  if (const int pick = data[0] / 3 % 3; pick > 0)
    options.reading = pick == 1 ? Reading::knossos : Reading::porcupine;
  // Where simdjson's path reads a JSON history, the exact reader must read
  // the same events and reading (json_fast.hpp).
  if (*format == Format::json) {
    const std::string_view text = fuzz::as_text(data + 1, size - 1);
    if (const std::optional<EventLog> fast = read_json_history_fast(text)) {
      try {
        if (!(parse_json_history_exact(text, "fuzz") == *fast))
          fuzz::broken("simdjson's path and the exact reader read different events");
      } catch (const ParseError&) {
        fuzz::broken("simdjson's path read a JSON history the exact reader refuses");
      }
    }
  }
  try {
    const auto loaded = load_history(fuzz::as_text(data + 1, size - 1), "fuzz", spec, options);
    if (loaded.spec != spec || loaded.format != *format ||
        (options.reading && loaded.reading != *options.reading))
      fuzz::broken("a history read as another specification, format or reading");
  } catch (const ParseError&) {
  }
  return 0;
}
