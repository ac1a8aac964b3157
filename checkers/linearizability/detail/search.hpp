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
// Two workers can search one part together: they explore in opposite orders
// (first candidate first / last candidate first) and share the memo, in which
// a configuration is marked dead once a worker has explored every
// continuation of it. Each worker skips only dead configurations, so each
// one's search is complete on its own and the first to finish settles the
// part; meanwhile each prunes with the other's refutations, which is where
// the speed-up comes from.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <thread>
#include <vector>

#include "checkers/linearizability/config_set.hpp"
#include "checkers/linearizability/detail/state_codec.hpp"
#include "checkers/linearizability/history.hpp"
#include "checkers/linearizability/result.hpp"
#include "checkers/linearizability/spec.hpp"
#include "checkers/linearizability/string_map.hpp"
#include "simulator/mix64.hpp"

namespace verdict::lincheck::detail {

// splitmix64 of x: one step of its generator, then its finalizer.
inline std::uint64_t splitmix64(std::uint64_t x) {
  return verdict::mix64(x + kGoldenGamma);
}

// What stops a search early, shared by every part of one check.
struct StopSignals {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  const std::atomic<bool>* cancel = nullptr;  // the caller's
};

enum class SearchStatus {
  found,      // a linearization
  exhausted,  // none
  paused,     // the step budget ran out: call again
  stopped,    // the deadline or a cancellation
};

template <SequentialSpec Spec>
class PartitionSearch {
 public:
  using State = typename Spec::State;
  static constexpr bool kDirect = kDirectState<State>;

  struct LocalOp {
    std::size_t index;  // in the history
    const OperationOf<Spec>* op;
    bool read_only;  // never changes the state (spec.read_only)
    // Never changes the state with its known answer (read_only, or
    // spec.keeps_state): may be linearized greedily.
    bool greedy;
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
      bool read_only = false;
      if constexpr (HasReadOnly<Spec>) read_only = spec_.read_only(op.input);
      // Unknown outcome: a read-only one cannot matter either.
      if (!op.output && (read_only || !any_known || op.call > last_return)) continue;
      bool greedy = read_only;
      if constexpr (HasKeepsState<Spec>) {
        if (op.output) greedy = greedy || spec_.keeps_state(op.input, *op.output);
      }
      ops_.push_back({i, &op, read_only, greedy});
      if (op.output) ++known_count_;
    }
    words_ = (ops_.size() + 63) / 64;
    build_events();
    if constexpr (HasTextObservations<Spec>) build_watches();
    std::uint64_t seed = 0x5eed;
    zobrist_.resize(ops_.size());
    for (auto& z : zobrist_) z = splitmix64(seed++);
    memo_.emplace(words_, shared);
    if constexpr (kDirect) {
      initial_code_ = encode_direct(State(spec_.initial()));
    } else {
      table_.emplace(spec_, shared);
      initial_code_ = table_->intern(State(spec_.initial()));
    }
  }

  std::size_t size() const { return ops_.size(); }
  const std::vector<LocalOp>& operations() const { return ops_; }

  // Runs the search for at most `budget` more steps per worker, with
  // `workers` workers (1 or 2; a second one may join on a later call, but
  // only if the set was made shared). A paused search resumes on the next
  // call.
  SearchStatus run(int workers, std::uint64_t budget, const StopSignals& stop);

  // The longest linearizable prefix found (local operation indices, in order).
  std::vector<std::uint32_t> longest_prefix() const;
  std::size_t configurations() const { return memo_->size(); }

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

