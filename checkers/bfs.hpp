// Breadth-first search over any Model: level by level, in parallel with TBB,
// with results that do not depend on the thread count.
//
// Determinism. The result is exactly that of a sequential FIFO BFS which
// numbers states in discovery order (the initial states first, then each
// state's successors in action order) and stops at the first violation:
// the same unique and generated counts, the same verdict and the same
// counterexample — among the shortest ones, the one whose (parent number,
// action index) chain is smallest. Threads expand a level in fixed-size
// chunks of the frontier; a new state reached several times in a level keeps
// the smallest discovery key (parent number << 24 | action index), resolved
// in a per-level table by atomic-min rather than by whichever thread came
// first. A level's winners, taken in chunk order, are then in key order,
// i.e. in the order a sequential BFS would have numbered them. A stop inside
// a level (a violation, --max-states) truncates the level at the point the
// sequential search would have stopped, so even the counts of a stopped run
// are deterministic. Only time/memory limits and interrupts are not.
//
// Memory. Per state: a parent link of 8 bytes (40-bit parent number, 24-bit
// action index) in `links_`, and a visited-set slot (8 bytes at 68-85% load:
// 9.4-11.8 bytes). States themselves are kept only for the frontier (the
// level being expanded and the next one being built, unless the depth bound
// says it will never be expanded); paths are rebuilt by
// replaying action indices from the initial state. Frontier states are kept
// encoded (checkers/state_codec.hpp) when their type has hash() members that
// list its fields, which is checked on the initial states (e.g. every World
// of a System whose hash() members pass their fields): some hundred bytes in
// one buffer per segment instead of dozens of heap blocks, decoded when
// their chunk is expanded. Other models' states are kept whole.
//
// Liveness. When the model has eventually / leads-to properties (and no
// --symmetry), the search also records the state graph: every state's
// fingerprint and liveness bits, and every edge (successor fingerprint,
// fairness key, action index), appended in state-number order so the graph
// does not depend on the thread count. After a complete search the edges are
// resolved to state numbers and checkers/liveness.hpp judges each property.
// Without liveness properties nothing is recorded.
#pragma once

#include <algorithm>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <deque>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "checkers/fingerprint_table.hpp"
#include "checkers/liveness.hpp"
#include "checkers/search_common.hpp"
#include "checkers/state_codec.hpp"
#include "checkers/tsan_sync.hpp"

namespace verdict {

namespace bfs_detail {

// A parent link, which is also a state's discovery key.
inline constexpr std::uint64_t kNoParent = (std::uint64_t{1} << 40) - 1;
inline constexpr std::uint64_t kActionBits = 24;
inline constexpr std::uint64_t kActionMask = (std::uint64_t{1} << kActionBits) - 1;
inline constexpr std::uint64_t kNone = std::numeric_limits<std::uint64_t>::max();

inline std::uint64_t make_link(std::uint64_t parent, std::uint64_t action) {
  return parent << kActionBits | action;
}
inline std::uint64_t link_parent(std::uint64_t link) {
  return link >> kActionBits;
}
inline std::uint32_t link_action(std::uint64_t link) {
  return static_cast<std::uint32_t>(link & kActionMask);
}

// The states of a frontier segment, in number order: whole states...
template <class State, bool Encoded = EncodableState<State>>
class StateStore {
 public:
  struct Scratch {};  // get() needs none

  void use_encoding(bool) {}
  std::size_t size() const { return states_.size(); }
  void push(State&& s) { states_.push_back(std::move(s)); }
  const State& get(std::size_t i, Scratch&) const { return states_[i]; }
  // Moves state `from` to position `to` < `from`; positions below `to` are final.
  void move(std::size_t from, std::size_t to) { states_[to] = std::move(states_[from]); }
  void truncate(std::size_t n) {
    states_.erase(states_.begin() + static_cast<std::ptrdiff_t>(n), states_.end());
  }
  void shrink() {}

 private:
  std::vector<State> states_;
};

// ...or their encodings, back to back in one buffer: 4 bytes of offset per
// state besides its encoding. (Or whole states after all, when the search
// found that the model's hash() members do not list its fields: see
// use_encoding.)
template <class State>
class StateStore<State, true> {
 public:
  using Scratch = State;  // decoded into, reusing its allocations from state to state

  // Set before the first push.
  void use_encoding(bool on) { encoded_ = on; }

