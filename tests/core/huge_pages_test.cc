// HeapWarmer: the block it touched stays in the process for the allocations that follow, so
// touching them afterwards adds no resident memory (ReuseFreedMemory in effect).
#include "rapport/core/huge_pages.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace rapport {
namespace {

// Resident bytes of this process, from /proc/self/statm.
size_t ResidentBytes() {
  std::FILE* statm = std::fopen("/proc/self/statm", "r");
  if (statm == nullptr) return 0;
  unsigned long size = 0, resident = 0;
  const int read = std::fscanf(statm, "%lu %lu", &size, &resident);
  std::fclose(statm);
  return read == 2 ? resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

// Under AddressSanitizer malloc is ASan's, which keeps no such heap.
#if defined(__SANITIZE_ADDRESS__)
#define SKIP_UNDER_ASAN() GTEST_SKIP() << "malloc is AddressSanitizer's"
#else
#define SKIP_UNDER_ASAN()
#endif

TEST(HeapWarmerTest, WarmedPagesAreReusedByTheNextAllocations) {
  SKIP_UNDER_ASAN();
  ReuseFreedMemory();
  constexpr size_t kBytes = size_t{256} << 20;
  const size_t before = ResidentBytes();
  ASSERT_GT(before, 0u);
  {
    HeapWarmer warmer(kBytes);
    warmer.Finish();
  }
  const size_t warmed = ResidentBytes();
  EXPECT_GE(warmed, before + kBytes * 9 / 10);  // touched, and kept after the free
  // Two allocations that fit in the block, written whole: no new resident memory to speak of.
  auto* first = static_cast<char*>(std::malloc(kBytes / 2));
  auto* second = static_cast<char*>(std::malloc(kBytes / 4));
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  std::memset(first, 1, kBytes / 2);
  std::memset(second, 2, kBytes / 4);
  EXPECT_LT(ResidentBytes(), warmed + (size_t{16} << 20));
  EXPECT_EQ(first[kBytes / 2 - 1] + second[0], 3);
  std::free(first);
  std::free(second);
}

TEST(HeapWarmerTest, SmallSizesTouchNothing) {
  SKIP_UNDER_ASAN();
  ReuseFreedMemory();
  const size_t before = ResidentBytes();
  HeapWarmer warmer(size_t{32} << 20);
  warmer.Finish();
  EXPECT_LT(ResidentBytes(), before + (size_t{8} << 20));
}

}  // namespace
}  // namespace rapport
