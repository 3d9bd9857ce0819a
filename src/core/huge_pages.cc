#include "rapport/core/huge_pages.h"

#include <unistd.h>

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

}  // namespace rapport
