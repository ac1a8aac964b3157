// The search of one partition of a history: Wing & Gong's algorithm with
// Lowe's memo of visited configurations, as in Porcupine, run by one or more
// workers that share the memo.
//
// The history is a doubly linked list of call and return events in time order.
// A call that appears before the first return of the list is a candidate: its
// operation may be linearized next. Linearizing it ("lifting") removes its
// call and return from the list, so the search restarts from the head; when
// the first return is reached with no candidate left, the search backtracks
// ("unlifts" the last operation). A configuration (set of linearized
// operations, state) already in the memo is not explored again.
//
// An operation with an unknown outcome has no return event: it never blocks
// the search, may be linearized at any point after its call, and need not be
// linearized at all. The history is linearizable as soon as every operation
// with a known outcome is.
//
// Two workers explore in opposite orders (first candidate first / last
// candidate first) and share the memo: a configuration inserted by one is
// explored by that one, to completion, so the other skips it. This splits the
// work of one search between cores and stays exact: a full linearization is
// reached by whichever worker inserts the configurations along it.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include <tbb/task_group.h>

#include "checkers/linearizability/config_set.hpp"
#include "checkers/linearizability/detail/state_codec.hpp"
#include "checkers/linearizability/history.hpp"
#include "checkers/linearizability/result.hpp"
#include "checkers/linearizability/spec.hpp"

namespace verdict::lincheck::detail {

inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// What stops a search early, shared by every part of one check.
struct StopSignals {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  const std::atomic<bool>* cancel = nullptr;  // the caller's
  std::atomic<bool> some_part_failed{false};  // no need to finish the others
};

enum class SearchStatus { found, exhausted, stopped };

struct PartitionOutcome {
  Outcome outcome = Outcome::linearizable;
  std::vector<std::uint32_t> longest_prefix;  // local operation indices, in order
  std::size_t configurations = 0;
};

template <SequentialSpec Spec>
class PartitionSearch {
 public:
  using State = typename Spec::State;
  static constexpr bool kDirect = kDirectState<State>;

  struct LocalOp {
    std::size_t index;  // in the history
    const OperationOf<Spec>* op;
  };

  PartitionSearch(const Spec& spec, const History<Spec>& history,
                  const std::vector<std::size_t>& indices, bool shared)
      : spec_(spec) {
    // An unknown-outcome operation called after every known operation returned
    // can always be linearized last, or left out: it cannot matter.
    std::uint64_t last_return = 0;
    bool any_known = false;
    for (std::size_t i : indices) {
      const auto& op = history[i];
      if (op.output) {
        last_return = std::max({last_return, op.ret, op.call});
        any_known = true;
      }
    }
    for (std::size_t i : indices) {
      const auto& op = history[i];
      if (op.output || (any_known && op.call <= last_return)) ops_.push_back({i, &op});
      if (op.output) ++known_count_;
    }
    words_ = (ops_.size() + 63) / 64;
    build_events();
    std::uint64_t seed = 0x5eed;
    zobrist_.resize(ops_.size());
    for (auto& z : zobrist_) z = mix64(seed++);
    memo_.emplace(words_, shared);
    if constexpr (kDirect) {
      initial_code_ = encode_direct(State(spec_.initial()));
    } else {
      table_.emplace(spec_);
      initial_code_ = table_->intern(State(spec_.initial()));
    }
  }

  std::size_t size() const { return ops_.size(); }
  const std::vector<LocalOp>& operations() const { return ops_; }

  // Runs `workers` workers (1 or 2) to completion or until a stop signal.
  PartitionOutcome run(int workers, StopSignals& stop);

 private:
  struct Node {
    std::int32_t prev = -1;
    std::int32_t next = -1;
    std::int32_t match = -1;  // a call's return node; -1 for returns and unknown outcomes
    std::uint32_t op = 0;
    bool call = false;
  };

  class Worker;