  // A read with a known answer that the key's text must equal when it comes
  // (HasTextObservations): the hash of each prefix of that answer, and the
  // sets of a prefix of it, which could still make it reachable.
  struct Watch {
    std::uint32_t op;
    std::vector<std::uint64_t> prefix_hashes;  // [n]: of the first n characters
    std::vector<std::uint32_t> rescuers;
  };
  void build_watches() {
    watch_of_.assign(ops_.size(), -1);
    std::vector<std::uint32_t> sets;
    for (std::uint32_t j = 0; j < ops_.size(); ++j) {
      if (spec_.set_text(ops_[j].op->input)) sets.push_back(j);
    }
    for (std::uint32_t i = 0; i < ops_.size(); ++i) {
      const auto& op = *ops_[i].op;
      const std::string* answer = op.output ? spec_.observed_text(op.input, *op.output) : nullptr;
      if (!answer) continue;
      Watch watch{i, std::vector<std::uint64_t>(answer->size() + 1, 0), {}};
      for (std::size_t n = 0; n < answer->size(); ++n) {
        watch.prefix_hashes[n + 1] =
            Text::extend_hash(watch.prefix_hashes[n], std::string_view(*answer).substr(n, 1));
      }
      for (std::uint32_t j : sets) {
        const auto& input = ops_[j].op->input;
        if (answer->starts_with(*spec_.set_text(input)) &&
            spec_.text_key(input) == spec_.text_key(op.input)) {
          watch.rescuers.push_back(j);
        }
      }
      watch_of_[i] = static_cast<std::int32_t>(watches_.size());
      watches_.push_back(std::move(watch));
    }
  }

  const Spec& spec_;
  std::vector<LocalOp> ops_;
  std::vector<std::int32_t> watch_of_;  // per operation: its Watch, or -1
  std::vector<Watch> watches_;
  std::size_t known_count_ = 0;
  std::size_t words_ = 0;
  std::vector<Node> nodes_;
  std::vector<std::uint64_t> zobrist_;
  std::optional<ConfigSet> memo_;
  std::optional<StateTable<Spec>> table_;
  std::uint64_t initial_code_ = 0;
  std::atomic<bool> settled_{false};  // a worker finished: the others stop
  std::vector<Worker> crew_;
  std::vector<SearchStatus> status_;
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

  // Searches for at most `budget` more steps; a paused worker resumes where it
  // stopped on the next call.
  SearchStatus run(bool last_candidate_first, std::uint64_t budget, const StopSignals& stop) {
    stop_ = &stop;
    budget_ = budget;
    if (!started_) {
      started_ = true;
      e_ = last_candidate_first ? last_candidate() : nodes_[kHead].next;
    }
    return last_candidate_first ? run_backward() : run_forward();
  }

  const std::vector<std::uint32_t>& longest_prefix() const { return longest_; }

 private:
  struct Frame {
    std::int32_t node;
    std::uint64_t code;        // the state before the operation
    std::uint64_t memo_entry;  // the configuration after it
    bool free;                 // the operation left the state unchanged
  };
  static constexpr std::int32_t kHead = 0;

  SearchStatus run_forward() {
    std::int32_t& e = e_;
    while (known_left_ > 0) {
      if (should_pause()) return pause_status();
      if (nodes_[e].call) {
        if (try_linearize(e)) {
          e = nodes_[kHead].next;
        } else {
          e = nodes_[e].next;
        }
      } else if (levels_.back().skipped_busy) {
        // A return (or the tail): every candidate was tried, but some were
        // left to the other worker; look again, and help where still needed.
        levels_.back() = {false, true};
        e = nodes_[kHead].next;
      } else {
        if (stack_.empty()) return SearchStatus::exhausted;
        const std::int32_t c = backtrack();
        e = frame_was_free_ ? tail() : nodes_[c].next;
      }
    }
    return SearchStatus::found;
  }

  SearchStatus run_backward() {
    std::int32_t& e = e_;
    while (known_left_ > 0) {
      if (should_pause()) return pause_status();
      if (e == kHead && levels_.back().skipped_busy) {
        levels_.back() = {false, true};
        e = last_candidate();
      } else if (e == kHead) {
        if (stack_.empty()) return SearchStatus::exhausted;
        const std::int32_t c = backtrack();
        e = frame_was_free_ ? kHead : nodes_[c].prev;
      } else if (try_linearize(e)) {
        e = last_candidate();
      } else {
        e = nodes_[e].prev;
      }
    }
    return SearchStatus::found;
  }

  std::int32_t tail() const { return static_cast<std::int32_t>(nodes_.size()) - 1; }

  // The candidate just before the first return, or the head when none.
  std::int32_t last_candidate() const {
    std::int32_t e = nodes_[kHead].next;
    while (nodes_[e].call) e = nodes_[e].next;
    return nodes_[e].prev;
  }

  // Checked every 1024 steps: the budget, the other worker, the caller.
  bool should_pause() {
    if ((++iterations_ & 1023) != 0) return false;
    if (budget_ <= 1024) return true;
    budget_ -= 1024;
    return stop_requested();
  }

