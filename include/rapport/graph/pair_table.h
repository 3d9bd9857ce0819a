// Aggregation: one pass over time-sorted events builds, for every unordered pair of people who
// interacted, the statistics that tie strength needs (DESIGN.md, "aggregation" and "graph").
// Then the pairs become a compressed sparse row (CSR) adjacency with 32-bit person indices.
//
// Effort: an event aimed at n people gives each target EventEffort / sqrt(n) (an email to fifty
// people is not fifty relationships), decayed by 2^(-(as_of - t) / half_life). Negative valence
// (distrust) goes to negative_effort instead of effort.
//
// Thread-safety: pure functions over their arguments.
#pragma once

#ifdef _OPENMP
#include <omp.h>
#endif

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/core/status.h"

namespace rapport::graph {

struct PairRecord {
  PersonIndex u = 0, v = 0;       // u < v
  double effort[2] = {0, 0};      // decayed positive effort, [0] u->v, [1] v->u
  double raw_effort[2] = {0, 0};  // undecayed positive effort
  double recent_effort = 0;       // recent activity: see Decay::recent_hold_days
  uint32_t count[2] = {0, 0};     // events each way
  double negative_effort = 0;     // decayed negative evidence, both ways
  double private_effort = 0;      // decayed effort of private events, both ways
  double favour_effort = 0;       // decayed effort of favours, both ways
  double first = 0, last = 0;     // first and last contact (seconds)
  uint32_t channel_mask = 0;      // bit c set when channel c was used
  uint32_t active_days = 0;       // distinct UTC days with contact
  uint32_t active_weeks = 0;      // weeks with at least kActiveWeekEffort undecayed effort
  uint32_t padding = 0;           // zero, so that a checkpoint file holds no stray heap bytes
  double contact_seconds = 0;     // summed duration of calls and meetings

  double total_effort() const { return effort[0] + effort[1]; }
};

// A week counts as active for a pair when their undecayed effort in it reaches this (half a
// reply): a few likes do not make a regular relationship.
inline constexpr double kActiveWeekEffort = 0.5;

struct PairTable {
  std::vector<PairRecord> pairs;  // sorted by (u, v)
  size_t person_count = 0;
};

// How effort fades. `half_life_days` decays `effort` and the other decayed sums. The recent
// effort R(t) is the positive effort both ways decayed with `recent_half_life_days`, and
// recent_effort holds its highest value over the last `recent_hold_days`:
//   recent_effort = max over t in [as_of - hold, as_of] of R(t)
// so that a week of one's own silence does not lower it (between events R only decays, so the
// maximum is at the start of that window or just after an event inside it).
struct Decay {
  double half_life_days = 180;
  double recent_half_life_days = 14;
  double recent_hold_days = 7;
};

// One (event, target) contact of a pair, as much of the event as folding it needs.
struct ContactFacts {
  double time = 0;
  double per_target = 0;  // EventEffort / sqrt(number of targets), before decay
  double duration = 0;    // seconds, for calls and meetings
  Kind kind = Kind::kMessage;
  Channel channel = Channel::kOther;
  bool from_u = true;  // the actor is the pair's u (else v)
  bool negative = false;
  bool is_private = false;
};

// The facts of event e's contact with one of its targets, for the pair whose smaller index is u.
ContactFacts ContactOf(const EventLog& log, const EffortConfig& effort, size_t e, PersonIndex u);

// A pair's fold paused at an anchor time: its record with the decayed sums as of the anchor
// (recent_effort unused), and what the fold needs to go on. Incremental scoring keeps these for
// every pair and folds later contacts onto them instead of reading the earlier ones again.
struct PairState {
  PairRecord record;
  double recent_sum = 0;  // R(anchor): positive effort decayed with the recent half-life
  int64_t last_day = 0, last_week = 0;
  double week_effort = 0;  // undecayed positive effort in last_week so far
};

// Every pair's fold paused at `anchor`: one state for each pair with a contact at or before it,
// sorted by (u, v).
struct PairCheckpoint {
  double anchor = 0;
  std::vector<PairState> pairs;
};

// The same, read in place (from a PairCheckpoint, or from the mapped bytes of a checkpoint file,
// without copying them).
struct PairCheckpointView {
  double anchor = 0;
  std::span<const PairState> pairs;
};
inline PairCheckpointView ViewOf(const PairCheckpoint& checkpoint) {
  return {checkpoint.anchor, checkpoint.pairs};
}

// Folds one pair's contacts, given in time order (ties in event order), into its record: the
// fold AggregatePairs does for each pair, open to callers that gather contacts themselves (the
// distributed path).
class PairFolder {
 public:
  // What every fold of one aggregation shares, computed once rather than for each pair: the
  // rates of decay as of `as_of`, the start of the hold window, and the factors that carry a
  // fold's sums from `resume_anchor` to as_of (Resume) and from as_of back to `pause_anchor`
  // (Pause), when those are given (NaN: not given).
  struct Rates {
    explicit Rates(const Decay& decay, double as_of,
                   double resume_anchor = std::numeric_limits<double>::quiet_NaN(),
                   double pause_anchor = std::numeric_limits<double>::quiet_NaN());
    double as_of, decay_rate, recent_decay_rate, hold_start;
    double hold_carry;                     // R from the hold window's start to as_of
    double resume_decayed, resume_recent;  // the decayed sums and R, from resume_anchor to as_of
    double pause_decayed, pause_recent;    // the same, from as_of back to pause_anchor
  };