  void build_events() {
    struct Event {
      std::uint64_t position;
      bool is_return;
      std::uint32_t op;
    };
    std::vector<Event> events;
    for (std::uint32_t i = 0; i < ops_.size(); ++i) {
      const auto& op = *ops_[i].op;
      events.push_back({op.call, false, i});
      // A return never precedes its own call, whatever the caller passed.
      if (op.output) events.push_back({std::max(op.ret, op.call), true, i});
    }
    // At equal positions calls come first: such operations overlap.
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
      if (a.position != b.position) return a.position < b.position;
      if (a.is_return != b.is_return) return !a.is_return;
      return a.op < b.op;
    });
    nodes_.resize(events.size() + 2);  // head, events, tail
    std::vector<std::int32_t> call_node(ops_.size(), -1);
    for (std::size_t k = 0; k < events.size(); ++k) {
      Node& node = nodes_[k + 1];
      node.op = events[k].op;
      node.call = !events[k].is_return;
      if (node.call) {
        call_node[node.op] = static_cast<std::int32_t>(k + 1);
      } else {
        nodes_[call_node[node.op]].match = static_cast<std::int32_t>(k + 1);
      }
    }
    for (std::size_t k = 0; k < nodes_.size(); ++k) {
      nodes_[k].prev = static_cast<std::int32_t>(k) - 1;
      nodes_[k].next = k + 1 < nodes_.size() ? static_cast<std::int32_t>(k + 1) : -1;
    }
  }

  const Spec& spec_;
  std::vector<LocalOp> ops_;
  std::size_t known_count_ = 0;
  std::size_t words_ = 0;
  std::vector<Node> nodes_;
  std::vector<std::uint64_t> zobrist_;
  std::optional<ConfigSet> memo_;
  std::optional<StateTable<Spec>> table_;
  std::uint64_t initial_code_ = 0;
  std::atomic<bool> found_{false};
};

template <SequentialSpec Spec>
class PartitionSearch<Spec>::Worker {
 public:
  explicit Worker(PartitionSearch& search)
      : s_(search),
        nodes_(search.nodes_),
        bits_(search.words_, 0),
        code_(search.initial_code_),
        known_left_(search.known_count_) {}

  SearchStatus run(bool last_candidate_first, StopSignals& stop) {
    stop_ = &stop;
    return last_candidate_first ? run_backward() : run_forward();
  }

  const std::vector<std::uint32_t>& longest_prefix() const { return longest_; }

 private:
  struct Frame {
    std::int32_t node;
    std::uint64_t code;  // the state before the operation
  };
  static constexpr std::int32_t kHead = 0;

  SearchStatus run_forward() {
    std::int32_t e = nodes_[kHead].next;
    while (known_left_ > 0) {
      if (should_stop()) return SearchStatus::stopped;
      if (nodes_[e].call) {
        if (try_linearize(e)) {
          e = nodes_[kHead].next;
        } else {
          e = nodes_[e].next;
        }
      } else {
        // A return (or the tail): every candidate of this frame was tried.
        if (stack_.empty()) return SearchStatus::exhausted;
        e = nodes_[backtrack()].next;
      }
    }
    return SearchStatus::found;
  }

  SearchStatus run_backward() {
    std::int32_t e = last_candidate();
    while (known_left_ > 0) {
      if (should_stop()) return SearchStatus::stopped;
      if (e == kHead) {
        if (stack_.empty()) return SearchStatus::exhausted;
        e = nodes_[backtrack()].prev;
      } else if (try_linearize(e)) {
        e = last_candidate();
      } else {
        e = nodes_[e].prev;
      }
    }
    return SearchStatus::found;
  }

  // The candidate just before the first return, or the head when none.
  std::int32_t last_candidate() const {
    std::int32_t e = nodes_[kHead].next;
    while (nodes_[e].call) e = nodes_[e].next;
    return nodes_[e].prev;
  }

  bool should_stop() {
    if ((++iterations_ & 1023) != 0) return false;
    if (s_.found_.load(std::memory_order_relaxed)) return true;
    if (stop_->some_part_failed.load(std::memory_order_relaxed)) return true;
    if (stop_->cancel && stop_->cancel->load(std::memory_order_relaxed)) return true;
    return stop_->deadline && std::chrono::steady_clock::now() > *stop_->deadline;
  }

  bool try_linearize(std::int32_t e) {
    const std::uint32_t op = nodes_[e].op;
    std::uint64_t next_code;
    if (!step(op, next_code)) return false;
    flip(op);
    const std::uint64_t hash = mix64(zobrist_hash_ ^ (next_code * 0x9e3779b97f4a7c15ULL));
    if (!s_.memo_->insert(hash, next_code, bits_.data())) {
      flip(op);
      return false;
    }
    stack_.push_back({e, code_});
    code_ = next_code;
    lift(e);
    if (s_.ops_[op].op->output) --known_left_;
    if (stack_.size() > longest_.size()) {
      longest_.clear();
      for (const Frame& f : stack_) longest_.push_back(nodes_[f.node].op);
    }
    return true;
  }

