// Internal to the ingest module: how many times each content hash has been seen in one file, for
// the dedupe keys of records without a native id ("<hash>-<occurrence>").
//
// Thread-safety: one counter belongs to the single thread reading one file.
#pragma once

#include <cstdint>
#include <vector>

namespace rapport::ingest {

// An open-addressing table of hash -> count. The hashes are already mixed (HashContent ends with
// an avalanche), so their low bits pick the slot. One probe sequence in a flat array costs a
// cache miss or two a record; std::unordered_map cost three or more (1.3 s of a 10^6-event CSV
// import, docs/BENCHMARKS.md), and took 40 bytes a hash where this takes about 17.
class OccurrenceCounter {
 public:
  // Counts one more occurrence of `hash` and returns the count so far (1 the first time).
  uint32_t Next(uint64_t hash) {
    if (10 * (used_ + 1) > 7 * slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
      Slot& entry = slots_[slot];
      if (entry.count == 0) {
        entry.hash = hash;
        entry.count = 1;
        ++used_;
        return 1;
      }
      if (entry.hash == hash) return ++entry.count;
    }
  }

 private:
  // 12 bytes, up to 70% of them used: about 17 bytes a distinct hash.
  struct __attribute__((packed)) Slot {
    uint64_t hash = 0;
    uint32_t count = 0;  // 0: empty
  };

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 1024 : 2 * old.size(), Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& entry : old) {
      if (entry.count == 0) continue;
      size_t slot = entry.hash & mask;
      while (slots_[slot].count != 0) slot = (slot + 1) & mask;
      slots_[slot] = entry;
    }
  }

  std::vector<Slot> slots_;
  size_t used_ = 0;
};

}  // namespace rapport::ingest
