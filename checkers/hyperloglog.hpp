// HyperLogLog: an estimate of how many distinct states random walks saw, in
// 4 KiB whatever the count (standard error about 1.6%). Merging is a
// register-wise max, so the estimate does not depend on merge order.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

namespace verdict {

class HyperLogLog {
 public:
  static constexpr unsigned kIndexBits = 12;
  static constexpr std::size_t kRegisters = std::size_t{1} << kIndexBits;

  // `hash` must already be well mixed (state fingerprints are).
  void add(std::uint64_t hash) {
    const std::size_t index = hash >> (64 - kIndexBits);
    const std::uint64_t rest = (hash << kIndexBits) | (std::uint64_t{1} << (kIndexBits - 1));
    const auto rank = static_cast<std::uint8_t>(std::countl_zero(rest) + 1);
    registers_[index] = std::max(registers_[index], rank);
  }

  void merge(const HyperLogLog& other) {
    for (std::size_t i = 0; i < kRegisters; ++i)
      registers_[i] = std::max(registers_[i], other.registers_[i]);
  }

  double estimate() const {
    const double m = static_cast<double>(kRegisters);
    double sum = 0;
    std::size_t zeros = 0;
    for (auto r : registers_) {
      sum += std::ldexp(1.0, -r);
      zeros += r == 0;
    }
    const double raw = 0.7213 / (1 + 1.079 / m) * m * m / sum;
    if (raw <= 2.5 * m && zeros > 0) return m * std::log(m / static_cast<double>(zeros));
    return raw;
  }

 private:
  std::array<std::uint8_t, kRegisters> registers_{};
};

}  // namespace verdict