  SearchStatus pause_status() const {
    return stop_requested() ? SearchStatus::stopped : SearchStatus::paused;
  }

  bool stop_requested() const {
    if (s_.settled_.load(std::memory_order_relaxed)) return true;
    if (stop_->cancel && stop_->cancel->load(std::memory_order_relaxed)) return true;
    return stop_->deadline && std::chrono::steady_clock::now() > *stop_->deadline;
  }

  bool try_linearize(std::int32_t e) {
    const std::uint32_t op = nodes_[e].op;
    std::uint64_t next_code;
    if (!step(op, next_code)) return false;
    flip(op);
    if (!s_.ops_[op].read_only && hopeless(next_code)) {
      flip(op);
      return false;
    }
    const std::uint64_t hash = splitmix64(zobrist_hash_ ^ (next_code * kGoldenGamma));
    const ConfigSet::Visit visit = s_.memo_->visit(hash, next_code, bits_.data());
    if (visit.dead || (!visit.fresh && !levels_.back().second_pass)) {
      // Another worker is exploring it: first try what nobody is on.
      if (!visit.dead) levels_.back().skipped_busy = true;
      flip(op);
      return false;
    }
    // A read-only operation (or one whose answer keeps the state) that fits
    // here can be linearized first without loss: if any linearization goes on from here, one starts
    // with it (nothing it must follow is left, and it changes no state). So once it fails, so does
    // every other candidate here.
    stack_.push_back({e, code_, visit.entry, s_.ops_[op].greedy});
    levels_.push_back({});
    code_ = next_code;
    lift(e);
    if (s_.ops_[op].op->output) --known_left_;
    if (stack_.size() > longest_.size()) {
      longest_.clear();
      for (const Frame& f : stack_) longest_.push_back(nodes_[f.node].op);
    }
    return true;
  }

  // Whether a read still to come can no longer answer what it did, from the
  // state `code` reached (HasTextObservations): the reads looked at are the
  // candidates and the first return, the ones that must come soonest.
  bool hopeless(std::uint64_t code) const {
    if constexpr (HasTextObservations<Spec>) {
      if (s_.watches_.empty()) return false;
      const State& state = s_.table_->get(static_cast<std::uint32_t>(code));
      for (std::int32_t e = nodes_[kHead].next; e != tail(); e = nodes_[e].next) {
        const Node& node = nodes_[e];
        const std::int32_t w = s_.watch_of_[node.op];
        if (w >= 0 && !reachable(state, s_.watches_[static_cast<std::size_t>(w)])) return true;
        if (!node.call) break;  // nothing after the first return can come before it
      }
    } else {
      (void)code;
    }
    return false;
  }

  template <class S = Spec>
  requires HasTextObservations<S>
  bool reachable(const State& state, const Watch& watch) const {
    const auto& input = s_.ops_[watch.op].op->input;
    const Text text = s_.spec_.text_at(state, s_.spec_.text_key(input));
    // A differing hash proves the text no prefix of the answer; an equal one
    // (or a collision) only keeps the state.
    if (text.size() < watch.prefix_hashes.size() && watch.prefix_hashes[text.size()] == text.hash())
      return true;
    for (std::uint32_t r : watch.rescuers) {
      if (((bits_[r / 64] >> (r % 64)) & 1) == 0) return true;  // a set still to come
    }
    return false;
  }

