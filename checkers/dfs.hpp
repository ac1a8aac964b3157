// Depth-first search over any Model: low memory (the visited set plus the
// states along the current paths), for deep spaces; parallel with TBB.
//
// A state is claimed in the visited set when it is generated, its
// properties are checked then, and it is expanded later, deepest first.
// Parallelism: each worker runs its own stack; when no spare work is queued,
// a worker hands the oldest unexplored successor on its stack to the others
// (tbb::parallel_for_each's feeder), with the path that leads to it.
//
// Determinism. Without a depth bound every reachable state is claimed exactly
// once and expanded exactly once, whatever the order, so the unique and
// generated counts equal BFS's at any thread count. With --max-depth the set
// of states within the bound could depend on visit order (a state first
// reached deep, its successors cut off by the bound, then reached shallower),
// so the visited set keeps each state's shallowest depth and a state reached
// shallower than before is expanded again: the claimed set is then exactly
// the states within the bound, as BFS finds them (generated counts the
// re-expansions, so it can vary). What does depend on the order: which
// counterexample is found first and the counts of a run stopped by it (the
// same at one thread every time; BFS gives the shortest, deterministically),
// and max_depth, the deepest stack (not the deepest shortest path).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <mutex>
#include <vector>

#include <tbb/parallel_for_each.h>
#include <tbb/task_arena.h>

#include "checkers/fingerprint_table.hpp"
#include "checkers/search_common.hpp"
#include "checkers/tsan_sync.hpp"

namespace verdict {

template <Model M>
class DepthFirstSearch {
 public:
  using State = typename M::State;
  using Action = typename M::Action;

  DepthFirstSearch(const M& model, const SearchOptions& options)
      : ctx_(model, options),
        bounded_(options.max_depth.has_value()),
        first_found_(ctx_.result_count()) {}

  SearchResult<M> run() {
    std::vector<Work> roots = claim_initial_states();
    if (!ctx_.monitor.stopped()) {
      if (ctx_.options.threads <= 1) {
        Worker worker(*this, nullptr);
        for (auto& root : roots) worker.run(root);
      } else {
        tbb::task_arena arena(static_cast<int>(ctx_.options.threads));
        tsan_release(&handoff_);
        arena.execute([&] {
          tbb::parallel_for_each(roots.begin(), roots.end(),
                                 [this](Work& work, tbb::feeder<Work>& feeder) {
                                   tsan_acquire(&handoff_);
                                   queued_.fetch_sub(1, std::memory_order_relaxed);
                                   {
                                     Worker worker(*this, &feeder);
                                     worker.run(work);
                                   }
                                   tsan_release(&finished_);
                                 });
        });
        tsan_acquire(&finished_);
      }
    }
    SearchResult<M> result = ctx_.empty_result();
    // Liveness is judged on the graph BFS records (bfs.hpp, liveness.hpp).
    if (ctx_.has_liveness()) result.liveness_note = "liveness is checked by BFS only";
    result.unique_states = bounded_ ? shallowest_.size() : visited_.size();
    // Claims past --max-states were refused (but are in the table).
    if (ctx_.options.max_states && result.unique_states > *ctx_.options.max_states)
      result.unique_states = *ctx_.options.max_states;
    result.generated_states = generated_.load();
    result.max_depth = max_depth_.load();
    result.stop_reason = ctx_.monitor.stopped() ? ctx_.monitor.reason() : "";
    result.complete = result.stop_reason.empty() || result.stop_reason == "violation";
    result.nondeterminism = ctx_.nondeterminism;
    result.visited_bytes = bounded_ ? shallowest_.bytes() : visited_.bytes();
    std::size_t first_violation_order = std::numeric_limits<std::size_t>::max();
    for (std::size_t p = 0; p < first_found_.size(); ++p) {
      const Found& found = first_found_[p];
      if (!found.order) continue;
      auto& r = result.properties[p];
      r.outcome = r.expectation == Expectation::always ? Outcome::violated : Outcome::reached;
      r.example = ctx_.replay(found.init_index, found.chain);
      if (r.expectation == Expectation::always && found.order < first_violation_order) {
        first_violation_order = found.order;
        result.violation = p;
      }
    }
    result.seconds = ctx_.monitor.seconds();
    return result;
  }

 private:
  // A claimed, not yet expanded state with the path that leads to it.
  struct Work {
    State state;
    std::uint64_t fp = 0;
    std::uint32_t depth = 1;
    std::size_t init_index = 0;
    std::vector<ActionIndex> chain;
  };

