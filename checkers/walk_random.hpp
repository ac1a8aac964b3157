// The random numbers of random walks: a small generator whose output is the
// same on every platform and standard library (std::mt19937 is, but the std
// distributions are not), seeded per walk from (seed, walk number) so that
// walk i is the same whichever thread runs it.
#pragma once

#include <cstdint>

#include "simulator/mix64.hpp"

namespace verdict {

class WalkRandom {
 public:
  WalkRandom(std::uint64_t seed, std::uint64_t walk)
      : state_(mix64(seed) ^ mix64(walk + 0x5851f42d4c957f2dULL)) {}

  std::uint64_t next() {
    state_ += kGoldenGamma;  // splitmix64
    return mix64(state_);
  }
  // Uniform in [0, bound), bound > 0.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % bound);
    std::uint64_t x;
    do x = next();
    while (x >= limit);
    return x % bound;
  }
  // Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

}  // namespace verdict
