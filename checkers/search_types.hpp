// What a search is asked to do (bounds, limits, strategy) and what it found.
// Shared by the exhaustive explorers (bfs.hpp, dfs.hpp), the random walker
// and the command line, which turns a SearchResult into a JSON report.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "checkers/model.hpp"

namespace verdict {

enum class Strategy { bfs, dfs };

inline const char* to_string(Strategy s) {
  return s == Strategy::bfs ? "bfs" : "dfs";
}

struct SearchOptions {
  Strategy strategy = Strategy::bfs;
  unsigned threads = 1;                    // worker threads; results do not depend on it
  bool symmetry = false;                   // use Model::representative when it exists
  bool keep_going = false;                 // expand violating states too; report every property
  bool check_deadlock = false;             // a non-terminal state without successors is a violation
  bool liveness = true;                    // judge eventually / leads-to (BFS records the graph)
  std::optional<std::uint64_t> max_depth;  // in states: the initial state has depth 1
  std::optional<std::uint64_t> max_states;
  std::optional<double> time_limit_seconds;
  std::optional<std::uint64_t> memory_limit_mb;
  bool check_determinism = false;  // compute each successor twice and compare fingerprints
  // Keep the first states seen per fingerprint and compare every later state
  // with the same fingerprint (search_common.hpp, FingerprintAudit). Always
  // on in builds without NDEBUG.
  bool audit_fingerprints = false;
  bool progress = false;  // progress lines on stderr every few seconds
  // Set to true (e.g. by a SIGINT handler) to stop the search cleanly.
  const std::atomic<bool>* interrupt = nullptr;
};

// How random walks run (checkers/random_walks.hpp, `verdict simulate`).
struct WalkOptions {
  std::uint64_t seed = 0;
  std::uint64_t first_walk = 0;  // --walk-range A:B walks A..B-1
  std::uint64_t walks = 1000;
  std::uint64_t depth = 100;  // steps per walk at most
  unsigned threads = 1;
  bool swarm = false;                     // each walk draws its own mix of action kinds
  std::map<std::string, double> weights;  // --weight kind=w (default 1)
  std::optional<double> time_limit_seconds;
  const std::atomic<bool>* interrupt = nullptr;
  bool progress = false;
};

enum class Outcome {
  holds,        // always: never violated in the covered space
  violated,     // always: a counterexample was found
  reached,      // sometimes: an example was found
  not_reached,  // sometimes: no example in the covered space
  unchecked,    // eventually / leads-to: not judged (DFS, --symmetry, or an incomplete graph)
};

inline const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::holds:
      return "holds";
    case Outcome::violated:
      return "violated";
    case Outcome::reached:
      return "reached";
    case Outcome::not_reached:
      return "not_reached";
    case Outcome::unchecked:
      return "unchecked";
  }
  return "?";
}

// A path from an initial state: which initial state, then the actions taken.
template <class M>
struct Path {
  std::size_t init_index = 0;
  std::vector<typename M::Action> actions;
};

template <class M>
struct PropertyResult {
  std::string name;
  Expectation expectation = Expectation::always;
  Outcome outcome = Outcome::holds;
  std::optional<Path<M>> example;  // counterexample (always) or witness (sometimes)
  // Liveness counterexamples are lassos: the last `cycle` actions of
  // `example` lead from the stem's last state back to it (0: the behaviour
  // stops there, no fair step being enabled).
  std::optional<std::size_t> cycle;
};

// What a search found, but the paths: the part of a SearchResult that does
// not depend on the model's type, so reports about it compile once.
struct SearchStats {
  std::uint64_t unique_states = 0;     // initial states included
  std::uint64_t generated_states = 0;  // initial states + every successor computed
  std::uint64_t max_depth = 0;         // in states
  double seconds = 0;
  // The whole bounded space was covered, or the search stopped at a
  // violation (stop_reason "violation"); false after a limit or an interrupt.
  bool complete = false;
  // "", "violation", "max-states", "time-limit", "memory-limit", "interrupted",
  // "nondeterminism".
  std::string stop_reason;
  std::string nondeterminism;  // non-empty when --check-determinism caught one
  // Memory the explorer's own structures held at the end (for reports and the
  // bench): the visited set, and BFS's parent links (0 for DFS).
  std::uint64_t visited_bytes = 0;
  std::uint64_t parent_link_bytes = 0;
  // Liveness (checkers/liveness.hpp): the edges of the state graph recorded,
  // the bytes they held, and the seconds the SCC analysis took after the search.
  std::uint64_t graph_edges = 0;
  std::uint64_t graph_bytes = 0;
  double liveness_seconds = 0;
  std::string liveness_note;  // why liveness properties are unchecked, if they are
};

template <class M>
struct SearchResult : SearchStats {
  std::vector<PropertyResult<M>> properties;
  // The first violated property (by the documented order), if any.
  std::optional<std::size_t> violation;  // index into properties
};

}  // namespace verdict
