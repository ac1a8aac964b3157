// The durable log's reader (net/durable_log.hpp) on hostile file contents:
// it must refuse with CorruptData or replay, keep no more than the file
// holds, and read what it keeps — the file cut where it cuts a torn tail —
// again as the same state with nothing left to cut.
#include "fuzz/fuzz_target.hpp"
#include "net/durable_log.hpp"

using namespace verdict;
using namespace verdict::net;

VERDICT_FUZZ_TARGET {
  const auto file = fuzz::as_text(data, size);
  durable_format::Replayed first;
  try {
    first = durable_format::replay(file, 1, 3, "fuzz");
  } catch (const CorruptData&) {
    return 0;
  }
  if (first.valid_end > file.size()) fuzz::broken("kept more than the file holds");
  const auto again = durable_format::replay(file.substr(0, first.valid_end), 1, 3, "fuzz");
  if (again.valid_end != first.valid_end || again.records != first.records ||
      again.state.term != first.state.term || again.state.voted_for != first.state.voted_for ||
      again.state.log != first.state.log)
    fuzz::broken("the kept part of a log reads back differently");
  return 0;
}
