// How the search stores specification states in 64 bits: small plain states
// are copied bit for bit; any other state is interned in a table shared by the
// workers of one search, and its code is its index there.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <tbb/concurrent_vector.h>

#include "checkers/linearizability/spec.hpp"

namespace verdict::lincheck::detail {

template <class State>
inline constexpr bool kDirectState =
    std::is_trivially_copyable_v<State> &&
    sizeof(State) <= 8 && std::has_unique_object_representations_v<State>;

template <class State>
std::uint64_t encode_direct(const State& state) {
  const auto bytes = std::bit_cast<std::array<unsigned char, sizeof(State)>>(state);
  std::uint64_t code = 0;
  std::memcpy(&code, bytes.data(), sizeof(State));
  return code;
}

template <class State>
State decode_direct(std::uint64_t code) {
  std::array<unsigned char, sizeof(State)> bytes{};
  std::memcpy(bytes.data(), &code, sizeof(State));
  return std::bit_cast<State>(bytes);
}

// Distinct states get distinct small ids. Safe to use from several threads;
// a worker only reads states whose ids it obtained from intern(). States live
// in one concurrent vector, indexed by an open-addressing table of (hash, id).
template <SequentialSpec Spec>
class StateTable {
 public:
  using State = typename Spec::State;

  // `shared`: used by several workers (else it takes no lock).
  StateTable(const Spec& spec, bool shared) : spec_(spec), shared_(shared), slots_(16) {}

  std::uint32_t intern(State&& state) {
    const std::uint64_t hash = hash_state(spec_, state) | 1;  // 0 marks an empty slot
    std::unique_lock<std::mutex> guard(mutex_, std::defer_lock);
    if (shared_) guard.lock();
    std::size_t mask = slots_.size() - 1;
    std::size_t i = (hash * 0x9e3779b97f4a7c15ULL) >> 20 & mask;
    for (; slots_[i].hash != 0; i = (i + 1) & mask) {
      if (slots_[i].hash == hash && states_[slots_[i].id] == state) return slots_[i].id;
    }
    const auto id = static_cast<std::uint32_t>(states_.size());
    states_.push_back(std::move(state));
    slots_[i] = {hash, id};
    if (states_.size() * 2 > slots_.size()) grow();
    return id;
  }

  const State& get(std::uint32_t id) const { return states_[id]; }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t id = 0;
  };
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.hash == 0) continue;
      std::size_t i = (slot.hash * 0x9e3779b97f4a7c15ULL) >> 20 & mask;
      while (slots_[i].hash != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }
  const Spec& spec_;
  bool shared_;
  std::mutex mutex_;
  std::vector<Slot> slots_;
  tbb::concurrent_vector<State> states_;
};

// A worker's private memo of transitions (state id, operation) -> next state
// id, so that an interned state's apply() runs once per transition.
class TransitionCache {
 public:
  static constexpr std::uint64_t kRejected = ~std::uint64_t{0};

  TransitionCache() : keys_(1024, kEmpty), values_(1024) {}

  // Returns the cached next code (or kRejected) and true, or false on a miss.
  bool find(std::uint64_t key, std::uint64_t& value) const {
    const std::size_t mask = keys_.size() - 1;
    for (std::size_t i = mix(key) & mask;; i = (i + 1) & mask) {
      if (keys_[i] == key) {
        value = values_[i];
        return true;
      }
      if (keys_[i] == kEmpty) return false;
    }
  }

  void put(std::uint64_t key, std::uint64_t value) {
    if ((count_ + 1) * 2 > keys_.size()) grow();
    insert(key, value);
    ++count_;
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  static std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
  }
  void insert(std::uint64_t key, std::uint64_t value) {
    const std::size_t mask = keys_.size() - 1;
    std::size_t i = mix(key) & mask;
    while (keys_[i] != kEmpty) i = (i + 1) & mask;
    keys_[i] = key;
    values_[i] = value;
  }
  void grow() {
    std::vector<std::uint64_t> keys(keys_.size() * 2, kEmpty);
    std::vector<std::uint64_t> values(keys.size());
    keys.swap(keys_);
    values.swap(values_);
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] != kEmpty) insert(keys[i], values[i]);
    }
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint64_t> values_;
  std::size_t count_ = 0;
};

}  // namespace verdict::lincheck::detail
