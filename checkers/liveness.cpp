#include "checkers/liveness.hpp"

#include <algorithm>
#include <deque>
#include <iterator>
#include <limits>
#include <stdexcept>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>

namespace verdict::liveness {

namespace {

using Csr =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                       boost::no_property, std::uint32_t, std::uint64_t>;
inline constexpr std::uint32_t kNoComponent = std::numeric_limits<std::uint32_t>::max();
inline constexpr std::uint64_t kNoEdge = std::numeric_limits<std::uint64_t>::max();

// The region searched for a counterexample: the states where the goal fails.
struct OutsideGoal {
  const std::vector<bool>* goal = nullptr;
  bool operator()(std::uint32_t v) const { return !(*goal)[v]; }
};

// The graph's edges as (source, target) pairs in source order, read in
// place: Boost copies the targets into its own arrays once, and no list of
// pairs (8 bytes an edge) is built for it first.
class EdgePairs {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = std::pair<std::uint32_t, std::uint32_t>;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = const value_type&;

  EdgePairs(const StateGraph& g, std::uint64_t e) : g_(&g), e_(e) { settle(); }
  reference operator*() const { return pair_; }
  pointer operator->() const { return &pair_; }
  EdgePairs& operator++() {
    ++e_;
    settle();
    return *this;
  }
  bool operator==(const EdgePairs& o) const { return e_ == o.e_; }
  bool operator!=(const EdgePairs& o) const { return e_ != o.e_; }