  // The first example found of each property (order 0: none yet).
  struct Found {
    std::size_t order = 0;
    std::size_t init_index = 0;
    std::vector<ActionIndex> chain;
  };

  std::vector<Work> claim_initial_states() {
    std::vector<Work> roots;
    auto init_states = ctx_.model.init_states();
    for (std::size_t i = 0; i < init_states.size() && !ctx_.monitor.stopped(); ++i) {
      generated_.fetch_add(1, std::memory_order_relaxed);
      Work work{ctx_.canonical(std::move(init_states[i])), 0, 1, i, {}};
      work.fp = search_fingerprint(ctx_.model, work.state);
      if (!claim(work.fp, 1)) continue;
      if (!ctx_.options.max_states) claimed_.fetch_add(1, std::memory_order_relaxed);
      max_depth_.store(1, std::memory_order_relaxed);
      note(work.state, work.init_index, work.chain);
      roots.push_back(std::move(work));
    }
    queued_.store(roots.size(), std::memory_order_relaxed);
    return roots;
  }

  // Claims a state reached at `depth`: true when it is new (or, under a depth
  // bound, reached shallower than before) and must be expanded.
  bool claim(std::uint64_t fp, std::uint32_t depth) {
    if (!bounded_) {
      if (!visited_.insert(fp)) return false;
    } else if (shallowest_.insert_or_improve(fp, depth, std::less<>()) ==
               FingerprintTable<std::uint32_t>::Update::kept) {
      return false;
    }
    // Without --max-states the claims are counted per worker and added up
    // now and then (a shared counter per state would bounce between cores).
    if (!ctx_.options.max_states) return true;
    // One state more than allowed stops the search (at one thread, exactly
    // where BFS would; at more, the count may overshoot by a few).
    const std::uint64_t claimed = claimed_.fetch_add(1, std::memory_order_relaxed);
    if (claimed >= *ctx_.options.max_states) {
      ctx_.monitor.stop("max-states");
      return false;
    }
    return true;
  }

  // Checks a newly claimed state's properties and records the first example
  // of each; a violation stops the search unless --keep-going.
  void note(const State& s, std::size_t init_index, const std::vector<ActionIndex>& chain) {
    std::uint64_t hits = ctx_.noteworthy(s);
    if (hits) record(hits, init_index, chain);
  }

  void record(std::uint64_t hits, std::size_t init_index, const std::vector<ActionIndex>& chain) {
    std::lock_guard lock(found_mutex_);
    bool violated = false;
    while (hits) {
      const auto p = static_cast<std::size_t>(__builtin_ctzll(hits));
      hits &= hits - 1;
      const bool always =
          p >= ctx_.properties.size() || ctx_.properties[p].expectation == Expectation::always;
      violated = violated || always;
      Found& found = first_found_[p];
      if (found.order) continue;
      found = {++found_count_, init_index, chain};
    }
    if (violated && !ctx_.options.keep_going) ctx_.monitor.stop("violation");
  }

  // One thread's depth-first search from one Work item.
  class Worker {
   public:
    Worker(DepthFirstSearch& search, tbb::feeder<Work>* feeder)
        : search_(search), ctx_(search.ctx_), feeder_(feeder) {}
    ~Worker() { flush(); }
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    void run(Work& root) {
      init_index_ = root.init_index;
      chain_ = std::move(root.chain);
      base_chain_length_ = chain_.size();
      frames_.clear();
      push_frame(root.state, root.fp, root.depth);
      while (!frames_.empty()) {
        if (++ticks_ % 64 == 0) {
          flush();
          if (!ctx_.monitor.tick([&] { return search_.progress(); })) return;
          maybe_share();
        } else if (ctx_.monitor.stopped()) {
          return;
        }
        Frame& top = frames_.back();
        if (top.next == top.pending.size()) {
          frames_.pop_back();
          if (chain_.size() > base_chain_length_) chain_.pop_back();
          continue;
        }
        Pending child = std::move(top.pending[top.next++]);
        const std::uint32_t depth = top.depth + 1;
        chain_.push_back(child.action);
        push_frame(child.state, child.fp, depth);
      }
    }

   private:
    struct Pending {
      ActionIndex action;
      std::uint64_t fp;
      State state;
    };
    struct Frame {
      std::uint32_t depth;
      std::vector<Pending> pending;  // claimed successors, explored in action order
      std::size_t next = 0;
    };