  // Undoes the last linearization; returns its call node.
  std::int32_t backtrack() {
    const Frame frame = stack_.back();
    stack_.pop_back();
    levels_.pop_back();
    s_.memo_->mark_dead(frame.memo_entry);
    frame_was_free_ = frame.free;
    if (frame.free) levels_.back().skipped_busy = false;  // the level is dead anyway
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
      // The transitions tried from a state sit together: a level tries its
      // candidates from one state, so this is one cache miss, not one each.
      const auto state = static_cast<std::uint32_t>(code_);
      if (state >= tried_.size()) tried_.resize(state + 1);
      std::uint32_t cached = kRejectedState;
      bool hit = false;
      for (const Transition& t : tried_[state]) {
        if (t.op == op) {
          cached = t.next;
          hit = true;
          break;
        }
      }
      if (!hit && read_answer(op, state, cached)) {
        tried_[state].push_back({op, cached});
      } else if (!hit) {
        auto [next, output] = s_.spec_.apply(s_.table_->get(state), operation.input);
        if (operation.output && !(output == *operation.output)) {
          cached = kRejectedState;
        } else if (next == s_.table_->get(state)) {
          cached = state;  // a read: no need to hash the state again
        } else {
          cached = s_.table_->intern(std::move(next));
        }
        tried_[state].push_back({op, cached});
      }
      if (cached == kRejectedState) return false;
      next_code = cached;
      return true;
    }
  }

  // A read with a known answer, checked without building the next state
  // (the same one); false when the spec cannot do that.
  bool read_answer(std::uint32_t op, std::uint32_t state, std::uint32_t& cached) const {
    if constexpr (HasReadAnswer<Spec>) {
      const auto& operation = *s_.ops_[op].op;
      if (!s_.ops_[op].read_only || !operation.output) return false;
      cached = s_.spec_.answers(s_.table_->get(state), operation.input, *operation.output)
                   ? state
                   : kRejectedState;
      return true;
    } else {
      (void)op, (void)state, (void)cached;
      return false;
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
  // Per depth (stack_.size() + 1 of them): how the candidates there are scanned.
  struct Level {
    bool skipped_busy = false;  // left a candidate to another worker
    bool second_pass = false;   // now entering those too
  };
  std::vector<Level> levels_{Level{}};
  std::vector<std::uint32_t> longest_;
  struct Transition {
    std::uint32_t op;
    std::uint32_t next;  // kRejectedState: the output does not match
  };
  static constexpr std::uint32_t kRejectedState = ~std::uint32_t{0};
  std::vector<std::vector<Transition>> tried_;  // per interned state
  const StopSignals* stop_ = nullptr;
  std::uint64_t iterations_ = 0;
  std::uint64_t budget_ = 0;
  bool started_ = false;
  std::int32_t e_ = 0;           // the node the search is at
  bool frame_was_free_ = false;  // set by backtrack()
};

template <SequentialSpec Spec>
SearchStatus PartitionSearch<Spec>::run(int workers, std::uint64_t budget,
                                        const StopSignals& stop) {
  if (known_count_ == 0) return SearchStatus::found;
  // A worker may join a part already under way (when cores become free): it
  // starts afresh but skips what the memo already marks dead.
  const std::size_t count = static_cast<std::size_t>(std::max(1, std::min(workers, 2)));
  while (crew_.size() < count) {
    crew_.emplace_back(*this);
    status_.push_back(SearchStatus::paused);
  }
  auto work = [&](std::size_t i) {
    if (status_[i] != SearchStatus::paused) return;
    status_[i] = crew_[i].run(/*last_candidate_first=*/i == 1, budget, stop);
    if (status_[i] == SearchStatus::found || status_[i] == SearchStatus::exhausted) {
      settled_.store(true, std::memory_order_relaxed);
    }
  };
  if (crew_.size() == 1) {
    work(0);
  } else {
    // A thread of its own rather than a TBB task: the helper must run at the
    // same time, not after, and its hand-offs stay visible to ThreadSanitizer.
    std::thread helper([&work] { work(1); });
    work(0);
    helper.join();
  }
  auto any = [&](SearchStatus wanted) {
    return std::find(status_.begin(), status_.end(), wanted) != status_.end();
  };
  // Each worker's search is complete on its own (it skips only dead
  // configurations): the first to finish settles the part.
  if (any(SearchStatus::found)) return SearchStatus::found;
  if (any(SearchStatus::exhausted)) return SearchStatus::exhausted;
  if (any(SearchStatus::stopped)) return SearchStatus::stopped;
  if (any(SearchStatus::paused)) return SearchStatus::paused;
  return SearchStatus::exhausted;
}

template <SequentialSpec Spec>
std::vector<std::uint32_t> PartitionSearch<Spec>::longest_prefix() const {
  std::vector<std::uint32_t> longest;
  for (const Worker& w : crew_) {
    if (w.longest_prefix().size() > longest.size()) longest = w.longest_prefix();
  }
  return longest;
}

}  // namespace verdict::lincheck::detail
