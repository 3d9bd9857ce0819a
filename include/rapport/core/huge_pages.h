// The cost of first touches of the heap. Scoring a large log allocates gigabytes, and on virtual
// machines the page faults of first touching them can cost more than the computation (measured
// in docs/BENCHMARKS.md: 10^7 events scored in 17.3 s with 4 KiB pages, 9.0 s with huge pages).
// Three remedies: huge pages, freed memory kept for reuse, and pages touched ahead, in parallel.
//
// glibc 2.35 and later back malloc with transparent huge pages when the tunable
// glibc.malloc.hugetlb=1 is set, but only through the environment at program start, so the
// program re-executes itself once with it set. Nothing happens when GLIBC_TUNABLES is already
// set (the user's choice stands), or when RAPPORT_HUGE_PAGES=0.
#pragma once

#include <atomic>
#include <cstddef>
#include <thread>

namespace rapport {

// Call first thing in main(). Returns only when no re-execution took place.
void ReexecWithHugePageMalloc(char** argv);

// Keeps freed memory in the heap for the allocations that follow instead of giving it back to
// the kernel (no mmap for large blocks, no trimming, one arena for every thread, so that a
// helper thread's allocations reuse them too): on this kind of machine a page given back and
// taken again is touched afresh, at the same cost as the first time.
void ReuseFreedMemory();

// Touches `bytes` of fresh heap ahead of the allocations that will use them: a helper thread
// starts at once, while the caller goes on with other work; Finish() joins in with the calling
// thread, waits, and frees the block (with ReuseFreedMemory in effect, the allocations that
// follow reuse its pages). A std::vector's resize zeroes its pages on one thread, and that first
// touch costs more than the work on them; warmed first, it costs a memset. Nothing happens below
// 64 MiB; at most a quarter of the machine's memory is touched.
class HeapWarmer {
 public:
  explicit HeapWarmer(size_t bytes);
  HeapWarmer(const HeapWarmer&) = delete;
  HeapWarmer& operator=(const HeapWarmer&) = delete;
  ~HeapWarmer() { Finish(); }
  void Finish();

 private:
  void TouchChunks();

  char* block_ = nullptr;
  size_t bytes_ = 0;
  std::atomic<size_t> next_chunk_{0};
  std::thread helper_;
};

}  // namespace rapport
