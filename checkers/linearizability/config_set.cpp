#include "checkers/linearizability/config_set.hpp"

#include <algorithm>
#include <cstring>
#include <thread>

namespace verdict::lincheck {

ConfigSet::ConfigSet(std::size_t words, bool concurrent) : words_(words), concurrent_(concurrent) {}

void ConfigSet::lock(Shard& shard) {
  if (!concurrent_) return;
  while (shard.locked.exchange(true, std::memory_order_acquire)) {
    while (shard.locked.load(std::memory_order_relaxed)) std::this_thread::yield();
  }
}

void ConfigSet::unlock(Shard& shard) {
  if (concurrent_) shard.locked.store(false, std::memory_order_release);
}

void ConfigSet::grow(Shard& shard) {
  std::vector<Slot> old(shard.slots.size() * 2);
  old.swap(shard.slots);
  const std::size_t mask = shard.slots.size() - 1;
  for (const Slot& slot : old) {
    if (slot.entry == 0) continue;
    std::size_t i = slot.hash & mask;
    while (shard.slots[i].entry != 0) i = (i + 1) & mask;
    shard.slots[i] = slot;
  }
}

ConfigSet::Visit ConfigSet::visit(std::uint64_t hash, std::uint64_t state_code,
                                  const std::uint64_t* bits) {
  // The top bits choose the shard, the low bits the slot: independent bits.
  const std::size_t shard_index = concurrent_ ? hash >> (64 - kShardBits) : 0;
  Shard& shard = shards_[shard_index];
  const std::size_t stride = 2 + words_;
  lock(shard);
  // A shard gets its slots when first used.
  if (shard.slots.empty()) shard.slots.resize(8);
  const std::size_t mask = shard.slots.size() - 1;
  std::size_t i = hash & mask;
  while (shard.slots[i].entry != 0) {
    const Slot& slot = shard.slots[i];
    if (slot.hash == hash) {
      const std::uint64_t* entry = shard.arena.data() + (slot.entry - 1) * stride;
      if (entry[1] == state_code && std::equal(bits, bits + words_, entry + 2)) {
        // Alone, a worker only meets again what it has finished exploring.
        Visit seen{!concurrent_ || entry[0] != 0, false,
                   (std::uint64_t{slot.entry - 1} << kShardBits) | shard_index};
        unlock(shard);
        return seen;
      }
    }
    i = (i + 1) & mask;
  }
  shard.arena.push_back(0);
  shard.arena.push_back(state_code);
  shard.arena.insert(shard.arena.end(), bits, bits + words_);
  const std::uint64_t entry = (std::uint64_t{shard.count} << kShardBits) | shard_index;
  ++shard.count;
  shard.slots[i] = Slot{hash, static_cast<std::uint32_t>(shard.count)};
  if (shard.count * 2 > shard.slots.size()) grow(shard);
  unlock(shard);
  return {false, true, entry};
}

void ConfigSet::mark_dead(std::uint64_t entry) {
  if (!concurrent_) return;
  Shard& shard = shards_[entry & ((std::size_t{1} << kShardBits) - 1)];
  lock(shard);
  shard.arena[(entry >> kShardBits) * (2 + words_)] = 1;
  unlock(shard);
}

std::size_t ConfigSet::size() const {
  std::size_t total = 0;
  for (const Shard& shard : shards_) total += shard.count;
  return total;
}

}  // namespace verdict::lincheck
