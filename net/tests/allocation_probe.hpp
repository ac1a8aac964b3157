// The largest allocation made since a reset, seen by replacing the global
// operator new in the net tests' program (allocation_probe.cpp), so that a
// test can check that decoding allocates no more than the bytes it was given.
#pragma once

#include <cstddef>

namespace verdict::net::testing {

void reset_largest_allocation();
std::size_t largest_allocation();

}  // namespace verdict::net::testing
