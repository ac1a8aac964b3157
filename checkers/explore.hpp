// explore(): the exhaustive search entry point. Runs BFS or DFS over any
// Model as SearchOptions ask and returns what it found.
//
// FIRST VERSION: a sequential BFS; the parallel BFS/DFS replaces its body.
#pragma once

#include <chrono>
#include <deque>
#include <unordered_map>

#include "checkers/search_types.hpp"

namespace verdict {

template <Model M>
SearchResult<M> explore(const M& model, const SearchOptions& options) {
  using State = typename M::State;
  using Action = typename M::Action;
  const auto start = std::chrono::steady_clock::now();
  SearchResult<M> result;
  const auto properties = model.properties();
  for (const auto& p : properties)
    result.properties.push_back(
        {p.name, p.expectation,
         p.expectation == Expectation::always ? Outcome::holds : Outcome::not_reached, {}});

  struct Parent {
    std::uint64_t parent;
    std::size_t init_index;
    Action action;
    bool has_action;
  };
  std::unordered_map<std::uint64_t, Parent> parents;
  std::deque<std::pair<State, std::uint64_t>> queue;  // state, depth

  auto path_to = [&](std::uint64_t fp) {
    Path<M> path;
    std::vector<Action> reversed;
    for (;;) {
      const Parent& p = parents.at(fp);
      if (!p.has_action) {
        path.init_index = p.init_index;
        break;
      }
      reversed.push_back(p.action);
      fp = p.parent;
    }
    path.actions.assign(reversed.rbegin(), reversed.rend());
    return path;
  };

  bool stop = false;
  auto visit = [&](const State& s, std::uint64_t fp) {
    for (std::size_t i = 0; i < properties.size(); ++i) {
      auto& r = result.properties[i];
      bool holds = properties[i].condition(s);
      if (properties[i].expectation == Expectation::always && !holds &&
          r.outcome == Outcome::holds) {
        r.outcome = Outcome::violated;
        r.example = path_to(fp);
        if (!result.violation) result.violation = i;
        if (!options.keep_going) stop = true;
      } else if (properties[i].expectation == Expectation::sometimes && holds &&
                 r.outcome == Outcome::not_reached) {
        r.outcome = Outcome::reached;
        r.example = path_to(fp);
      }
    }
  };

  auto inits = model.init_states();
  for (std::size_t i = 0; i < inits.size() && !stop; ++i) {
    ++result.generated_states;
    std::uint64_t fp = model.fingerprint(inits[i]);
    if (!parents.emplace(fp, Parent{0, i, Action{}, false}).second) continue;
    ++result.unique_states;
    visit(inits[i], fp);
    queue.emplace_back(std::move(inits[i]), 1);
  }
  bool limited = false;
  std::vector<Action> actions;
  while (!queue.empty() && !stop) {
    auto [state, depth] = std::move(queue.front());
    queue.pop_front();
    result.max_depth = std::max(result.max_depth, depth);
    if (options.max_depth && depth >= *options.max_depth) {
      continue;
    }
    if constexpr (HasBoundary<M>)
      if (!model.within_boundary(state)) continue;
    const std::uint64_t parent_fp = model.fingerprint(state);
    actions.clear();
    model.actions(state, actions);
    for (const auto& a : actions) {
      auto next = model.next_state(state, a);
      if (!next) continue;
      ++result.generated_states;
      std::uint64_t fp = model.fingerprint(*next);
      if (!parents.emplace(fp, Parent{parent_fp, 0, a, true}).second) continue;
      ++result.unique_states;
      visit(*next, fp);
      if (stop) break;
      queue.emplace_back(std::move(*next), depth + 1);
      if (options.max_states && result.unique_states >= *options.max_states) {
        limited = true;
        stop = true;
        break;
      }
    }
  }
  result.complete = !limited && (queue.empty() || result.violation.has_value());
  if (result.violation) result.stop_reason = options.keep_going ? "" : "violation";
  if (limited) result.stop_reason = "max-states";
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace verdict
