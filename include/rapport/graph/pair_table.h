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

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"

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

// Aggregates every event with time <= as_of. Events after as_of are ignored.
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

PairTable AggregatePairs(const EventLog& log, const EffortConfig& effort, const Decay& decay,
                         double as_of);

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

// Folds one pair's contacts, given in time order (ties in event order), into its record: the
// fold AggregatePairs does for each pair, open to callers that gather contacts themselves (the
// distributed path).
class PairFolder {
 public:
  PairFolder(const Decay& decay, double as_of, PersonIndex u, PersonIndex v);
  void Add(const ContactFacts& contact);
  PairRecord Finish();

 private:
  double as_of_, decay_rate_, recent_decay_rate_, hold_start_;
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

// Aggregation as a stream, the form AggregatePairs and the batch path (`score --input`, which
// never holds the events) share. Each (event, target) contact is packed with everything its
// fold needs (32 bytes: no lookup into the events later) and appended to one of up to 256
// partitions by the high bits of the pair's smaller person. Finish() sorts each partition by pair
// (a stable radix sort, partitions in parallel), puts each pair's contacts in time order (arrival
// order among equal times), and folds the pairs in parallel, partition after partition, freeing
// each partition's contacts as its pairs are written. Events may arrive in any order; in time
// order the result equals AggregatePairs on the same events (which is this class).
//
// Memory: 32 bytes a contact until Finish, then the PairTable (120 bytes a pair). A contact's
// duration is kept as a float (the binary format's precision; seconds are exact up to 194 days).
class PairAggregator {
 public:
  // An optional first pass over the same events: how many contacts each block of 256 people
  // will hold as the pair's smaller person, so that every partition is allocated once, at its
  // size (growing them would copy every contact about once more and fault its pages twice).
  class Census {
   public:
    void Add(PersonIndex actor, std::span<const PersonIndex> targets);

   private:
    friend class PairAggregator;
    static constexpr int kBlockBits = 8;
    std::vector<uint64_t> contacts_by_block_;
  };

  PairAggregator(size_t person_count, const EffortConfig& effort, const Decay& decay,
                 double as_of, const Census* census = nullptr);
  // Skips events after as_of, and targets equal to the actor or outside the person count.
  void Add(const EventContacts& event);
  uint64_t contact_count() const { return contacts_; }
  PairTable Finish() &&;

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
  static_assert(sizeof(PackedContact) == 32);
  static constexpr uint8_t kFromU = 1, kNegative = 2, kPrivate = 4;
  static void SortByKey(std::vector<PackedContact>& contacts,
                        std::vector<PackedContact>& scratch);
  ContactFacts Unpack(const PackedContact& contact) const;

  size_t person_count_;
  EffortConfig effort_;
  Decay decay_;
  double as_of_;
  int person_bits_ = 1, partition_shift_ = 0;
  uint64_t contacts_ = 0;
  std::vector<std::vector<PackedContact>> partitions_;
};

// The index of the record of the pair {a, b} (either order), or nullopt when they never met.
// Binary search: O(log pairs).
std::optional<uint32_t> FindPair(const PairTable& table, PersonIndex a, PersonIndex b);

// Undirected CSR adjacency: the neighbours of person p are neighbour[offset[p] .. offset[p+1]),
// sorted ascending, and pair[i] indexes the PairTable record of that edge.
struct Adjacency {
  std::vector<uint64_t> offset;
  std::vector<PersonIndex> neighbour;
  std::vector<uint32_t> pair;

  size_t degree(PersonIndex p) const { return offset[p + 1] - offset[p]; }
};

// Builds the adjacency of the pairs for which keep(record) is true.
template <typename Keep>
Adjacency BuildAdjacency(const PairTable& table, Keep keep) {
  Adjacency adjacency;
  adjacency.offset.assign(table.person_count + 1, 0);
  for (const PairRecord& record : table.pairs) {
    if (!keep(record)) continue;
    ++adjacency.offset[record.u + 1];
    ++adjacency.offset[record.v + 1];
  }
  for (size_t p = 0; p < table.person_count; ++p) adjacency.offset[p + 1] += adjacency.offset[p];
  adjacency.neighbour.resize(adjacency.offset.back());
  adjacency.pair.resize(adjacency.offset.back());
  std::vector<uint64_t> cursor(adjacency.offset.begin(), adjacency.offset.end() - 1);
  // Pairs are sorted by (u, v), so each list fills in ascending neighbour order: the v side of
  // a list receives smaller u values before larger v values because u < v for every record.
  for (uint32_t i = 0; i < table.pairs.size(); ++i) {
    const PairRecord& record = table.pairs[i];
    if (!keep(record)) continue;
    adjacency.neighbour[cursor[record.u]] = record.v;
    adjacency.pair[cursor[record.u]++] = i;
    adjacency.neighbour[cursor[record.v]] = record.u;
    adjacency.pair[cursor[record.v]++] = i;
  }
  return adjacency;
}

}  // namespace rapport::graph
