// FingerprintTable: the explorers' visited set. A concurrent hash set of
// 64-bit state fingerprints, optionally with a small value per fingerprint
// (DFS keeps the shallowest depth a state was reached at; BFS keeps, for the
// level being built, the smallest discovery key of each new state).
//
// Why hand-written: memory per state is what bounds an exhaustive search, and
// a fingerprint is already a uniform hash, so an open-addressing table of bare
// 8-byte slots (no per-node allocation, no second hash) costs 10-15 bytes per
// state. tbb::concurrent_unordered_set costs several times that (measured:
// ~60 B/state), concurrent_hash_map more.
//
// Layout: 256 shards chosen by the fingerprint's top bits, each an
// open-addressing table with linear probing and its own spin lock. A shard
// grows alone (x1.5 at 80% load), so a resize never stops the other threads
// and the transient copy is 1/256 of the table, which keeps peak RSS close to
// the steady size. Fingerprint 0 marks an empty slot; a state whose
// fingerprint is 0 is stored as kZeroStandIn (one more possible collision in
// 2^64, like any other).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace verdict {

struct NoSlotValue {};

template <class Value = NoSlotValue>
class FingerprintTable {
 public:
  static constexpr unsigned kShardBits = 8;
  static constexpr std::size_t kShards = std::size_t{1} << kShardBits;
  static constexpr std::uint64_t kZeroStandIn = 0x5bd1e9955bd1e995ULL;

  FingerprintTable() : shards_(kShards) {
    for (auto& shard : shards_) shard.slots.resize(kInitialShardCapacity);
  }

  // Inserts fp; true when it was absent. Thread-safe.
  bool insert(std::uint64_t fp) {
    fp = stored(fp);
    Shard& shard = shard_of(fp);
    LockGuard lock(shard);
    Slot& slot = shard.find_or_empty(fp);
    if (slot.fp == fp) return false;
    shard.occupy(slot, fp, Value{});
    return true;
  }

  // Whether fp is present. Thread-safe only while no thread inserts (the BFS
  // reads the visited set in one phase and writes it in another).
  bool contains_unsynchronized(std::uint64_t fp) const {
    fp = stored(fp);
    const Shard& shard = shard_of(fp);
    return shard.find_or_empty(fp).fp == fp;
  }

  // Hints the CPU to fetch fp's home slot; a search calls it for all the
  // successors of a state before looking them up, so that the cache misses
  // overlap instead of queueing.
  void prefetch(std::uint64_t fp) const {
    fp = stored(fp);
    const Shard& shard = shard_of(fp);
    __builtin_prefetch(shard.slots.data() + shard.home(fp));
  }

  enum class Update { inserted, improved, kept };

  // Inserts (fp, value) or, when fp is present with a value that
  // `better(value, old)` beats, replaces the value. Thread-safe.
  template <class Better>
  Update insert_or_improve(std::uint64_t fp, const Value& value, Better better) {
    fp = stored(fp);
    Shard& shard = shard_of(fp);
    LockGuard lock(shard);
    Slot& slot = shard.find_or_empty(fp);
    if (slot.fp == fp) {
      if (!better(value, slot.value)) return Update::kept;
      slot.value = value;
      return Update::improved;
    }
    shard.occupy(slot, fp, value);
    return Update::inserted;
  }

  // The value stored with fp, or nullptr. Same thread-safety as contains_unsynchronized.
  const Value* find_unsynchronized(std::uint64_t fp) const {
    fp = stored(fp);
    const Slot& slot = shard_of(fp).find_or_empty(fp);
    return slot.fp == fp ? &slot.value : nullptr;
  }

  std::uint64_t size() const {
    std::uint64_t n = 0;
    for (const auto& shard : shards_) n += shard.count;
    return n;
  }
  // Bytes held by the slot arrays.
  std::uint64_t bytes() const {
    std::uint64_t n = 0;
    for (const auto& shard : shards_) n += shard.slots.capacity() * sizeof(Slot);
    return n;
  }
  // Empties every shard but keeps its capacity (BFS reuses its level table).
  void clear() {
    for (auto& shard : shards_) {
      if (shard.count == 0) continue;
      std::fill(shard.slots.begin(), shard.slots.end(), Slot{});
      shard.count = 0;
    }
  }

 private:
  static constexpr std::size_t kInitialShardCapacity = 64;
  // A shard grows when it would pass 80% full, by half: the table's load then
  // stays between 53% and 80% (10-15 bytes per 8-byte slot's state).
  static constexpr std::size_t kMaxLoadPercent = 80;

  __extension__ typedef unsigned __int128 Wide;  // a GCC/Clang builtin

  struct Slot {
    std::uint64_t fp = 0;
    [[no_unique_address]] Value value{};
  };

  struct alignas(64) Shard {
    std::atomic<bool> locked{false};
    std::size_t count = 0;
    std::vector<Slot> slots;

    // Maps the 56 fingerprint bits below the shard bits onto [0, capacity)
    // by a multiply-shift, so a capacity need not be a power of two.
    std::size_t home(std::uint64_t fp) const {
      const Wide wide = static_cast<Wide>(fp << kShardBits) * slots.size();
      return static_cast<std::size_t>(wide >> 64);
    }
    Slot& find_or_empty(std::uint64_t fp) {
      return const_cast<Slot&>(static_cast<const Shard&>(*this).find_or_empty(fp));
    }
    const Slot& find_or_empty(std::uint64_t fp) const {
      const std::size_t n = slots.size();
      for (std::size_t i = home(fp);; i = (i + 1 == n) ? 0 : i + 1)
        if (slots[i].fp == fp || slots[i].fp == 0) return slots[i];
    }
    void occupy(Slot& slot, std::uint64_t fp, const Value& value) {
      slot.fp = fp;
      slot.value = value;
      if (++count * 100 > slots.size() * kMaxLoadPercent) grow();
    }
    void grow() {
      std::vector<Slot> old(slots.size() + slots.size() / 2);
      old.swap(slots);
      for (const Slot& s : old)
        if (s.fp != 0) find_or_empty(s.fp) = s;
    }
  };

  class LockGuard {
   public:
    explicit LockGuard(Shard& shard) : shard_(shard) {
      while (shard_.locked.exchange(true, std::memory_order_acquire))
        while (shard_.locked.load(std::memory_order_relaxed)) __builtin_ia32_pause();
    }
    ~LockGuard() { shard_.locked.store(false, std::memory_order_release); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

   private:
    Shard& shard_;
  };

  static std::uint64_t stored(std::uint64_t fp) { return fp == 0 ? kZeroStandIn : fp; }
  Shard& shard_of(std::uint64_t fp) { return shards_[fp >> (64 - kShardBits)]; }
  const Shard& shard_of(std::uint64_t fp) const { return shards_[fp >> (64 - kShardBits)]; }

  std::vector<Shard> shards_;
};

}  // namespace verdict
