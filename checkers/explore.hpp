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
