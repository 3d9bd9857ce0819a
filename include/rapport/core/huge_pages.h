// Huge pages for the heap. Scoring a large log allocates gigabytes, and on virtual machines the
// page faults of first touching them can cost more than the computation (measured in
// docs/BENCHMARKS.md: 10^7 events scored in 17.3 s with 4 KiB pages, 9.0 s with huge pages).
// glibc 2.35 and later back malloc with transparent huge pages when the tunable
// glibc.malloc.hugetlb=1 is set, but only through the environment at program start, so the
// program re-executes itself once with it set. Nothing happens when GLIBC_TUNABLES is already
// set (the user's choice stands), or when RAPPORT_HUGE_PAGES=0.
#pragma once

namespace rapport {

// Call first thing in main(). Returns only when no re-execution took place.
void ReexecWithHugePageMalloc(char** argv);

}  // namespace rapport