    // Expands `state` (already claimed and checked) into a new frame of its
    // newly claimed successors; `chain_` is the path to it.
    void push_frame(const State& state, std::uint64_t fp, std::uint32_t depth) {
      frames_.push_back(Frame{depth, {}, 0});
      if (depth > max_depth_seen_) max_depth_seen_ = depth;
      const auto& max_depth = ctx_.options.max_depth;
      if ((max_depth && depth >= *max_depth) || !ctx_.expandable(state)) return;
      successors_.clear();
      const std::uint32_t generated = ctx_.for_each_successor(
          state, actions_, [&](ActionIndex a, State&& next, std::uint64_t next_fp) {
            if (next_fp == fp) return;
            Pending& slot = successors_.add();
            slot.action = a;
            slot.fp = next_fp;
            slot.state = next;
          });
      generated_ += generated;
      if (generated == 0 && ctx_.is_deadlock(state))
        search_.record(std::uint64_t{1} << ctx_.deadlock_index(), init_index_, chain_);
      const auto found = successors_.used();
      for (const auto& s : found) search_.prefetch(s.fp);
      Frame& frame = frames_.back();
      for (auto& s : found) {
        if (!search_.claim(s.fp, depth + 1)) continue;
        if (!ctx_.options.max_states) ++claims_;
        chain_.push_back(s.action);
        search_.note(s.state, init_index_, chain_);
        chain_.pop_back();
        frame.pending.push_back(std::move(s));
      }
    }

    // Hands the oldest unexplored successor on the stack to an idle thread.
    void maybe_share() {
      if (!feeder_ || search_.queued_.load(std::memory_order_relaxed) > 0) return;
      for (std::size_t k = 0; k + 1 < frames_.size(); ++k) {
        Frame& frame = frames_[k];
        if (frame.next >= frame.pending.size()) continue;
        Pending& child = frame.pending.back();
        Work work{std::move(child.state), child.fp, frame.depth + 1, init_index_, {}};
        // The path to frame k's state is the root's chain plus the actions
        // that led to frames 1..k; chain_ holds those in that order.
        work.chain.assign(chain_.begin(),
                          chain_.begin() + static_cast<std::ptrdiff_t>(base_chain_length_ + k));
        work.chain.push_back(child.action);
        frame.pending.pop_back();
        search_.queued_.fetch_add(1, std::memory_order_relaxed);
        tsan_release(&search_.handoff_);
        feeder_->add(std::move(work));
        return;
      }
    }

    void flush() {
      search_.generated_.fetch_add(generated_, std::memory_order_relaxed);
      generated_ = 0;
      search_.claimed_.fetch_add(claims_, std::memory_order_relaxed);
      claims_ = 0;
      std::uint64_t seen = search_.max_depth_.load(std::memory_order_relaxed);
      while (seen < max_depth_seen_ &&
             !search_.max_depth_.compare_exchange_weak(seen, max_depth_seen_)) {
      }
    }

    DepthFirstSearch& search_;
    const SearchContext<M>& ctx_;
    tbb::feeder<Work>* feeder_;
    std::vector<Frame> frames_;
    std::vector<ActionIndex> chain_;
    std::size_t base_chain_length_ = 0;
    std::size_t init_index_ = 0;
    std::vector<Action> actions_;
    ReusedSlots<Pending> successors_;
    std::uint64_t generated_ = 0;
    std::uint64_t claims_ = 0;  // not yet added to search_.claimed_
    std::uint64_t max_depth_seen_ = 0;
    std::uint64_t ticks_ = 0;
  };

  void prefetch(std::uint64_t fp) const {
    if (bounded_)
      shallowest_.prefetch(fp);
    else
      visited_.prefetch(fp);
  }

  SearchProgress progress() const {
    return {claimed_.load(std::memory_order_relaxed), generated_.load(std::memory_order_relaxed),
            max_depth_.load(std::memory_order_relaxed), queued_.load(std::memory_order_relaxed)};
  }

  SearchContext<M> ctx_;
  const bool bounded_;
  FingerprintTable<> visited_;                  // without a depth bound
  FingerprintTable<std::uint32_t> shallowest_;  // with one: each state's shallowest depth
  std::atomic<std::uint64_t> generated_{0};
  std::atomic<std::uint64_t> claimed_{0};
  std::atomic<std::uint64_t> max_depth_{0};
  std::atomic<std::uint64_t> queued_{0};  // work items handed out but not yet started
  char handoff_ = 0, finished_ = 0;       // TSan happens-before edges (tsan_sync.hpp)
  std::mutex found_mutex_;
  std::vector<Found> first_found_;
  std::size_t found_count_ = 0;
};

template <Model M>
SearchResult<M> dfs(const M& model, const SearchOptions& options) {
  return DepthFirstSearch<M>(model, options).run();
}

}  // namespace verdict
