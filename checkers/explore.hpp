// explore(): the exhaustive search entry point. Runs BFS (checkers/bfs.hpp:
// shortest counterexamples, deterministic at any thread count) or DFS
// (checkers/dfs.hpp: low memory) over any Model as SearchOptions ask.
#pragma once

#include "checkers/bfs.hpp"
#include "checkers/dfs.hpp"
#include "checkers/search_types.hpp"

namespace verdict {

template <Model M>
SearchResult<M> explore(const M& model, const SearchOptions& options) {
  return options.strategy == Strategy::dfs ? dfs(model, options) : bfs(model, options);
}

}  // namespace verdict

// A model searched from several places (its registry entry, its tests, a
// bench) compiles its explorers once: its header says
// VERDICT_EXTERN_EXPLORE(M) and one .cpp says VERDICT_EXPLORE_INSTANCE(M).
// Every other file that calls explore() on M then links to that one copy
// instead of compiling BFS and DFS for M again (most of a test's build time).
#define VERDICT_EXTERN_EXPLORE(...)                                                     \
  namespace verdict {                                                                   \
  extern template SearchResult<__VA_ARGS__> explore<__VA_ARGS__>(const __VA_ARGS__&,    \
                                                                 const SearchOptions&); \
  }                                                                                     \
  static_assert(true)
#define VERDICT_EXPLORE_INSTANCE(...)                                            \
  namespace verdict {                                                            \
  template SearchResult<__VA_ARGS__> explore<__VA_ARGS__>(const __VA_ARGS__&,    \
                                                          const SearchOptions&); \
  }                                                                              \
  static_assert(true)
