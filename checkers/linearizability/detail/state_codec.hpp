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
// a worker only reads states whose ids it obtained from intern().
template <SequentialSpec Spec>
class StateTable {
 public:
  using State = typename Spec::State;

  explicit StateTable(const Spec& spec) : ids_(64, Hasher{&spec}) {}

  std::uint32_t intern(State&& state) {
    std::lock_guard<std::mutex> guard(mutex_);
    auto [it, inserted] =
        ids_.try_emplace(std::move(state), static_cast<std::uint32_t>(ids_.size()));
    // Map nodes never move, so the table can point at the key.
    if (inserted) states_.push_back(&it->first);
    return it->second;
  }

  const State& get(std::uint32_t id) const { return *states_[id]; }

 private:
  struct Hasher {
    const Spec* spec;
    std::size_t operator()(const State& state) const { return hash_state(*spec, state); }
  };
  std::mutex mutex_;
  std::unordered_map<State, std::uint32_t, Hasher> ids_;
  tbb::concurrent_vector<const State*> states_;
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