  std::size_t size() const { return encoded_ ? ends_.size() : whole_.size(); }
  void push(State&& s) {
    if (!encoded_) {
      whole_.push_back(std::move(s));
      return;
    }
    encode_state(s, bytes_);
    if (bytes_.size() > std::numeric_limits<std::uint32_t>::max())
      throw std::length_error("bfs: a frontier segment's encoding exceeds 4 GB");
    ends_.push_back(static_cast<std::uint32_t>(bytes_.size()));
  }
  const State& get(std::size_t i, Scratch& scratch) const {
    if (!encoded_) return whole_[i];
    decode_state(bytes_.data() + begin(i), bytes_.data() + ends_[i], scratch);
    return scratch;
  }
  void move(std::size_t from, std::size_t to) {
    if (!encoded_) {
      whole_[to] = std::move(whole_[from]);
      return;
    }
    const std::uint32_t length = ends_[from] - begin(from);
    const std::uint32_t at = begin(to);
    if (length > 0) std::memmove(bytes_.data() + at, bytes_.data() + begin(from), length);
    ends_[to] = at + length;
  }
  void truncate(std::size_t n) {
    if (!encoded_) {
      whole_.erase(whole_.begin() + static_cast<std::ptrdiff_t>(n), whole_.end());
      return;
    }
    ends_.resize(n);
    bytes_.resize(n ? ends_.back() : 0);
  }
  // Gives back what geometric growth left unused, once the segment is final.
  void shrink() {
    bytes_.shrink_to_fit();
    ends_.shrink_to_fit();
  }

 private:
  std::uint32_t begin(std::size_t i) const { return i ? ends_[i - 1] : 0; }
  bool encoded_ = true;
  std::vector<State> whole_;
  std::vector<unsigned char> bytes_;
  std::vector<std::uint32_t> ends_;
};

}  // namespace bfs_detail

template <Model M>
class BreadthFirstSearch {
 public:
  using State = typename M::State;
  using Action = typename M::Action;

  BreadthFirstSearch(const M& model, const SearchOptions& options)
      : ctx_(model, options), first_hit_(ctx_.result_count(), bfs_detail::kNone) {
    for (std::size_t p = 0; p < ctx_.properties.size(); ++p)
      if (is_liveness(ctx_.properties[p].expectation)) liveness_.push_back(p);
    if (liveness_.size() > 32) throw std::invalid_argument("at most 32 liveness properties");
    if (liveness_.empty()) return;
    if (!ctx_.options.liveness)
      liveness_note_ = "--no-liveness";
    else if (!HasFairness<M>)
      liveness_note_ = "the model declares no fairness (fairness_key)";
    else if (ctx_.symmetry)
      liveness_note_ = "liveness is not checked under --symmetry (docs/explorer.md)";
    else
      record_ = true;
  }

  SearchResult<M> run() {
    if (ctx_.options.threads <= 1) return run_levels();
    tbb::task_arena arena(static_cast<int>(ctx_.options.threads));
    return arena.execute([&] { return run_levels(); });
  }

 private:
  // Frontier states are processed in chunks of this many; a chunk's output
  // (its new states, in key order) becomes a segment of the next frontier.
  static constexpr std::size_t kChunk = 256;

  using Store = bfs_detail::StateStore<State>;
  struct Segment {
    Store states;
    std::vector<std::uint64_t> fps;
  };

  // What expanding one chunk of the frontier produced.
  struct ChunkOutput {
    // Candidates: successors new to the visited set whose key was the
    // smallest seen at the time; after resolve(), only the winners.
    Segment found;
    std::vector<std::uint64_t> keys;
    std::vector<std::uint32_t> ordinals;  // the successor's position among its parent's
    // Which properties are noteworthy in each candidate (ctx_.noteworthy),
    // found while the state is at hand rather than decoded again.
    std::vector<std::uint64_t> hits;
    std::vector<std::uint32_t> generated_per_parent;
    std::uint64_t first_deadlock = bfs_detail::kNone;
    std::vector<std::uint64_t> first_hit;  // per property, smallest number of a noteworthy state
    bool aborted = false;
    // The recorded graph (liveness only): per candidate its liveness bits;
    // per parent expanded or not and its edge count; per edge its successor's
    // fingerprint, fairness key and action index.
    std::vector<std::uint64_t> live;
    std::vector<char> expanded;
    std::vector<std::uint32_t> edge_counts;
    std::vector<std::uint64_t> edge_fps, edge_keys;
    std::vector<std::uint32_t> edge_actions;
  };

