// The linearizability checker: is a concurrent history equivalent to some
// sequential run of a specification that respects real-time order?
//
//   verdict::lincheck::RegisterSpec spec;
//   verdict::lincheck::History<RegisterSpec> history = ...;  // see history.hpp
//   verdict::lincheck::Result r = verdict::lincheck::check(spec, history);
//   if (r.outcome == Outcome::not_linearizable)
//     std::cout << format_counterexample(*r.counterexample);
//
// This is the entry point for the explorers too: they turn the I/O trace of a
// run into a History (call and return positions are trace step indices; a
// request without a response has output nullopt) and call check() with a
// small time limit, from any thread.
//
// How: Wing & Gong's search with Lowe's memo of (linearized set, state), as in
// Porcupine (see detail/search.hpp); a specification with a partition()
// function is checked part by part (P-compositionality), the parts in
// parallel; a large part is searched by two workers sharing one memo.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "checkers/linearizability/detail/search.hpp"
#include "checkers/linearizability/history.hpp"
#include "checkers/linearizability/result.hpp"
#include "checkers/linearizability/spec.hpp"

namespace verdict::lincheck {

struct CheckOptions {
  // Check each part of a partitioned specification on its own (exact, and much
  // faster); false checks the whole history against the whole state.
  bool partition = true;
  // 0: no limit. Past it the outcome is `unknown`.
  double timeout_seconds = 0;
  // 0: every core TBB may use; 1: the calling thread only (deterministic
  // counterexamples); n: at most n threads.
  int threads = 0;
  // Set by the caller to stop the check early (outcome `unknown`).
  const std::atomic<bool>* cancel = nullptr;
  // Parts smaller than this are searched by one worker: two do not pay off.
  std::size_t two_workers_from = 24;
  // Search steps per part in the first round; each round doubles it.
  std::uint64_t first_round_steps = 1 << 12;
};

namespace detail {

template <SequentialSpec Spec>
std::string describe_operation(const Spec& spec, const OperationOf<Spec>& op, std::size_t index) {
  if constexpr (Describable<Spec>) {
    return spec.describe(op.input) + " -> " + (op.output ? spec.describe(*op.output) : "?");
  } else {
    return fmt::format("operation {}", index);
  }
}

template <SequentialSpec Spec>
OperationView view_of(const Spec& spec, const History<Spec>& history, std::size_t index) {
  const auto& op = history[index];
  OperationView view;
  view.index = index;
  view.client = op.client;
  view.text = describe_operation(spec, op, index);
  view.call = op.call;
  if (op.output) view.ret = op.ret;
  return view;
}

// Rebuilds the readable counterexample from the longest prefix a search found.
template <SequentialSpec Spec>
Counterexample make_counterexample(const Spec& spec, const History<Spec>& history,
                                   const PartitionSearch<Spec>& search,
                                   const std::vector<std::uint32_t>& prefix) {
  const auto& ops = search.operations();
  Counterexample c;
  c.partition_operations = ops.size();
  typename Spec::State state = spec.initial();
  std::vector<bool> placed(ops.size(), false);
  for (std::uint32_t local : prefix) {
    placed[local] = true;
    state = spec.apply(state, ops[local].op->input).first;
    c.prefix.push_back(view_of(spec, history, ops[local].index));
  }
  if constexpr (Describable<Spec>) c.state = spec.describe_state(state);
  // Candidates: unplaced operations called before the earliest return of an
  // unplaced operation with a known outcome (that one must come first).
  std::uint64_t first_return = ~std::uint64_t{0};
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const auto& op = *ops[i].op;
    if (op.output) ++c.total_known_operations;
    if (!placed[i] && op.output) first_return = std::min(first_return, std::max(op.ret, op.call));
  }
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const auto& op = *ops[i].op;
    if (placed[i] || op.call > first_return) continue;
    StuckOperation stuck;
    stuck.operation = view_of(spec, history, ops[i].index);
    auto [next, output] = spec.apply(state, op.input);
    if (op.output && !(output == *op.output)) {
      if constexpr (Describable<Spec>) {
        stuck.reason = "the specification answers " + spec.describe(output) + " here";
      } else {
        stuck.reason = "the specification answers differently here";
      }
    } else if (op.output && std::max(op.ret, op.call) == first_return) {
      stuck.reason =
          "returned first of the rest, so must come next; fits, but every continuation fails";
    } else {
      stuck.reason = "fits here, but every continuation fails";
    }
    c.stuck.push_back(std::move(stuck));
  }
  return c;
}

template <SequentialSpec Spec>
std::string partition_label(const Spec& spec, const OperationOf<Spec>& op) {
  if constexpr (HasPartition<Spec>) {
    return fmt::format("key {}", spec.partition(op.input));
  } else {
    return {};
  }
}

}  // namespace detail

