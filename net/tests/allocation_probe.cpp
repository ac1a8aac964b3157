#include "net/tests/allocation_probe.hpp"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {

std::atomic<std::size_t> largest{0};

}  // namespace

namespace verdict::net::testing {

void reset_largest_allocation() {
  largest = 0;
}
std::size_t largest_allocation() {
  return largest;
}

}  // namespace verdict::net::testing

#if !defined(__SANITIZE_ADDRESS__)
void* operator new(std::size_t n) {
  for (auto seen = largest.load(); n > seen;)
    if (largest.compare_exchange_weak(seen, n)) break;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#endif