  SearchResult<M> run_levels() {
    using namespace bfs_detail;
    SearchResult<M> result = ctx_.empty_result();

    // Level 1: the initial states, checked in order (a violation stops at once).
    auto init_states = ctx_.model.init_states();
    if constexpr (EncodableState<State>) {
      // The frontier is kept encoded only if the model's hash() members list
      // its fields (state_codec.hpp): its initial states must come back equal.
      encode_ = std::all_of(init_states.begin(), init_states.end(), [&](const State& s) {
        return round_trips(s) && round_trips(ctx_.canonical(s));
      });
      if (!init_states.empty()) blank_ = blank_like(init_states.front());
    }
    Segment inits;
    inits.states.use_encoding(encode_);
    for (std::size_t i = 0; i < init_states.size(); ++i) {
      ++generated_;
      State s = ctx_.canonical(std::move(init_states[i]));
      const std::uint64_t fp = search_fingerprint(ctx_.model, s);
      if (visited_.contains_unsynchronized(fp)) continue;
      if (ctx_.options.max_states && links_.size() >= *ctx_.options.max_states) {
        ctx_.monitor.stop("max-states");  // one new state more than allowed
        break;
      }
      visited_.insert(fp);
      const std::uint64_t number = links_.size();
      links_.push_back(make_link(kNoParent, i));
      if (record_) {
        graph_fps_.push_back(fp);
        live_bits_.push_back(live_bits(s));
      }
      note_hits(number, ctx_.noteworthy(s));
      store(inits, std::move(s), fp);
      if (!ctx_.options.keep_going && first_violation() != kNone) {
        ctx_.monitor.stop("violation");
        break;
      }
    }
    unique_.store(links_.size(), std::memory_order_relaxed);
    std::vector<Segment> frontier;
    if (inits.states.size() > 0) frontier.push_back(std::move(inits));
    std::uint64_t depth = frontier.empty() ? 0 : 1;

    while (!frontier.empty() && !ctx_.monitor.stopped()) {
      if (ctx_.options.max_depth && depth >= *ctx_.options.max_depth) break;
      depth_.store(depth, std::memory_order_relaxed);
      // The level at the depth bound is never expanded: its states are
      // numbered, marked visited and checked, but not kept (with
      // --check-determinism they are, for the encoding check in store()).
      keep_states_ = !(ctx_.options.max_depth && depth + 1 >= *ctx_.options.max_depth) ||
                     ctx_.options.check_determinism;
      if (!expand_level(frontier)) break;  // stopped by a limit or an interrupt
      frontier = next_level(frontier);
      if (level_kept_ > 0) ++depth;
    }

    result.unique_states = links_.size();
    result.generated_states = generated_;
    result.max_depth = depth;
    result.stop_reason = ctx_.monitor.stopped() ? ctx_.monitor.reason() : "";
    result.complete = result.stop_reason.empty() || result.stop_reason == "violation";
    result.nondeterminism = ctx_.nondeterminism;
    result.visited_bytes = visited_.bytes();
    result.parent_link_bytes = links_.size() * sizeof(std::uint64_t);
    fill_properties(result);
    judge_liveness(result);
    result.seconds = ctx_.monitor.seconds();
    return result;
  }

  // Phase 1: expands every frontier state into chunks_. False when a limit or
  // an interrupt stopped the search in the middle (the level is dropped).
  bool expand_level(const std::vector<Segment>& frontier) {
    segment_offsets_.assign(1, 0);
    for (const auto& segment : frontier)
      segment_offsets_.push_back(segment_offsets_.back() + segment.states.size());
    frontier_size_ = segment_offsets_.back();
    frontier_base_ = links_.size() - frontier_size_;
    generated_before_level_.store(generated_, std::memory_order_relaxed);
    level_generated_.store(0, std::memory_order_relaxed);
    queue_.store(frontier_size_, std::memory_order_relaxed);
    const std::size_t chunk_count = (frontier_size_ + kChunk - 1) / kChunk;
    chunks_.resize(chunk_count);
    level_.clear();
    for_each_chunk(chunk_count, [&](std::size_t c) { expand_chunk(frontier, c); });
    for (const auto& chunk : chunks_) {
      for (std::uint32_t g : chunk.generated_per_parent) generated_ += g;
      if (chunk.aborted) return false;
    }
    return true;
  }

