// Stable 64-bit hashes for states, messages and labels: the same value on
// every run, thread count and machine. std::hash promises none of that.
//
// Two hashers walk the same fields:
//   Hasher        the stable hash: the fingerprints recorded in trace files,
//                 compared on replay. Fixed for good: changing it would orphan
//                 every stored trace (a golden test pins it).
//   SearchHasher  what the explorers key their visited sets on: the same walk
//                 mixed in two interleaved lanes, so that a word's mixing does
//                 not wait for the previous word's (about 10% of a paxos
//                 search). Never stored, so it may change between versions.
//
// Standard types (integers, enums, strings, optional, vector, map, set,
// pair, tuple, variant, array) hash out of the box; a struct of your own adds
//     template <class H> void hash(H& h) const { h(field1, field2, ...); }
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "simulator/mix64.hpp"

namespace verdict {

// Lanes: 1 for the stable hash; 2 for the search hash, whose words go to the
// lanes in turn (each lane is the stable hash's chain over its own words).
template <unsigned Lanes>
class LaneHasher {
  static_assert(Lanes == 1 || Lanes == 2);

 public:
  explicit LaneHasher(std::uint64_t seed = kGoldenGamma) : state_(seed), other_(~seed) {}

  std::uint64_t digest() const {
    if constexpr (Lanes == 1)
      return finalize(state_);
    else
      return finalize(state_ ^ finalize(other_ + kGoldenGamma));
  }

  template <class... Ts>
  void operator()(const Ts&... values) {
    (add(values), ...);
  }

  void mix(std::uint64_t word) {
    const std::uint64_t next = finalize(state_ ^ (word + kGoldenGamma));
    if constexpr (Lanes == 1) {
      state_ = next;
    } else {
      state_ = other_;
      other_ = next;
    }
  }

 private:
  static std::uint64_t finalize(std::uint64_t x) { return mix64(x); }

  template <class T>
  void add(const T& value) {
    if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
      mix(static_cast<std::uint64_t>(value));
    } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
      std::string_view s = value;
      mix(s.size());
      std::uint64_t word = 0;
      std::size_t filled = 0;
      for (unsigned char c : s) {
        word = (word << 8) | c;
        if (++filled == 8) {
          mix(word);
          word = 0;
          filled = 0;
        }
      }
      if (filled) mix(word);
    } else if constexpr (requires { value.hash(*this); }) {
      value.hash(*this);
    } else if constexpr (requires {
                           value.has_value();
                           *value;
                         }) {
      mix(value.has_value());
      if (value) add(*value);
    } else if constexpr (
        requires { std::tuple_size<T>::value; } && !requires { value.begin(); }) {
      std::apply([this](const auto&... parts) { (add(parts), ...); }, value);
    } else if constexpr (requires {
                           value.index();
                           std::variant_size<T>::value;
                         }) {
      mix(value.index());
      std::visit([this](const auto& alternative) { add(alternative); }, value);
    } else if constexpr (requires {
                           value.begin();
                           value.end();
                           value.size();
                         }) {
      mix(value.size());
      for (const auto& element : value) add(element);
    } else {
      static_assert(sizeof(T) == 0,
                    "verdict::LaneHasher: this type has no stable hash. Add a member "
                    "`template <class H> void hash(H& h) const { h(fields...); }`");
    }
  }

  std::uint64_t state_;
  std::uint64_t other_;  // the second lane (unused with one)
};

using Hasher = LaneHasher<1>;
using SearchHasher = LaneHasher<2>;

template <class... Ts>
std::uint64_t stable_hash(const Ts&... values) {
  Hasher h;
  h(values...);
  return h.digest();
}

template <class... Ts>
std::uint64_t search_hash(const Ts&... values) {
  SearchHasher h;
  h(values...);
  return h.digest();
}

}  // namespace verdict
