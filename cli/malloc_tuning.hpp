// The allocator's settings for a checker's memory, chosen at start-up.
//
// Histories, frontiers and visited sets are tens to hundreds of megabytes,
// touched once. On a virtual machine the first touch of each 4 KiB page is a
// trap, and page faults were a third to a half of `verdict lincheck`'s time on
// a 100,000-operation history, and a third of paxos' search. glibc's
// allocator can take 2 MiB pages from the kernel (glibc.malloc.hugetlb=1),
// serve large blocks from its heap rather than from mappings of their own that
// are returned on free and faulted in again (glibc.malloc.mmap_threshold), and
// grow its heap in large steps (glibc.malloc.top_pad). It reads these tunables
// only when a process starts, so the program re-executes itself once with
// them set, before it has done anything else. Measured side by side
// (docs/history-format.md, "Speed"): lincheck on 10,000 operations 56 -> 31 ms,
// 100,000 operations 0.26 -> 0.19 s; paxos 3 servers 3 clients 4.6 -> 3.0 s.
#pragma once

namespace verdict {

// The tunables the program asks glibc for.
inline constexpr const char* kMallocTunables =
    "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:glibc.malloc.top_pad=33554432";

// Re-executes this program (/proc/self/exe, the same argv) with
// GLIBC_TUNABLES=kMallocTunables. In the re-executed run it takes the
// variable out of the environment again (glibc has read it), so that what
// this program runs in turn sees the user's environment. Returns, doing
// nothing, when GLIBC_TUNABLES is the user's own, when VERDICT_TUNE_MALLOC=0,
// or when the exec fails. Other C libraries ignore the variable.
void tune_malloc(char** argv);

}  // namespace verdict