  void expand_chunk(const std::vector<Segment>& frontier, std::size_t c) {
    using namespace bfs_detail;
    ChunkOutput& out = chunks_[c];
    out = ChunkOutput{};
    out.found.states.use_encoding(encode_);
    out.first_hit.assign(ctx_.result_count(), kNone);
    const std::size_t begin = c * kChunk;
    const std::size_t end = std::min(begin + kChunk, frontier_size_);
    std::size_t segment = static_cast<std::size_t>(std::upper_bound(segment_offsets_.begin(),
                                                                    segment_offsets_.end(), begin) -
                                                   segment_offsets_.begin()) -
                          1;
    std::size_t within = begin - segment_offsets_[segment];

    std::vector<Action> actions;
    struct Successor {
      ActionIndex action;
      std::uint32_t ordinal;
      std::uint64_t fp;
      State state;
    };
    ReusedSlots<Successor> successors;
    typename Store::Scratch scratch = fresh_scratch();
    std::uint64_t ticked_generated = 0;
    for (std::size_t i = begin; i < end; ++i, ++within) {
      while (within == frontier[segment].states.size()) {
        ++segment;
        within = 0;
      }
      if ((i - begin) % 32 == 0 && !ctx_.monitor.tick([&] { return progress(); })) {
        out.aborted = true;
        return;
      }
      const State& parent = frontier[segment].states.get(within, scratch);
      const std::uint64_t parent_fp = frontier[segment].fps[within];
      const std::uint64_t parent_number = frontier_base_ + i;
      if (!ctx_.expandable(parent)) {
        out.generated_per_parent.push_back(0);
        if (record_) {
          out.expanded.push_back(0);
          out.edge_counts.push_back(0);
        }
        continue;
      }
      successors.clear();
      std::uint32_t ordinal = 0;
      const std::uint32_t generated = ctx_.for_each_successor(
          parent, actions, [&](ActionIndex a, State&& next, std::uint64_t fp) {
            ++ordinal;
            if (record_) record_edge(out, a, actions[a], fp);
            // A self-loop needs no lookup: the parent is visited.
            if (fp == parent_fp) return;
            Successor& slot = successors.add();
            slot.action = a;
            slot.ordinal = ordinal;
            slot.fp = fp;
            slot.state = next;
          });
      const auto found = successors.used();
      out.generated_per_parent.push_back(generated);
      if (record_) {
        out.expanded.push_back(1);
        out.edge_counts.push_back(generated);
      }
      ticked_generated += generated;
      if (generated == 0 && ctx_.is_deadlock(parent))
        out.first_deadlock = std::min(out.first_deadlock, parent_number);
      for (const auto& s : found) visited_.prefetch(s.fp);
      for (auto& s : found) {
        const std::uint64_t key = make_link(parent_number, s.action);
        if (sequential()) {
          // One thread meets the level's states in key order: the first
          // discovery is the winner, and it is marked visited at once (one
          // probe instead of a visited lookup and a level-table insert).
          if (!visited_.insert(s.fp)) continue;
        } else {
          if (visited_.contains_unsynchronized(s.fp)) continue;
          if (level_.insert_or_improve(s.fp, key, std::less<>()) == LevelTable::Update::kept)
            continue;
        }
        out.hits.push_back(ctx_.noteworthy(s.state));
        if (record_) out.live.push_back(live_bits(s.state));
        store(out.found, std::move(s.state), s.fp);
        out.keys.push_back(key);
        out.ordinals.push_back(s.ordinal);
      }
    }
    level_generated_.fetch_add(ticked_generated, std::memory_order_relaxed);
  }

