// Populating a large buffer's pages before it is written, in one system call.
//
// The first write to each 4 KiB page of fresh memory is a page fault, and on a
// virtual machine a fault is a trap to the hypervisor: reading a history file
// of 1.7 MB into fresh memory took 7 ms, one fault per page. Where a buffer
// about to be filled is large, MADV_POPULATE_WRITE (Linux 5.14) maps all its
// pages at once. Elsewhere, or when it fails, nothing changes: the pages fault
// in as they are touched.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

namespace verdict {

inline void prefault_for_writing(void* data, std::size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  constexpr std::size_t kWorthIt = std::size_t{256} << 10;  // below this, a few faults
  if (bytes < kWorthIt) return;
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + page - 1) & ~(page - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(page - 1);
  if (end > begin)
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_POPULATE_WRITE);  // a hint
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace verdict
