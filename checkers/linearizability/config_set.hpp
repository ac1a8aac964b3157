// The memo table of the linearizability search (Lowe's optimisation): the set
// of configurations already visited, a configuration being the set of
// operations linearized so far (a bitset) and the state they lead to (a
// 64-bit code). Several search workers may share one set; a configuration
// inserted by one is then skipped by the others, which splits the work.
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

  // Adds the configuration; false when it was already there. `hash` must be a
  // well-mixed hash of both the bitset and the state code.
  bool insert(std::uint64_t hash, std::uint64_t state_code, const std::uint64_t* bits);

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
    std::vector<std::uint64_t> arena;  // entries of 1 + words words: state code, bits
    std::size_t count = 0;
  };
  static constexpr std::size_t kShardBits = 6;

  void lock(Shard& shard);
  void unlock(Shard& shard);
  void grow(Shard& shard);

  std::size_t words_;
  bool concurrent_;
  std::array<Shard, std::size_t{1} << kShardBits> shards_;
};

}  // namespace verdict::lincheck