  // Phase 2: keeps each chunk's winners, numbers them, records their links,
  // marks them visited, checks their properties, and truncates the level if
  // the sequential search would have stopped in it. Returns the next frontier.
  std::vector<Segment> next_level(std::vector<Segment>& frontier) {
    using namespace bfs_detail;
    const std::size_t chunk_count = chunks_.size();
    const std::uint64_t next_base = links_.size();
    // Winners and their numbers.
    if (!sequential())  // one thread kept only winners already
      for_each_chunk(chunk_count, [&](std::size_t c) { keep_winners(chunks_[c]); });
    std::vector<std::uint64_t> chunk_base(chunk_count + 1, next_base);
    for (std::size_t c = 0; c < chunk_count; ++c)
      chunk_base[c + 1] = chunk_base[c] + chunks_[c].keys.size();
    for_each_chunk(chunk_count, [&](std::size_t c) { check_winners(chunks_[c], chunk_base[c]); });
    frontier.clear();  // the parents are no longer needed

    // The earliest event (in sequential-search order) that ends the search.
    std::uint64_t stop_key = kNone;
    bool stop_keeps_its_state = true;  // false: the state that hit --max-states is not kept
    std::string stop_reason;
    std::uint64_t level_first_violation = kNone;  // smallest number of a violating new state
    std::uint64_t level_first_deadlock = kNone;
    std::vector<std::uint64_t> level_hit(ctx_.result_count(), kNone);
    for (const auto& chunk : chunks_) {
      level_first_deadlock = std::min(level_first_deadlock, chunk.first_deadlock);
      for (std::size_t p = 0; p < level_hit.size(); ++p)
        level_hit[p] = std::min(level_hit[p], chunk.first_hit[p]);
    }
    for (std::size_t p = 0; p < ctx_.properties.size(); ++p)
      if (ctx_.properties[p].expectation == Expectation::always)
        level_first_violation = std::min(level_first_violation, level_hit[p]);
    if (!ctx_.options.keep_going) {
      if (level_first_violation != kNone) {
        stop_key = key_of_number(level_first_violation, chunk_base);
        stop_reason = "violation";
      }
      if (level_first_deadlock != kNone) {
        const std::uint64_t key = make_link(level_first_deadlock, kActionMask);
        if (key < stop_key) {
          stop_key = key;
          stop_reason = "violation";
        }
      }
    }
    // --max-states stops at the discovery of one new state more than allowed.
    if (ctx_.options.max_states && chunk_base.back() > *ctx_.options.max_states) {
      const std::uint64_t key = key_of_number(*ctx_.options.max_states, chunk_base);
      if (key < stop_key) {
        stop_key = key;
        stop_keeps_its_state = false;
        stop_reason = "max-states";
      }
    }

    // Truncate at the stop event: keep the new states discovered up to it.
    std::uint64_t kept_end = chunk_base.back();
    if (stop_key != kNone) {
      kept_end = next_base;
      for (std::size_t c = 0; c < chunk_count; ++c) {
        const auto& keys = chunks_[c].keys;
        const auto end = stop_keeps_its_state
                             ? std::upper_bound(keys.begin(), keys.end(), stop_key)
                             : std::lower_bound(keys.begin(), keys.end(), stop_key);
        kept_end += static_cast<std::uint64_t>(end - keys.begin());
      }
      generated_ =
          generated_before_level_.load(std::memory_order_relaxed) + generated_before(stop_key);
      ctx_.monitor.stop(stop_reason);
      if (level_first_deadlock != kNone && make_link(level_first_deadlock, kActionMask) == stop_key)
        note_hit(ctx_.deadlock_index(), level_first_deadlock);
    } else if (level_first_deadlock != kNone) {
      note_hit(ctx_.deadlock_index(), level_first_deadlock);
    }
    for (std::size_t p = 0; p < ctx_.properties.size(); ++p)
      if (level_hit[p] < kept_end) note_hit(p, level_hit[p]);
    level_kept_ = kept_end - next_base;

    // The kept winners become the next frontier, in number order.
    std::vector<Segment> next;
    for (std::size_t c = 0; c < chunk_count; ++c) {
      auto& chunk = chunks_[c];
      const std::uint64_t keep =
          std::min<std::uint64_t>(chunk.keys.size(), kept_end - std::min(kept_end, chunk_base[c]));
      for (std::uint64_t j = 0; j < keep; ++j) links_.push_back(chunk.keys[j]);
      if (record_) append_graph(chunk, keep);
      if (keep_states_) chunk.found.states.truncate(keep);
      chunk.found.fps.resize(keep);
      if (keep > 0) next.push_back(std::move(chunk.found));
    }
    for_each_chunk(next.size(), [&](std::size_t s) {
      // Each insert is a cache miss: fetch a few inserts ahead. (One thread
      // marked them visited when it met them; states a truncated level drops
      // are marked too, but the search stops there.)
      const auto& fps = next[s].fps;
      constexpr std::size_t kAhead = 8;
      for (std::size_t j = 0; j < fps.size() && !sequential(); ++j) {
        if (j + kAhead < fps.size()) visited_.prefetch(fps[j + kAhead]);
        visited_.insert(fps[j]);
      }
      next[s].states.shrink();
    });
    unique_.store(links_.size(), std::memory_order_relaxed);
    if (ctx_.monitor.stopped()) next.clear();
    return next;
  }

  // One thread: chunks run one after another, each in key order.
  bool sequential() const { return ctx_.options.threads <= 1; }

