// Liveness on the explored state graph: "eventually Q" and "P leads-to Q"
// under weak fairness, judged by strongly connected components (Boost.Graph's
// strong_components) of the graph BFS records when a model has liveness
// properties (bfs.hpp). The algorithm, the fairness definition and the memory
// per edge are in docs/explorer.md, "Liveness".
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace verdict::liveness {

// The fairness key of a step no fairness applies to (a fault).
inline constexpr std::uint64_t kUnfair = ~std::uint64_t{0};

// The explored graph: states by BFS number, each one's out-edges in action
// order (self-loops and edges to already visited states included).
struct StateGraph {
  std::vector<std::uint64_t> offsets{0};  // state s's edges: [offsets[s], offsets[s+1])
  std::vector<std::uint32_t> targets;     // per edge: the successor's number
  std::vector<std::uint64_t> keys;        // per edge: the action's fairness key, or kUnfair
  std::vector<std::uint32_t> actions;     // per edge: the action's index in its state
  // Per state: its successors are known. A state the search did not expand
  // (beyond a boundary or --max-depth) has an unknown future: it is never
  // taken to stop there, so paths into it are not counterexamples.
  std::vector<char> expanded;

  std::size_t state_count() const { return expanded.size(); }
  std::uint64_t bytes() const {
    return offsets.size() * sizeof(std::uint64_t) +
           targets.size() * (sizeof(std::uint32_t) * 2 + sizeof(std::uint64_t)) + expanded.size();
  }
};

// A counterexample: from state `start` (where the trigger holds and the goal
// does not), the `stem` edges lead to a state from which the `cycle` edges
// lead back to it, the goal failing throughout; every fair key enabled in
// every state of the cycle is taken on it. An empty cycle: no fair step is
// enabled in the stem's last state, so a fair behaviour may stop there.
struct Lasso {
  std::uint32_t start = 0;
  std::vector<std::uint64_t> stem;
  std::vector<std::uint64_t> cycle;
};

// Sets graph.targets from the successors' fingerprints: state_fps[s] is
// state s's fingerprint, and every edge's successor must be among them.
void resolve_targets(StateGraph& graph, const std::vector<std::uint64_t>& state_fps,
                     const std::vector<std::uint64_t>& edge_fps);

// The graph prepared once (Boost's compressed sparse row form) for judging
// any number of properties on it.
class Analysis {
 public:
  explicit Analysis(const StateGraph& graph);
  ~Analysis();
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;

  // The counterexample to "trigger leads-to goal" with the smallest-numbered
  // start state, or nullopt when the property holds on the graph.
  // Deterministic: it depends on the graph and the state numbering only.
  std::optional<Lasso> find_violation(const std::vector<bool>& trigger,
                                      const std::vector<bool>& goal) const;

 private:
  struct Boost;
  const StateGraph& graph_;
  std::unique_ptr<Boost> boost_;
};

// One property on a graph: Analysis(graph).find_violation(trigger, goal).
std::optional<Lasso> find_violation(const StateGraph& graph, const std::vector<bool>& trigger,
                                    const std::vector<bool>& goal);

}  // namespace verdict::liveness
