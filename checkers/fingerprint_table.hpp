// FingerprintTable: the explorers' visited set. A concurrent hash set of
// 64-bit state fingerprints, optionally with a small value per fingerprint
// (DFS keeps the shallowest depth a state was reached at; BFS keeps, for the
// level being built, the smallest discovery key of each new state).
//
// Why hand-written: memory per state is what bounds an exhaustive search, and
// a fingerprint is already a uniform hash, so an open-addressing table of bare
// 8-byte slots (no per-node allocation, no second hash) costs 9.4-11.8 bytes
// per state. tbb::concurrent_unordered_set allocates a list node per element:
// measured on 1.7 M fingerprints, 40 bytes per state of RSS against our 11.6,
// and 7 times slower to fill.
//
// Layout: 256 shards chosen by the fingerprint's top bits, each an
// open-addressing table with linear probing and its own spin lock. A shard
// grows alone (by a quarter at 85% load), so a resize never stops the other
// threads and the transient copy is 1/256 of the table, which keeps peak RSS
// close to the steady size: 8-byte slots at 68-85% load, 9.4-11.8 bytes per
// state. Fingerprint 0 marks an empty slot; a state whose
// fingerprint is 0 is stored as kZeroStandIn (one more possible collision in
// 2^64, like any other).
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
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
    for (auto& shard : shards_) shard.slots = SlotArray(kInitialShardCapacity);
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
    for (const auto& shard : shards_) n += shard.slots.size() * sizeof(Slot);
    return n;
  }
  // Empties every shard but keeps its capacity (BFS reuses its level table).
  void clear() {
    for (auto& shard : shards_) {
      if (shard.count == 0) continue;
      shard.slots = SlotArray(shard.slots.size());
      shard.count = 0;
    }
  }

 private:
  static constexpr std::size_t kInitialShardCapacity = 64;
  // A shard grows when it would pass 85% full, by a quarter: its load then
  // stays between 68% and 85%. Linear probing at 85% costs about 4 probes
  // (one cache line) per hit and 20 slots (three lines) per miss.
  static constexpr std::size_t kMaxLoadPercent = 85;

  __extension__ typedef unsigned __int128 Wide;  // a GCC/Clang builtin

  struct Slot {
    std::uint64_t fp = 0;
    [[no_unique_address]] Value value{};
  };

  // A zero-filled array of slots (all empty). Arrays of a page or more are
  // mapped from the kernel and unmapped when a shard grows, so the arrays a
  // growing table leaves behind go back to the system instead of staying in
  // the heap (1-2 bytes per state of RSS otherwise).
  class SlotArray {
   public:
    SlotArray() = default;
    explicit SlotArray(std::size_t size) : size_(size) {
      static_assert(std::is_trivially_copyable_v<Slot>);
      // The tail of a mapped array's last page is never touched, so costs no RSS.
      const std::size_t bytes = size * sizeof(Slot);
      void* memory = bytes >= kMapAtBytes ? mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
                                          : std::calloc(size, sizeof(Slot));
      if (memory == nullptr || memory == MAP_FAILED) throw std::bad_alloc();
      data_ = static_cast<Slot*>(memory);
    }
    SlotArray(SlotArray&& other) noexcept
        : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
    SlotArray& operator=(SlotArray&& other) noexcept {
      if (this != &other) {
        release();
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
      }
      return *this;
    }
    SlotArray(const SlotArray&) = delete;
    SlotArray& operator=(const SlotArray&) = delete;
    ~SlotArray() { release(); }

    std::size_t size() const { return size_; }
    Slot* data() { return data_; }
    const Slot* data() const { return data_; }
    Slot& operator[](std::size_t i) { return data_[i]; }
    const Slot& operator[](std::size_t i) const { return data_[i]; }

   private:
    static constexpr std::size_t kMapAtBytes = 4096;
    void release() {
      if (data_ == nullptr) return;
      if (size_ * sizeof(Slot) >= kMapAtBytes)
        munmap(data_, size_ * sizeof(Slot));
      else
        std::free(data_);
      data_ = nullptr;
    }
    Slot* data_ = nullptr;
    std::size_t size_ = 0;
  };

  struct alignas(64) Shard {
    std::atomic<bool> locked{false};
    std::size_t count = 0;
    SlotArray slots;

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
      SlotArray old = std::exchange(slots, SlotArray(slots.size() + slots.size() / 4));
      for (std::size_t i = 0; i < old.size(); ++i)
        if (old[i].fp != 0) find_or_empty(old[i].fp) = old[i];
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
