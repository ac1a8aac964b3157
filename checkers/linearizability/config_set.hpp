// The memo table of the linearizability search (Lowe's optimisation): the set
// of configurations already visited, a configuration being the set of
// operations linearized so far (a bitset) and the state they lead to (a
// 64-bit code).
//
// With one worker, a configuration seen again was fully explored before (the
// linearized set only grows along a path), so it is dead: no linearization
// continues from it. With several workers sharing the set, a configuration
// seen again may still be under exploration by another worker; it is dead only
// once a worker has explored all its continuations and marked it so. Workers
// skip dead configurations, and so share each other's refutations.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace verdict::lincheck {

class ConfigSet {
 public:
  // `words` is the size of every bitset, in 64-bit words. With `concurrent`
  // false the set takes no locks (one worker only).
  ConfigSet(std::size_t words, bool concurrent);

  struct Visit {
    bool dead = false;        // skip it
    bool fresh = true;        // nobody had visited it (else another worker is on it)
    std::uint64_t entry = 0;  // for mark_dead()
  };

  // Finds the configuration, adding it when new. `hash` must be a well-mixed
  // hash of both the bitset and the state code.
  Visit visit(std::uint64_t hash, std::uint64_t state_code, const std::uint64_t* bits);

  // Every continuation of the configuration fails (needed only when shared).
  void mark_dead(std::uint64_t entry);
  bool concurrent() const { return concurrent_; }

  std::size_t size() const;

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t entry = 0;  // 1 + index of the entry in the arena; 0: empty
  };
  // One shard of the table, with its own lock, so that workers rarely wait.
  struct alignas(64) Shard {
    std::atomic<bool> locked{false};
    std::vector<Slot> slots;
    std::vector<std::uint64_t> arena;  // entries of 2 + words words: dead flag, state code, bits
    std::size_t count = 0;
  };
  // Shared sets have 2^kShardBits shards; a set of one worker has one (a
  // history of a thousand small parts makes a thousand sets).
  static constexpr std::size_t kShardBits = 4;

  void lock(Shard& shard);
  void unlock(Shard& shard);
  void grow(Shard& shard);

  std::size_t words_;
  bool concurrent_;
  std::array<Shard, std::size_t{1} << kShardBits> shards_;
};

}  // namespace verdict::lincheck