  void keep_winners(ChunkOutput& chunk) {
    std::size_t kept = 0;
    for (std::size_t j = 0; j < chunk.keys.size(); ++j) {
      const std::uint64_t* best = level_.find_unsynchronized(chunk.found.fps[j]);
      if (*best != chunk.keys[j]) continue;
      if (kept != j) {
        if (keep_states_) chunk.found.states.move(j, kept);
        chunk.found.fps[kept] = chunk.found.fps[j];
        chunk.keys[kept] = chunk.keys[j];
        chunk.ordinals[kept] = chunk.ordinals[j];
        chunk.hits[kept] = chunk.hits[j];
        if (record_) chunk.live[kept] = chunk.live[j];
      }
      ++kept;
    }
    if (keep_states_) chunk.found.states.truncate(kept);
    chunk.found.fps.resize(kept);
    chunk.keys.resize(kept);
    chunk.ordinals.resize(kept);
    chunk.hits.resize(kept);
    if (record_) chunk.live.resize(kept);
  }

  void check_winners(ChunkOutput& chunk, std::uint64_t base) {
    for (std::size_t j = 0; j < chunk.keys.size(); ++j) {
      std::uint64_t hits = chunk.hits[j];
      while (hits) {
        const int p = __builtin_ctzll(hits);
        hits &= hits - 1;
        auto& first = chunk.first_hit[static_cast<std::size_t>(p)];
        first = std::min(first, base + j);
      }
    }
  }

  // What an encoded frontier state is decoded into (a blank of the initial
  // states' kind: see blank_like in state_codec.hpp).
  typename Store::Scratch fresh_scratch() const {
    if constexpr (EncodableState<State>)
      return blank_;
    else
      return {};
  }

  // Adds a state to a segment. With --check-determinism an encoded state is
  // also decoded again and compared with the original: a field left out of a
  // hash() member would otherwise be lost silently on the way through the
  // frontier (see state_codec.hpp).
  void store(Segment& segment, State&& s, std::uint64_t fp) {
    segment.fps.push_back(fp);
    if (!keep_states_) return;
    segment.states.push(std::move(s));  // when encoding, push() only reads s
    if constexpr (EncodableState<State>) {
      if (!encode_ || !ctx_.options.check_determinism) return;
      typename Store::Scratch fresh = fresh_scratch();
      std::string why;
      try {
        const State& decoded = segment.states.get(segment.states.size() - 1, fresh);
        if (search_fingerprint(ctx_.model, decoded) != fp || !(decoded == s))
          why = "is a field missing from a hash() member? see checkers/state_codec.hpp";
      } catch (const CodecError& e) {
        why = e.what();
      }
      if (!why.empty())
        ctx_.report_nondeterminism(
            "a state is not the same after the frontier's encoding and decoding (" + why + ")");
    }
  }

  // The discovery key of the new state numbered `number` in this level.
  std::uint64_t key_of_number(std::uint64_t number, const std::vector<std::uint64_t>& chunk_base) {
    const std::size_t c = static_cast<std::size_t>(
        std::upper_bound(chunk_base.begin(), chunk_base.end(), number) - chunk_base.begin() - 1);
    return chunks_[c].keys[number - chunk_base[c]];
  }

  // Successors generated in this level before the event with key `stop_key`
  // (a discovery includes its own successor; a deadlock generated none).
  std::uint64_t generated_before(std::uint64_t stop_key) const {
    using namespace bfs_detail;
    const std::uint64_t parent = link_parent(stop_key) - frontier_base_;
    std::uint64_t total = 0;
    for (std::uint64_t i = 0; i < parent; ++i)
      total += chunks_[i / kChunk].generated_per_parent[i % kChunk];
    if (link_action(stop_key) == kActionMask) return total;  // a deadlock
    const auto& chunk = chunks_[parent / kChunk];
    auto it = std::lower_bound(chunk.keys.begin(), chunk.keys.end(), stop_key);
    if (it != chunk.keys.end() && *it == stop_key)
      total += chunk.ordinals[static_cast<std::size_t>(it - chunk.keys.begin())];
    return total;
  }

  void note_hits(std::uint64_t number, std::uint64_t hits) {
    while (hits) {
      const int p = __builtin_ctzll(hits);
      hits &= hits - 1;
      note_hit(static_cast<std::size_t>(p), number);
    }
  }
  void note_hit(std::size_t property, std::uint64_t number) {
    first_hit_[property] = std::min(first_hit_[property], number);
  }

  // The smallest number of a state that violates an `always` property.
  std::uint64_t first_violation() const {
    std::uint64_t first = bfs_detail::kNone;
    for (std::size_t p = 0; p < ctx_.properties.size(); ++p)
      if (ctx_.properties[p].expectation == Expectation::always)
        first = std::min(first, first_hit_[p]);
    return first;
  }

