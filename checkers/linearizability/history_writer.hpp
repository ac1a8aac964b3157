// Verdict's JSON history (docs/history-format.md) written from a History, so
// that the history a run was judged on can leave the process that judged it:
// the trace of a linearizability violation carries it as evidence, and
// `verdict export --format html` draws it as `lincheck --html` would
// (traces/export.cpp). The vard specification (raft-kv's) has a writer;
// another Spec gets one by overloading history_document.
#pragma once

#include <concepts>

#include <nlohmann/json.hpp>

#include "checkers/linearizability/history.hpp"
#include "checkers/linearizability/specs.hpp"

namespace verdict::lincheck {

// Events in position order: an invoke at each operation's call and an ok at
// its return; an operation whose outcome is unknown has no completion (read
// back, it is an :info). Reading "knossos": nothing in it failed.
nlohmann::json history_document(const History<VardSpec>& history);

template <class Spec>
concept WritableHistory = requires(const History<Spec>& h) {
  { history_document(h) } -> std::same_as<nlohmann::json>;
};

}  // namespace verdict::lincheck