template <SequentialSpec Spec>
Result check(const Spec& spec, const History<Spec>& history, const CheckOptions& options = {}) {
  const auto started = std::chrono::steady_clock::now();
  detail::StopSignals stop;
  stop.cancel = options.cancel;
  if (options.timeout_seconds > 0) {
    stop.deadline = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(options.timeout_seconds));
  }

  // P-compositionality: one part per key, in order of first appearance.
  std::vector<std::vector<std::size_t>> parts;
  std::vector<std::string> labels;
  std::vector<Spec> part_specs;  // each part's own, when the spec has them
  if constexpr (HasPartition<Spec>) {
    if (options.partition) {
      using Key = std::decay_t<decltype(spec.partition(history[0].input))>;
      std::unordered_map<Key, std::size_t> part_of;
      for (std::size_t i = 0; i < history.size(); ++i) {
        auto [it, inserted] = part_of.try_emplace(spec.partition(history[i].input), parts.size());
        if (inserted) {
          parts.emplace_back();
          labels.push_back(detail::partition_label(spec, history[i]));
          if constexpr (HasPartSpec<Spec>)
            part_specs.push_back(spec.part_spec(spec.partition(history[i].input)));
        }
        parts[it->second].push_back(i);
      }
    }
  }
  auto spec_of = [&](std::size_t p) -> const Spec& {
    return part_specs.empty() ? spec : part_specs[p];
  };
  if (parts.empty() && !history.empty()) {
    parts.emplace_back(history.size());
    for (std::size_t i = 0; i < history.size(); ++i) parts[0][i] = i;
    labels.emplace_back();
  }

  // The parts are searched in rounds with a doubling step budget, so that one
  // part that is hard to settle does not hold up the others: one failing part
  // decides the history. Between rounds the searches pause and resume.
  const bool parallel = options.threads != 1;
  std::vector<std::unique_ptr<detail::PartitionSearch<Spec>>> searches(parts.size());
  std::vector<detail::SearchStatus> status(parts.size(), detail::SearchStatus::paused);
  std::vector<std::size_t> active(parts.size());
  for (std::size_t p = 0; p < parts.size(); ++p) active[p] = p;
  // One part left: nothing to take turns with, so no more pausing.
  auto next_budget = [&](std::uint64_t current) {
    return active.size() == 1 ? ~std::uint64_t{0} : current * 2;
  };
  std::uint64_t budget = next_budget(options.first_round_steps / 2);
  const std::size_t concurrency =
      options.threads > 0 ? static_cast<std::size_t>(options.threads)
                          : static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
  auto run_part = [&](std::size_t p) {
    if (!searches[p]) {
      // Only a part large enough for two workers needs a memo they can share.
      const bool shared = parallel && parts[p].size() >= options.two_workers_from;
      searches[p] =
          std::make_unique<detail::PartitionSearch<Spec>>(spec_of(p), history, parts[p], shared);
    }
    // Two workers on one part only when the parts alone leave cores idle.
    const int workers =
        parallel && active.size() < concurrency && searches[p]->size() >= options.two_workers_from
            ? 2
            : 1;
    status[p] = searches[p]->run(workers, budget, stop);
  };
  std::atomic<std::uint64_t> handoff{0};
  auto round = [&] {
    if (!parallel || active.size() == 1) {
      for (std::size_t p : active) run_part(p);
    } else {
      // The release/acquire pairs on `handoff` only restate TBB's own hand-off
      // of the parts, where ThreadSanitizer (TBB is not instrumented) sees it.
      handoff.fetch_add(1, std::memory_order_release);
      tbb::parallel_for(
          std::size_t{0}, active.size(),
          [&](std::size_t i) {
            handoff.load(std::memory_order_acquire);
            run_part(active[i]);
            handoff.fetch_add(1, std::memory_order_release);
          },
          tbb::simple_partitioner());
      handoff.load(std::memory_order_acquire);
    }
  };
  std::optional<tbb::task_arena> arena;
  if (options.threads > 1) arena.emplace(options.threads);
  bool failed = false, stopped = false;
  while (!active.empty() && !failed && !stopped) {
    if (arena) {
      arena->execute(round);
    } else {
      round();
    }
    std::vector<std::size_t> still;
    for (std::size_t p : active) {
      if (status[p] == detail::SearchStatus::exhausted) failed = true;
      if (status[p] == detail::SearchStatus::stopped) stopped = true;
      if (status[p] == detail::SearchStatus::paused) still.push_back(p);
    }
    active.swap(still);
    budget = next_budget(budget);
  }

  Result result;
  result.stats.partitions = parts.size();
  for (std::size_t p = 0; p < parts.size(); ++p) {
    if (!searches[p]) continue;
    result.stats.operations += searches[p]->size();
    result.stats.configurations += searches[p]->configurations();
    if (status[p] == detail::SearchStatus::exhausted && !result.counterexample) {
      result.outcome = Outcome::not_linearizable;
      result.counterexample = detail::make_counterexample(spec_of(p), history, *searches[p],
                                                          searches[p]->longest_prefix());
      result.counterexample->partition = labels[p];
    }
  }
  if (!failed && (stopped || !active.empty())) result.outcome = Outcome::unknown;
  result.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace verdict::lincheck