  PairFolder(const Rates& rates, PersonIndex u, PersonIndex v);
  // Continues a fold paused at rates' resume anchor, for contacts after it. The decayed sums are
  // carried from the anchor to as_of by one factor each, so the result equals folding every
  // contact at once up to rounding. REQUIRES: rates made with a resume anchor, at most as_of -
  // recent_hold_days (the hold window of recent effort starts after the anchor, so the maximum
  // it takes needs no contact before the anchor).
  static PairFolder Resume(const PairState& state, const Rates& rates);
  void Add(const ContactFacts& contact);
  bool empty() const { return empty_; }
  // The fold so far, paused at rates' pause anchor. REQUIRES: rates made with a pause anchor;
  // not empty; no contact added after that anchor.
  PairState Pause() const;
  PairRecord Finish();

 private:
  void ScaleDecayedSums(double factor);

  Rates rates_;
  PairRecord record_;
  bool empty_ = true;
  int64_t last_day_ = INT64_MIN, last_week_ = INT64_MIN;
  double week_effort_ = 0;
  double recent_sum_ = 0;          // recent effort of the contacts so far, at as_of
  double recent_before_hold_ = 0;  // the same, of the contacts before the hold window
};

// One event as aggregation sees it.
struct EventContacts {
  double time = 0;
  PersonIndex actor = 0;
  Kind kind = Kind::kMessage;
  Channel channel = Channel::kOther;
  bool is_private = false;
  double duration = 0;
  double effort_override = 0;  // NaN when the kind's default applies
  double valence = 1;
  std::span<const PersonIndex> targets;
};

// Incremental folds (PairAggregator::Finish): `resume` continues the folds of a checkpoint (the
// events added must all be after its anchor, and its anchor at most as_of - recent_hold_days);
// `pause` receives every fold as it stood at pause->anchor (set by the caller, at or after
// resume's anchor and at or before as_of): the checkpoint a later run continues from.
struct IncrementalFold {
  const PairCheckpointView* resume = nullptr;
  PairCheckpoint* pause = nullptr;
};

// Aggregates every event with time <= as_of (only those after the resumed anchor when
// incremental.resume is given). Events after as_of are ignored.
PairTable AggregatePairs(const EventLog& log, const EffortConfig& effort, const Decay& decay,
                         double as_of, IncrementalFold incremental = {});

// Aggregation as a stream, the form AggregatePairs and the batch path (`score --input`, which
// never holds the events) share. The input is read in one or more chunks, consecutive stretches
// of it that may be read in parallel, and a census of each chunk comes first. Each (event,
// target) contact is packed with everything its fold needs (32 bytes: no lookup into the events
// later) and written into one of up to 256 partitions by the high bits of the pair's smaller
// person, in its chunk's slice of that partition (the census sizes every slice, so partitions
// are allocated once, large, and chunks never share a slice). Finish() sorts each partition by
// pair (a stable radix sort, partitions in parallel), so each pair's contacts keep the input's
// order; puts each pair's contacts in time order (input order among equal times); and folds the
// pairs in parallel, partition after partition, freeing each partition once its pairs are
// written. Events may arrive in any order; in time order the result equals a serial fold of each
// pair's contacts (tests/graph/pair_aggregator_test.cc checks it).
//
// Memory: 32 bytes a contact until Finish, then the PairTable (120 bytes a pair). A contact's
// duration is kept as a float (the binary format's precision; seconds are exact up to 194 days).
//
// Contacts that do not fit in memory spill to a file (a ContactSpill given to the constructor).
// The first partitions stay in memory, as many as fit in the spill's allowance; the others go to
// the file: each chunk packs their contacts into a buffer of its own (kSpillBufferContacts a
// partition) and writes it to the partition's place in the file when full and at EndChunk.
// Finish folds the partitions in memory first, freeing each, then reads back, sorts and folds
// one spilled partition per thread at a time. Memory is then the allowance, the buffers of the
// chunks being read, a partition per thread, and the PairTable.
class PairAggregator {
 public:
  // An unnamed temporary file for the contacts, gone when closed (also on a crash).
  class ContactSpill {
   public:
    // Partitions up to `keep_in_memory_bytes` in all stay in memory.
    static Result<ContactSpill> Create(const std::string& directory,
                                       uint64_t keep_in_memory_bytes = 0);
    ContactSpill(ContactSpill&& other) noexcept;
    ContactSpill& operator=(ContactSpill&& other) noexcept;
    ~ContactSpill();
    const std::string& directory() const { return directory_; }

