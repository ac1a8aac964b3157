// A stable 64-bit hash for states, messages and labels: the same value on
// every run, thread count and machine, so that fingerprints recorded in a
// trace file can be compared on replay. std::hash promises none of that.
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

class Hasher {
 public:
  explicit Hasher(std::uint64_t seed = kGoldenGamma) : state_(seed) {}

  std::uint64_t digest() const { return finalize(state_); }

  template <class... Ts>
  void operator()(const Ts&... values) {
    (add(values), ...);
  }

  void mix(std::uint64_t word) { state_ = finalize(state_ ^ (word + kGoldenGamma)); }

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
                    "verdict::Hasher: this type has no stable hash. Add a member "
                    "`template <class H> void hash(H& h) const { h(fields...); }`");
    }
  }

  std::uint64_t state_;
};

template <class... Ts>
std::uint64_t stable_hash(const Ts&... values) {
  Hasher h;
  h(values...);
  return h.digest();
}

}  // namespace verdict
