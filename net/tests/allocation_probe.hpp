// The largest allocation made since a reset, seen by replacing the global
// operator new in the net tests' program (allocation_probe.cpp), so that a
// test can check that decoding allocates no more than the bytes it was given.
// Under AddressSanitizer the probe is off (ASan owns operator new and reports
// a replacement's free() of its allocations as a mismatch): the Release run
// of the same test is the one that measures.
#pragma once

#include <cstddef>

namespace verdict::net::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAllocationProbe = false;
#else
inline constexpr bool kAllocationProbe = true;
#endif

void reset_largest_allocation();
std::size_t largest_allocation();

}  // namespace verdict::net::testing