   private:
    friend class PairAggregator;
    ContactSpill(int fd, std::string directory, uint64_t keep_in_memory_bytes)
        : fd_(fd), directory_(std::move(directory)), keep_in_memory_bytes_(keep_in_memory_bytes) {}
    int fd_ = -1;
    std::string directory_;
    uint64_t keep_in_memory_bytes_ = 0;
  };
  static constexpr size_t kSpillBufferContacts = 2048;  // 64 KiB a partition, 16 MiB a chunk
  static constexpr size_t kContactBytes = 32;           // a contact, in memory or in the file

  // How many contacts a chunk will add, by block of 256 people (the pair's smaller person).
  // Counting every event of the chunk is enough: events after as_of only leave room unused.
  class Census {
   public:
    void Add(PersonIndex actor, std::span<const PersonIndex> targets);
    uint64_t contacts() const;

   private:
    friend class PairAggregator;
    static constexpr int kBlockBits = 8;
    std::vector<uint64_t> contacts_by_block_;
  };

  // Contacts in memory, or in `spill` when given.
  PairAggregator(size_t person_count, const EffortConfig& effort, const Decay& decay, double as_of,
                 std::span<const Census> chunks, std::optional<ContactSpill> spill = std::nullopt);
  // Adds an event of chunk `chunk`; chunks may be added from different threads at once, each
  // chunk from one thread. Skips events after as_of and targets equal to the actor.
  // REQUIRES: the chunk's census counted this event; person indices below the person count.
  void Add(size_t chunk, const EventContacts& event);
  // Spilling: writes out the chunk's buffer and frees it; the first write error of the chunk, if
  // any (a chunk that failed adds nothing more). Nothing to do in memory. Finish ends the chunks
  // not ended.
  Status EndChunk(size_t chunk);
  bool spilling() const { return spill_.has_value(); }
  // Room for contacts in the spill file (0 when not spilling).
  uint64_t spill_capacity() const { return spill_capacity_; }
  uint64_t contact_count() const;
  // Errors only when spilling (writing or reading the file). REQUIRES: no incremental fold when
  // spilling.
  Result<PairTable> Finish(IncrementalFold incremental = {}) &&;

 private:
  struct PackedContact {
    uint64_t key;  // u << person_bits | v, u < v
    double time;
    double per_target;  // EventEffort / sqrt(targets)
    float duration;
    Kind kind;
    Channel channel;
    uint8_t flags;  // kFromU | kNegative | kPrivate
  };
  static_assert(sizeof(PackedContact) == kContactBytes);
  static constexpr uint8_t kFromU = 1, kNegative = 2, kPrivate = 4;
  // A partition: the slices of the chunks one after another; chunk c writes from slice_begin[c]
  // up to (not reaching) slice_begin[c + 1]. `contacts` is null for a spilled partition.
  struct Partition {
    std::unique_ptr<PackedContact[]> contacts;
    std::vector<uint64_t> slice_begin;  // chunks + 1 entries
  };
  static void SortByKey(std::span<PackedContact> contacts, std::vector<PackedContact>& scratch);
  // The pairs among contacts sorted by key.
  static size_t CountPairs(std::span<const PackedContact> sorted);
  // A pair's contacts in time order, input order among equal times.
  static void SortByTime(std::span<PackedContact> group);
  Status ReadSpilledPartition(size_t p, std::vector<PackedContact>& contacts) const;
  static ContactFacts Unpack(const PackedContact& contact);
  // Closes the gaps that under-filled slices of partition p left; returns its contact count.
  uint64_t Compact(size_t p);
  PairTable FinishInMemory(IncrementalFold incremental);
  Result<PairTable> FinishSpilled();
  // Where slot `slot` of partition p lies in the spill file, in bytes.
  uint64_t SpillOffset(size_t p, uint64_t slot) const {
    return (spill_partition_begin_[p] + slot) * sizeof(PackedContact);
  }
  Status WriteSpillBuffer(size_t chunk, size_t p);

