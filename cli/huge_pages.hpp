// Transparent huge pages for the allocator, chosen at start-up.
//
// Histories, frontiers and visited sets are tens to hundreds of megabytes
// touched once; on a virtual machine every 4 KiB page's first touch is a
// trap, and page faults were a third of `verdict lincheck`'s time on a
// 100,000-operation history. glibc's allocator asks the kernel for 2 MiB
// pages when its tunable glibc.malloc.hugetlb=1 is set, but it reads tunables
// only when a process starts. So a program that wants them re-executes itself
// once with the tunable in its environment, before it has done anything else.
#pragma once

namespace verdict {

// Re-executes this program (/proc/self/exe, the same argv) with
// GLIBC_TUNABLES=glibc.malloc.hugetlb=1 when the kernel gives huge pages on
// request (transparent_hugepage/enabled is "madvise"). Returns, doing
// nothing, when GLIBC_TUNABLES is already set (by the user, or by the first
// run), when VERDICT_HUGE_PAGES=0, when the kernel gives them anyway
// ("always") or never, or when the exec fails.
void prefer_huge_pages(char** argv);

}  // namespace verdict
