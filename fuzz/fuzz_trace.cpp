// The trace reader (traces/trace_file.hpp) on hostile text: it must refuse
// with a TraceError or return a trace, and a trace it returns must write back
// to JSON that reads as the same trace — and export to every format
// (traces/export.hpp) without failing, its evidence's history included.
#include <string>

#include "fuzz/fuzz_target.hpp"
#include "traces/export.hpp"
#include "traces/trace_file.hpp"

using namespace verdict;

VERDICT_FUZZ_TARGET {
  TraceFile trace;
  try {
    trace = parse_trace_text(fuzz::as_text(data, size), "fuzz.json");
  } catch (const TraceError&) {
    return 0;
  }
  const auto json = trace_to_json(trace);
  if (trace_to_json(parse_trace_text(json.dump(), "again.json")) != json)
    fuzz::broken("a trace read back differs from the one written");
  // Anything the reader accepts, the exports draw (a bad history in the
  // evidence is drawn as bad input, not thrown).
  (void)export_html(trace);
  (void)export_dot(trace);
  (void)export_shiviz(trace);
  return 0;
}