  void fill_properties(SearchResult<M>& result) const {
    using namespace bfs_detail;
    std::uint64_t first_violation_number = kNone;
    for (std::size_t p = 0; p < result.properties.size(); ++p) {
      if (first_hit_[p] == kNone) continue;
      auto& r = result.properties[p];
      r.outcome = r.expectation == Expectation::always ? Outcome::violated : Outcome::reached;
      r.example = path_to(first_hit_[p]);
      if (r.expectation == Expectation::always && first_hit_[p] < first_violation_number) {
        first_violation_number = first_hit_[p];
        result.violation = p;
      }
    }
  }

  Path<M> path_to(std::uint64_t number) const {
    std::vector<ActionIndex> chain;
    const std::size_t init = chain_to(number, chain);
    return ctx_.replay(init, chain);
  }

  // The action indices from an initial state to state `number`; returns the
  // initial state's index.
  std::size_t chain_to(std::uint64_t number, std::vector<ActionIndex>& chain) const {
    using namespace bfs_detail;
    chain.clear();
    for (;;) {
      const std::uint64_t link = links_[number];
      if (link_parent(link) == kNoParent) {
        std::reverse(chain.begin(), chain.end());
        return link_action(link);
      }
      chain.push_back(link_action(link));
      number = link_parent(link);
    }
  }

  // Liveness bits of a state: bit 2i the trigger of liveness property i
  // (leads-to only), bit 2i+1 its goal.
  std::uint64_t live_bits(const State& s) const {
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < liveness_.size(); ++i) {
      const auto& p = ctx_.properties[liveness_[i]];
      if (p.trigger && p.trigger(s)) bits |= std::uint64_t{1} << (2 * i);
      if (p.condition(s)) bits |= std::uint64_t{2} << (2 * i);
    }
    return bits;
  }

  void record_edge(ChunkOutput& out, ActionIndex a, const Action& action, std::uint64_t fp) const {
    std::uint64_t key = liveness::kUnfair;
    if constexpr (HasFairness<M>) {
      if (auto k = ctx_.model.fairness_key(action)) key = *k == liveness::kUnfair ? 0 : *k;
    }
    out.edge_fps.push_back(fp);
    out.edge_keys.push_back(key);
    out.edge_actions.push_back(a);
  }

  // Appends a chunk's part of the graph: its parents' edges (parents are
  // numbered in chunk order) and its `keep` new states.
  void append_graph(ChunkOutput& chunk, std::uint64_t keep) {
    graph_.expanded.insert(graph_.expanded.end(), chunk.expanded.begin(), chunk.expanded.end());
    for (std::uint32_t count : chunk.edge_counts)
      graph_.offsets.push_back(graph_.offsets.back() + count);
    edge_fps_.insert(edge_fps_.end(), chunk.edge_fps.begin(), chunk.edge_fps.end());
    graph_.keys.insert(graph_.keys.end(), chunk.edge_keys.begin(), chunk.edge_keys.end());
    graph_.actions.insert(graph_.actions.end(), chunk.edge_actions.begin(),
                          chunk.edge_actions.end());
    graph_fps_.insert(graph_fps_.end(), chunk.found.fps.begin(),
                      chunk.found.fps.begin() + static_cast<std::ptrdiff_t>(keep));
    live_bits_.insert(live_bits_.end(), chunk.live.begin(),
                      chunk.live.begin() + static_cast<std::ptrdiff_t>(keep));
    for (auto* v : {&chunk.edge_fps, &chunk.edge_keys}) std::vector<std::uint64_t>().swap(*v);
    std::vector<std::uint32_t>().swap(chunk.edge_actions);
  }

