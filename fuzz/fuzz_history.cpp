// The history readers (checkers/linearizability/history_file.hpp) on hostile
// text, through the general reader `verdict lincheck` uses: the format is the
// target's (VERDICT_FUZZ_FORMAT: json, jepsen or edn), the specification
// the input's first byte. A reader may only refuse with a ParseError.
#include <string>

#include "checkers/linearizability/history_file.hpp"
#include "fuzz/fuzz_target.hpp"

using namespace verdict;
using namespace verdict::lincheck;

VERDICT_FUZZ_TARGET {
  if (size == 0) return 0;
  const auto format = format_from_string(VERDICT_FUZZ_FORMAT);
  if (!format) fuzz::broken("VERDICT_FUZZ_FORMAT names no format");
  constexpr SpecKind specs[] = {SpecKind::register_spec, SpecKind::kv, SpecKind::vard};
  const SpecKind spec = specs[data[0] % 3];
  try {
    const auto loaded = load_history(fuzz::as_text(data + 1, size - 1), "fuzz", spec, *format);
    if (loaded.spec != spec || loaded.format != *format)
      fuzz::broken("a history read as another specification or format");
  } catch (const ParseError&) {
  }
  return 0;
}