  size_t person_count_;
  EffortConfig effort_;
  Decay decay_;
  double as_of_;
  int person_bits_ = 1, partition_shift_ = 0;
  std::vector<Partition> partitions_;
  // next_[c][p]: where chunk c writes its next contact in partition p (each chunk's cursors
  // together, apart from the other chunks').
  std::vector<std::vector<uint64_t>> next_;
  // Spilling: the file; where each partition begins in it (in contacts); each chunk's buffer
  // (kSpillBufferContacts a partition, allocated at its first contact) and its first error.
  std::optional<ContactSpill> spill_;
  std::vector<uint64_t> spill_partition_begin_;
  uint64_t spill_capacity_ = 0;
  std::vector<std::unique_ptr<PackedContact[]>> spill_buffer_;
  std::vector<Status> spill_error_;
};

// The index of the record of the pair {a, b} (either order), or nullopt when they never met.
// Binary search: O(log pairs).
std::optional<uint32_t> FindPair(const PairTable& table, PersonIndex a, PersonIndex b);

// Undirected CSR adjacency: the neighbours of person p are neighbour[offset[p] .. offset[p+1]),
// sorted ascending, and pair[i] indexes the PairTable record of that edge. `neighbour` is empty
// when built without neighbours (pair indices only: the record names the other person).
struct Adjacency {
  std::vector<uint64_t> offset;
  std::vector<PersonIndex> neighbour;
  std::vector<uint32_t> pair;

  size_t degree(PersonIndex p) const { return offset[p + 1] - offset[p]; }
};

// Inside an OpenMP parallel region: the people [lo, hi) the calling thread owns when n people
// are split evenly between the team's threads. Per-person arrays filled by scanning every pair,
// each thread writing only its own people's entries, need no atomics and come out as one serial
// scan would leave them.
struct OwnedPeople {
  PersonIndex lo = 0, hi = 0;
  bool operator()(PersonIndex p) const { return p >= lo && p < hi; }
};
inline OwnedPeople PeopleOfThisThread(size_t n) {
#ifdef _OPENMP
  const auto threads = static_cast<size_t>(omp_get_num_threads());
  const auto thread = static_cast<size_t>(omp_get_thread_num());
#else
  const size_t threads = 1, thread = 0;
#endif
  return {static_cast<PersonIndex>(n * thread / threads),
          static_cast<PersonIndex>(n * (thread + 1) / threads)};
}

// Builds the adjacency of the pairs for which keep(record) is true. In parallel without shared
// writes: every thread scans every pair and fills its own people's lists (PeopleOfThisThread).
// Pairs are sorted by (u, v), so each list fills in ascending neighbour order:
// a person's smaller neighbours (pairs where it is v) come in ascending u before its larger ones
// (its own run of pairs as u, in ascending v), exactly as one serial scan would fill them.
template <typename Keep>
Adjacency BuildAdjacency(const PairTable& table, Keep keep, bool with_neighbours = true) {
  Adjacency adjacency;
  const size_t n = table.person_count;
  const std::vector<PairRecord>& pairs = table.pairs;
  adjacency.offset.assign(n + 1, 0);
#pragma omp parallel if (pairs.size() > 100000)
  {
    const OwnedPeople mine = PeopleOfThisThread(n);
    const PersonIndex lo = mine.lo;
    for (const PairRecord& record : pairs) {
      if (!(mine(record.u) || mine(record.v)) || !keep(record)) continue;
      if (mine(record.u)) ++adjacency.offset[record.u + 1];
      if (mine(record.v)) ++adjacency.offset[record.v + 1];
    }
#pragma omp barrier
#pragma omp single
    {
      for (size_t p = 0; p < n; ++p) adjacency.offset[p + 1] += adjacency.offset[p];
      if (with_neighbours) adjacency.neighbour.resize(adjacency.offset.back());
      adjacency.pair.resize(adjacency.offset.back());
    }
    std::vector<uint64_t> cursor(adjacency.offset.begin() + lo, adjacency.offset.begin() + mine.hi);
    for (uint32_t i = 0; i < pairs.size(); ++i) {
      const PairRecord& record = pairs[i];
      if (!(mine(record.u) || mine(record.v)) || !keep(record)) continue;
      if (mine(record.u)) {
        if (with_neighbours) adjacency.neighbour[cursor[record.u - lo]] = record.v;
        adjacency.pair[cursor[record.u - lo]++] = i;
      }
      if (mine(record.v)) {
        if (with_neighbours) adjacency.neighbour[cursor[record.v - lo]] = record.u;
        adjacency.pair[cursor[record.v - lo]++] = i;
      }
    }
  }
  return adjacency;
}

}  // namespace rapport::graph
