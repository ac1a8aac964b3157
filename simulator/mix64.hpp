// splitmix64's finalizer, the one 64-bit mixer Verdict uses: the stable
// hash (hashing.hpp), the random walks' generator (walk_random.hpp) and the
// linearizability checker's memo hashes. Cheap, and every input bit affects
// every output bit. Changing it changes every stored fingerprint.
#pragma once

#include <cstdint>

namespace verdict {

inline constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;  // splitmix64's increment

constexpr std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace verdict