  // Undoes the last linearization; returns its call node.
  std::int32_t backtrack() {
    const Frame frame = stack_.back();
    stack_.pop_back();
    const std::uint32_t op = nodes_[frame.node].op;
    code_ = frame.code;
    flip(op);
    unlift(frame.node);
    if (s_.ops_[op].op->output) ++known_left_;
    return frame.node;
  }

  void flip(std::uint32_t op) {
    bits_[op / 64] ^= std::uint64_t{1} << (op % 64);
    zobrist_hash_ ^= s_.zobrist_[op];
  }

  bool step(std::uint32_t op, std::uint64_t& next_code) {
    const auto& operation = *s_.ops_[op].op;
    if constexpr (kDirect) {
      auto [next, output] = s_.spec_.apply(decode_direct<State>(code_), operation.input);
      if (operation.output && !(output == *operation.output)) return false;
      next_code = encode_direct<State>(next);
      return true;
    } else {
      const std::uint64_t key = (code_ << 32) | op;
      std::uint64_t cached;
      if (!cache_.find(key, cached)) {
        auto [next, output] =
            s_.spec_.apply(s_.table_->get(static_cast<std::uint32_t>(code_)), operation.input);
        if (operation.output && !(output == *operation.output)) {
          cached = TransitionCache::kRejected;
        } else {
          cached = s_.table_->intern(std::move(next));
        }
        cache_.put(key, cached);
      }
      if (cached == TransitionCache::kRejected) return false;
      next_code = cached;
      return true;
    }
  }

  void lift(std::int32_t e) {
    Node& call = nodes_[e];
    nodes_[call.prev].next = call.next;
    nodes_[call.next].prev = call.prev;
    if (call.match >= 0) {
      Node& ret = nodes_[call.match];
      nodes_[ret.prev].next = ret.next;
      if (ret.next >= 0) nodes_[ret.next].prev = ret.prev;
    }
  }

  void unlift(std::int32_t e) {
    Node& call = nodes_[e];
    if (call.match >= 0) {
      Node& ret = nodes_[call.match];
      nodes_[ret.prev].next = call.match;
      if (ret.next >= 0) nodes_[ret.next].prev = call.match;
    }
    nodes_[call.prev].next = e;
    nodes_[call.next].prev = e;
  }

  PartitionSearch& s_;
  std::vector<Node> nodes_;
  std::vector<std::uint64_t> bits_;
  std::uint64_t zobrist_hash_ = 0;
  std::uint64_t code_;
  std::size_t known_left_;
  std::vector<Frame> stack_;
  std::vector<std::uint32_t> longest_;
  TransitionCache cache_;
  StopSignals* stop_ = nullptr;
  std::uint64_t iterations_ = 0;
};

template <SequentialSpec Spec>
PartitionOutcome PartitionSearch<Spec>::run(int workers, StopSignals& stop) {
  PartitionOutcome outcome;
  if (known_count_ == 0) return outcome;
  const int count = std::max(1, std::min(workers, 2));
  std::vector<Worker> crew;
  for (int i = 0; i < count; ++i) crew.emplace_back(*this);
  std::vector<SearchStatus> status(count, SearchStatus::stopped);
  auto work = [&](int i) {
    status[i] = crew[i].run(/*last_candidate_first=*/i == 1, stop);
    if (status[i] == SearchStatus::found) found_.store(true, std::memory_order_relaxed);
  };
  if (count == 1) {
    work(0);
  } else {
    tbb::task_group group;
    for (int i = 1; i < count; ++i) group.run([&work, i] { work(i); });
    work(0);
    group.wait();
  }
  const bool found = std::count(status.begin(), status.end(), SearchStatus::found) > 0;
  const bool stopped = std::count(status.begin(), status.end(), SearchStatus::stopped) > 0;
  outcome.outcome = found     ? Outcome::linearizable
                    : stopped ? Outcome::unknown
                              : Outcome::not_linearizable;
  for (const Worker& w : crew) {
    if (w.longest_prefix().size() > outcome.longest_prefix.size()) {
      outcome.longest_prefix = w.longest_prefix();
    }
  }
  outcome.configurations = memo_->size();
  return outcome;
}

}  // namespace verdict::lincheck::detail
