#include "rapport/core/huge_pages.h"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>

namespace rapport {

void ReexecWithHugePageMalloc(char** argv) {
  const char* choice = std::getenv("RAPPORT_HUGE_PAGES");
  if (std::getenv("GLIBC_TUNABLES") != nullptr ||
      (choice != nullptr && !std::strcmp(choice, "0"))) {
    return;
  }
  if (setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1) != 0) return;
  execv("/proc/self/exe", argv);
  unsetenv("GLIBC_TUNABLES");  // exec failed (no /proc?): carry on with ordinary pages
}

void ReuseFreedMemory() {
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, INT_MAX);
  mallopt(M_ARENA_MAX, 1);
}

HeapWarmer::HeapWarmer(size_t bytes) {
  // An estimate that runs past a quarter of the machine's memory is cut there.
  const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
  if (pages > 0 && page_size > 0) {
    bytes = std::min(bytes, static_cast<size_t>(pages) * static_cast<size_t>(page_size) / 4);
  }
  if (bytes < (size_t{64} << 20)) return;
  block_ = static_cast<char*>(std::malloc(bytes));
  if (block_ == nullptr) return;
  bytes_ = bytes;
  helper_ = std::thread([this] { TouchChunks(); });
}

void HeapWarmer::TouchChunks() {
  constexpr size_t kPage = 4096, kChunk = size_t{2} << 20;
  for (size_t begin; (begin = next_chunk_.fetch_add(1) * kChunk) < bytes_;) {
    const size_t end = std::min(bytes_, begin + kChunk);
    // volatile: the stores must happen although the block is freed unread.
    for (size_t at = begin; at < end; at += kPage) static_cast<volatile char*>(block_)[at] = 0;
  }
}

void HeapWarmer::Finish() {
  if (block_ == nullptr) return;
  TouchChunks();
  helper_.join();
  std::free(block_);
  block_ = nullptr;
}

}  // namespace rapport