  // After the search: resolves the recorded edges to state numbers and
  // judges every liveness property on the graph (checkers/liveness.hpp).
  void judge_liveness(SearchResult<M>& result) {
    using namespace bfs_detail;
    if (liveness_.empty()) return;
    if (record_ && !result.stop_reason.empty())
      liveness_note_ = "the search did not cover the whole graph (" + result.stop_reason + ")";
    result.liveness_note = liveness_note_;
    if (!liveness_note_.empty()) return;
    const double started = ctx_.monitor.seconds();
    const std::size_t n = graph_fps_.size();
    // States never expanded (the last level under --max-depth) have no edges.
    graph_.expanded.resize(n, 0);
    graph_.offsets.resize(n + 1, graph_.offsets.back());
    // Every successor was numbered: the search was complete.
    liveness::resolve_targets(graph_, graph_fps_, edge_fps_);
    std::vector<std::uint64_t>().swap(edge_fps_);
    std::vector<std::uint64_t>().swap(graph_fps_);
    result.graph_edges = graph_.targets.size();
    result.graph_bytes = graph_.bytes() + n * 2 * sizeof(std::uint64_t);

    const liveness::Analysis analysis(graph_);
    std::vector<bool> trigger(n), goal(n);
    for (std::size_t i = 0; i < liveness_.size(); ++i) {
      const std::size_t p = liveness_[i];
      const bool eventually = ctx_.properties[p].expectation == Expectation::eventually;
      for (std::size_t s = 0; s < n; ++s) {
        // "eventually Q" is "initial leads-to Q".
        trigger[s] = eventually ? link_parent(links_[s]) == kNoParent
                                : ((live_bits_[s] >> (2 * i)) & 1U) != 0;
        goal[s] = ((live_bits_[s] >> (2 * i + 1)) & 1U) != 0;
      }
      auto& r = result.properties[p];
      auto lasso = analysis.find_violation(trigger, goal);
      if (!lasso) {
        r.outcome = Outcome::holds;
        continue;
      }
      r.outcome = Outcome::violated;
      std::vector<ActionIndex> chain;
      const std::size_t init = chain_to(lasso->start, chain);
      for (std::uint64_t e : lasso->stem) chain.push_back(graph_.actions[e]);
      for (std::uint64_t e : lasso->cycle) chain.push_back(graph_.actions[e]);
      r.example = ctx_.replay(init, chain);
      r.cycle = lasso->cycle.size();
      if (!result.violation) result.violation = p;
    }
    result.liveness_seconds = ctx_.monitor.seconds() - started;
  }

  SearchProgress progress() const {
    return {unique_.load(std::memory_order_relaxed),
            generated_before_level_.load(std::memory_order_relaxed) +
                level_generated_.load(std::memory_order_relaxed),
            depth_.load(std::memory_order_relaxed), queue_.load(std::memory_order_relaxed)};
  }

  template <class Body>
  void for_each_chunk(std::size_t count, Body&& body) {
    if (ctx_.options.threads <= 1 || count <= 1) {
      for (std::size_t c = 0; c < count; ++c) body(c);
      return;
    }
    tsan_release(&phase_start_);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, count, 1),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        tsan_acquire(&phase_start_);
                        for (std::size_t c = range.begin(); c != range.end(); ++c) body(c);
                        tsan_release(&phase_end_);
                      });
    tsan_acquire(&phase_end_);
  }

  SearchContext<M> ctx_;
  bool encode_ = false;  // frontier states are kept encoded (see run_levels)
  struct NoBlank {};
  // What fresh_scratch() copies (set from the initial states).
  [[no_unique_address]] std::conditional_t<EncodableState<State>, State, NoBlank> blank_{};
  bool keep_states_ = true;  // false while building the level at the depth bound
  FingerprintTable<> visited_;
  // Per level: each new state's smallest discovery key so far.
  using LevelTable = FingerprintTable<std::uint64_t>;
  LevelTable level_;
  std::deque<std::uint64_t> links_;  // by state number; a deque grows without copying
  std::vector<std::uint64_t> first_hit_;
  // Liveness: the properties' indices, whether the graph is recorded (or why not).
  std::vector<std::size_t> liveness_;
  bool record_ = false;
  std::string liveness_note_;
  liveness::StateGraph graph_;  // targets resolved after the search
  std::vector<std::uint64_t> graph_fps_, live_bits_, edge_fps_;  // by state number; by edge
  std::vector<ChunkOutput> chunks_;
  std::vector<std::size_t> segment_offsets_;
  std::size_t frontier_size_ = 0;
  std::uint64_t frontier_base_ = 0;
  std::uint64_t generated_ = 0;
  std::uint64_t level_kept_ = 0;          // new states the last level kept
  char phase_start_ = 0, phase_end_ = 0;  // TSan happens-before edges (tsan_sync.hpp)
  // For progress lines, read by any worker.
  std::atomic<std::uint64_t> unique_{0}, generated_before_level_{0}, level_generated_{0}, depth_{0},
      queue_{0};
};

template <Model M>
SearchResult<M> bfs(const M& model, const SearchOptions& options) {
  return BreadthFirstSearch<M>(model, options).run();
}

}  // namespace verdict