 private:
  void settle() {
    if (e_ >= g_->targets.size()) return;
    while (g_->offsets[source_ + 1] <= e_) ++source_;
    pair_ = {source_, g_->targets[e_]};
  }
  const StateGraph* g_;
  std::uint64_t e_;
  std::uint32_t source_ = 0;
  value_type pair_{};
};

Csr boost_graph(const StateGraph& g) {
  return Csr(boost::edges_are_sorted, EdgePairs(g, 0), EdgePairs(g, g.targets.size()),
             static_cast<std::uint32_t>(g.state_count()), g.targets.size());
}

// The fair keys enabled in state s, sorted and unique, into `keys`.
void fair_keys(const StateGraph& g, std::uint32_t s, std::vector<std::uint64_t>& keys) {
  keys.clear();
  for (std::uint64_t e = g.offsets[s]; e < g.offsets[s + 1]; ++e)
    if (g.keys[e] != kUnfair) keys.push_back(g.keys[e]);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}
std::vector<std::uint64_t> fair_keys(const StateGraph& g, std::uint32_t s) {
  std::vector<std::uint64_t> keys;
  fair_keys(g, s, keys);
  return keys;
}

bool enables(const StateGraph& g, std::uint32_t s, std::uint64_t key) {
  for (std::uint64_t e = g.offsets[s]; e < g.offsets[s + 1]; ++e)
    if (g.keys[e] == key) return true;
  return false;
}

// A behaviour may stop in s: it was expanded and no fair step is enabled.
bool may_stop(const StateGraph& g, std::uint32_t s) {
  if (!g.expanded[s]) return false;
  for (std::uint64_t e = g.offsets[s]; e < g.offsets[s + 1]; ++e)
    if (g.keys[e] != kUnfair) return false;
  return true;
}

// Breadth-first from `from` along edges that `usable` admits, to the first
// state `is_target` accepts (`from` itself included); the edges of the path,
// or nullopt. Neighbours in edge order, so the path is deterministic.
template <class Usable, class Target>
std::optional<std::vector<std::uint64_t>> shortest_path(const StateGraph& g, std::uint32_t from,
                                                        Usable&& usable, Target&& is_target) {
  std::vector<std::uint64_t> parent_edge(g.state_count(), kNoEdge);
  std::vector<char> seen(g.state_count(), 0);
  std::deque<std::uint32_t> queue{from};
  seen[from] = 1;
  while (!queue.empty()) {
    const std::uint32_t s = queue.front();
    queue.pop_front();
    if (is_target(s)) {
      std::vector<std::uint64_t> path;
      for (std::uint32_t at = s; at != from;) {
        const std::uint64_t e = parent_edge[at];
        path.push_back(e);
        at = static_cast<std::uint32_t>(std::upper_bound(g.offsets.begin(), g.offsets.end(), e) -
                                        g.offsets.begin() - 1);
      }
      std::reverse(path.begin(), path.end());
      return path;
    }
    for (std::uint64_t e = g.offsets[s]; e < g.offsets[s + 1]; ++e) {
      const std::uint32_t t = g.targets[e];
      if (seen[t] || !usable(t)) continue;
      seen[t] = 1;
      parent_edge[t] = e;
      queue.push_back(t);
    }
  }
  return std::nullopt;
}

// A fair cycle through b inside component c (which is fair: every fair key
// enabled throughout it is taken inside it). Built greedily: while some key
// is enabled in every state of the path so far but never taken on it, walk
// (inside c) to the nearest state that disables it or takes it, then close
// the path back to b. Each round settles one key for good, so this ends.
std::vector<std::uint64_t> fair_cycle(const StateGraph& g, const std::vector<std::uint32_t>& comp,
                                      std::uint32_t c, std::uint32_t b) {
  auto inside = [&](std::uint32_t t) { return comp[t] == c; };
  std::vector<std::uint64_t> path;
  std::vector<std::uint64_t> enabled_throughout = fair_keys(g, b), taken;
  std::uint32_t at = b;
  auto extend = [&](const std::vector<std::uint64_t>& edges) {
    for (std::uint64_t e : edges) {
      path.push_back(e);
      if (g.keys[e] != kUnfair) taken.push_back(g.keys[e]);
      at = g.targets[e];
      std::vector<std::uint64_t> here = fair_keys(g, at), both;
      std::set_intersection(enabled_throughout.begin(), enabled_throughout.end(), here.begin(),
                            here.end(), std::back_inserter(both));
      enabled_throughout = std::move(both);
    }
    std::sort(taken.begin(), taken.end());
    taken.erase(std::unique(taken.begin(), taken.end()), taken.end());
  };
  for (;;) {
    std::vector<std::uint64_t> missing;
    std::set_difference(enabled_throughout.begin(), enabled_throughout.end(), taken.begin(),
                        taken.end(), std::back_inserter(missing));
    if (missing.empty()) break;
    const std::uint64_t key = missing.front();
    auto internal_edge = [&](std::uint32_t s) -> std::uint64_t {
      for (std::uint64_t e = g.offsets[s]; e < g.offsets[s + 1]; ++e)
        if (g.keys[e] == key && inside(g.targets[e])) return e;
      return kNoEdge;
    };
    auto walk = shortest_path(g, at, inside, [&](std::uint32_t s) {
      return !enables(g, s, key) || internal_edge(s) != kNoEdge;
    });
    if (!walk) throw std::logic_error("liveness: a fair component has an unsettled key");
    extend(*walk);
    if (enables(g, at, key)) extend({internal_edge(at)});
  }
  if (path.empty()) return path;  // b enables no fair key: stopping there is fair
  if (at != b) {
    auto back = shortest_path(g, at, inside, [&](std::uint32_t s) { return s == b; });
    if (!back) throw std::logic_error("liveness: a component is not strongly connected");
    extend(*back);
  }
  return path;
}

}  // namespace

void resolve_targets(StateGraph& g, const std::vector<std::uint64_t>& state_fps,
                     const std::vector<std::uint64_t>& edge_fps) {
  if (state_fps.size() >= kNoComponent)
    throw std::length_error("liveness: more than 2^32-1 states");
  // Open addressing at load <= 1/2: (fingerprint, number + 1) per slot, 0 empty.
  std::size_t capacity = 16;
  while (capacity < 2 * state_fps.size()) capacity *= 2;
  const std::size_t mask = capacity - 1;
  struct Slot {
    std::uint64_t fp;
    std::uint32_t number_plus_one;
  };
  std::vector<Slot> table(capacity, Slot{0, 0});
  // Fingerprints are already well mixed: their low bits index the table.
  for (std::uint32_t s = 0; s < state_fps.size(); ++s) {
    std::size_t i = state_fps[s] & mask;
    while (table[i].number_plus_one != 0) i = (i + 1) & mask;
    table[i] = {state_fps[s], s + 1};
  }
  g.targets.resize(edge_fps.size());
  // Each lookup is a cache miss in a table far larger than the cache: ask for
  // the slot of an edge some way ahead while this one is looked up.
  constexpr std::size_t kAhead = 16;
  for (std::size_t e = 0; e < edge_fps.size(); ++e) {
    if (e + kAhead < edge_fps.size()) __builtin_prefetch(&table[edge_fps[e + kAhead] & mask]);
    std::size_t i = edge_fps[e] & mask;
    while (table[i].number_plus_one != 0 && table[i].fp != edge_fps[e]) i = (i + 1) & mask;
    if (table[i].number_plus_one == 0)
      throw std::logic_error("liveness: an edge leads to a state the search did not number");
    g.targets[e] = table[i].number_plus_one - 1;
  }
}

struct Analysis::Boost {
  Csr csr;
};

Analysis::Analysis(const StateGraph& graph)
    : graph_(graph), boost_(std::make_unique<Boost>(Boost{boost_graph(graph)})) {
  if (graph.state_count() >= kNoComponent)
    throw std::length_error("liveness: more than 2^32-1 states");
}

Analysis::~Analysis() = default;

std::optional<Lasso> find_violation(const StateGraph& graph, const std::vector<bool>& trigger,
                                    const std::vector<bool>& goal) {
  return Analysis(graph).find_violation(trigger, goal);
}

std::optional<Lasso> Analysis::find_violation(const std::vector<bool>& trigger,
                                              const std::vector<bool>& goal) const {
  const StateGraph& g = graph_;
  const Csr& csr = boost_->csr;
  const std::size_t n = g.state_count();
  boost::filtered_graph<Csr, boost::keep_all, OutsideGoal> region(csr, boost::keep_all{},
                                                                  OutsideGoal{&goal});
  std::vector<std::uint32_t> comp(n, kNoComponent);
  const auto count = static_cast<std::uint32_t>(boost::strong_components(
      region, boost::make_iterator_property_map(comp.begin(), get(boost::vertex_index, csr))));

  // Members of each component, in state order.
  std::vector<std::uint64_t> first(count + 1, 0);
  for (std::uint32_t s = 0; s < n; ++s)
    if (comp[s] != kNoComponent) ++first[comp[s] + 1];
  for (std::uint32_t c = 0; c < count; ++c) first[c + 1] += first[c];
  std::vector<std::uint32_t> members(first.back());
  {
    std::vector<std::uint64_t> fill(first.begin(), first.end() - 1);
    for (std::uint32_t s = 0; s < n; ++s)
      if (comp[s] != kNoComponent) members[fill[comp[s]]++] = s;
  }

  // fair[c]: a fair behaviour can stay in c for ever (a fair cycle inside it).
  // doomed[c]: from c, a fair behaviour can avoid the goal for ever.
  // strong_components numbers a component after every component it reaches
  // (Tarjan's order), so one pass in number order settles `doomed`.
  std::vector<char> fair(count, 0), doomed(count, 0);
  std::vector<char> stops(n, 0);
  std::vector<std::uint64_t> enabled_throughout, taken, keys, both;  // reused
  for (std::uint32_t c = 0; c < count; ++c) {
    bool internal = false;
    enabled_throughout.clear();
    taken.clear();
    for (std::uint64_t m = first[c]; m < first[c + 1]; ++m) {
      const std::uint32_t s = members[m];
      stops[s] = may_stop(g, s) ? 1 : 0;
      if (stops[s]) doomed[c] = 1;
      fair_keys(g, s, keys);
      if (m == first[c]) {
        enabled_throughout.swap(keys);
      } else if (!enabled_throughout.empty()) {
        both.clear();
        std::set_intersection(enabled_throughout.begin(), enabled_throughout.end(), keys.begin(),
                              keys.end(), std::back_inserter(both));
        enabled_throughout.swap(both);
      }
      for (std::uint64_t e = g.offsets[s]; e < g.offsets[s + 1]; ++e) {
        const std::uint32_t t = g.targets[e];
        if (comp[t] == c) {
          internal = true;
          if (g.keys[e] != kUnfair) taken.push_back(g.keys[e]);
        } else if (comp[t] != kNoComponent && doomed[comp[t]]) {
          doomed[c] = 1;
        }
      }
    }
    std::sort(taken.begin(), taken.end());
    taken.erase(std::unique(taken.begin(), taken.end()), taken.end());
    if (internal && std::includes(taken.begin(), taken.end(), enabled_throughout.begin(),
                                  enabled_throughout.end())) {
      fair[c] = 1;
      doomed[c] = 1;
    }
  }

  for (std::uint32_t s = 0; s < n; ++s) {
    if (!trigger[s] || comp[s] == kNoComponent || !doomed[comp[s]]) continue;
    Lasso lasso;
    lasso.start = s;
    auto stem = shortest_path(
        g, s, [&](std::uint32_t t) { return comp[t] != kNoComponent && doomed[comp[t]]; },
        [&](std::uint32_t t) { return stops[t] || fair[comp[t]]; });
    if (!stem) throw std::logic_error("liveness: a doomed state reaches no fair end");
    lasso.stem = std::move(*stem);
    const std::uint32_t b = lasso.stem.empty() ? s : g.targets[lasso.stem.back()];
    if (!stops[b]) lasso.cycle = fair_cycle(g, comp, comp[b], b);
    return lasso;
  }
  return std::nullopt;
}

}  // namespace verdict::liveness
