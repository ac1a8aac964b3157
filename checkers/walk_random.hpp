// The random numbers of random walks: a small generator whose output is the
// same on every platform and standard library (std::mt19937 is, but the std
// distributions are not), seeded per walk from (seed, walk number) so that
// walk i is the same whichever thread runs it.
#pragma once

#include <cstdint>

namespace verdict {

class WalkRandom {
 public:
  WalkRandom(std::uint64_t seed, std::uint64_t walk)
      : state_(mix(seed) ^ mix(walk + 0x5851f42d4c957f2dULL)) {}

  std::uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;  // splitmix64
    return mix(state_);
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
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
};

}  // namespace verdict
