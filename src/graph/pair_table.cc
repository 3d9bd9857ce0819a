#include "rapport/graph/pair_table.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <utility>

#include "rapport/core/time.h"

namespace rapport::graph {
namespace {

// One (event, target) contact: the pair's key (u << person_bits | v, u < v) and the event.
struct Contact {
  uint64_t key;
  uint32_t event;
};

// Stable LSD radix sort by key, 16 bits a pass, over the `key_bits` bits the keys use: equal keys
// keep their order, so each pair's contacts stay in time order.
void RadixSortByKey(std::vector<Contact>& contacts, int key_bits) {
  constexpr int kDigitBits = 16;
  constexpr size_t kBuckets = size_t{1} << kDigitBits;
  std::vector<Contact> scratch(contacts.size());
  std::vector<size_t> start(kBuckets);
  for (int shift = 0; shift < key_bits; shift += kDigitBits) {
    std::fill(start.begin(), start.end(), 0);
    for (const Contact& c : contacts) ++start[(c.key >> shift) & (kBuckets - 1)];
    size_t sum = 0;
    for (size_t& count : start) sum += std::exchange(count, sum);
    for (const Contact& c : contacts) scratch[start[(c.key >> shift) & (kBuckets - 1)]++] = c;
    contacts.swap(scratch);
  }
}

}  // namespace

ContactFacts ContactOf(const EventLog& log, const EffortConfig& effort, size_t e, PersonIndex u) {
  const uint64_t targets = log.target_offset[e + 1] - log.target_offset[e];
  const double override_value = log.effort_override[e];
  const double base = EventEffort(effort, log.kind[e], log.duration[e], override_value,
                                  !std::isnan(override_value), log.valence[e]);
  ContactFacts facts;
  facts.time = log.time[e];
  facts.per_target = base / std::sqrt(static_cast<double>(targets));
  facts.duration = log.duration[e];
  facts.kind = log.kind[e];
  facts.channel = log.channel[e];
  facts.from_u = log.actor[e] == u;
  facts.negative = log.valence[e] < 0;
  facts.is_private = log.is_private[e] != 0;
  return facts;
}

PairFolder::PairFolder(const Decay& decay, double as_of, PersonIndex u, PersonIndex v)
    : as_of_(as_of),
      decay_rate_(std::log(2.0) / (decay.half_life_days * kSecondsPerDay)),
      recent_decay_rate_(std::log(2.0) / (decay.recent_half_life_days * kSecondsPerDay)),
      hold_start_(as_of - decay.recent_hold_days * kSecondsPerDay) {
  record_.u = u;
  record_.v = v;
}

void PairFolder::Add(const ContactFacts& c) {
  PairRecord& record = record_;
  if (empty_) {
    record.first = c.time;
    empty_ = false;
  }
  const double decay_factor = std::exp(-decay_rate_ * (as_of_ - c.time));
  const int direction = c.from_u ? 0 : 1;
  record.count[direction] += 1;
  record.last = c.time;
  record.channel_mask |= 1u << static_cast<int>(c.channel);
  if (c.negative) {
    record.negative_effort += c.per_target * decay_factor;
  } else {
    record.effort[direction] += c.per_target * decay_factor;
    record.raw_effort[direction] += c.per_target;
    const double recent_decay = std::exp(-recent_decay_rate_ * (as_of_ - c.time));
    recent_sum_ += c.per_target * recent_decay;
    if (c.time < hold_start_) {
      recent_before_hold_ = recent_sum_;
    } else {
      // R just after this contact, undecayed back to its own time.
      record.recent_effort = std::max(record.recent_effort, recent_sum_ / recent_decay);
    }
    if (c.is_private) record.private_effort += c.per_target * decay_factor;
    if (c.kind == Kind::kFavour) record.favour_effort += c.per_target * decay_factor;
  }
  if (c.kind == Kind::kCall || c.kind == Kind::kMeeting) record.contact_seconds += c.duration;

  const auto day = static_cast<int64_t>(std::floor(c.time / kSecondsPerDay));
  const auto week = static_cast<int64_t>(std::floor(c.time / kSecondsPerWeek));
  if (day != last_day_) {
    last_day_ = day;
    ++record.active_days;
  }
  if (week != last_week_) {
    last_week_ = week;
    week_effort_ = 0;
  }
  // Counts the week once, at the contact that brings it to the threshold. Distrust is contact
  // but not a regular relationship: it adds no effort toward an active week.
  const double before = week_effort_;
  if (!c.negative) week_effort_ += c.per_target;
  if (before < kActiveWeekEffort && week_effort_ >= kActiveWeekEffort) ++record.active_weeks;
}

PairRecord PairFolder::Finish() {
  // R at the start of the hold window, when the contacts before it outweigh those in it.
  record_.recent_effort =
      std::max(record_.recent_effort,
               recent_before_hold_ * std::exp(recent_decay_rate_ * (as_of_ - hold_start_)));
  return record_;
}

PairTable AggregatePairs(const EventLog& log, const EffortConfig& effort, const Decay& decay,
                         double as_of) {
  PairTable table;
  table.person_count = log.person_count();
  // Events are time-sorted: those at or before as_of are a prefix.
  const auto event_end = static_cast<size_t>(
      std::upper_bound(log.time.begin(), log.time.end(), as_of) - log.time.begin());

  // 1. Every (event, target) contact with its pair key, in time order.
  const int person_bits = table.person_count <= 1
                              ? 1
                              : static_cast<int>(std::bit_width(uint64_t{table.person_count - 1}));
  std::vector<Contact> contacts;
  contacts.reserve(log.target_offset[event_end]);
  for (size_t e = 0; e < event_end; ++e) {
    const PersonIndex actor = log.actor[e];
    for (uint64_t t = log.target_offset[e]; t < log.target_offset[e + 1]; ++t) {
      const PersonIndex target = log.targets[t];
      const PersonIndex u = std::min(actor, target), v = std::max(actor, target);
      contacts.push_back({(uint64_t{u} << person_bits) | v, static_cast<uint32_t>(e)});
    }
  }

  // 2. Grouped by pair (radix sort on the bits the keys use), each pair still in time order.
  RadixSortByKey(contacts, 2 * person_bits);
  std::vector<size_t> group_start;
  for (size_t i = 0; i < contacts.size(); ++i) {
    if (i == 0 || contacts[i].key != contacts[i - 1].key) group_start.push_back(i);
  }
  group_start.push_back(contacts.size());

  // 3. Each pair folded independently, in parallel; the groups come sorted by (u, v).
  const auto pairs = static_cast<int64_t>(group_start.size() - 1);
  table.pairs.resize(static_cast<size_t>(pairs));
#pragma omp parallel for schedule(dynamic, 4096) if (pairs > 20000)
  for (int64_t g = 0; g < pairs; ++g) {
    const uint64_t key = contacts[group_start[g]].key;
    const auto u = static_cast<PersonIndex>(key >> person_bits);
    const auto v = static_cast<PersonIndex>(key & ((uint64_t{1} << person_bits) - 1));
    PairFolder folder(decay, as_of, u, v);
    for (size_t c = group_start[g]; c < group_start[g + 1]; ++c) {
      folder.Add(ContactOf(log, effort, contacts[c].event, u));
    }
    table.pairs[g] = folder.Finish();
  }
  return table;
}

std::optional<uint32_t> FindPair(const PairTable& table, PersonIndex a, PersonIndex b) {
  const PersonIndex u = std::min(a, b), v = std::max(a, b);
  auto it = std::lower_bound(
      table.pairs.begin(), table.pairs.end(), std::pair{u, v},
      [](const PairRecord& record, const std::pair<PersonIndex, PersonIndex>& key) {
        return std::pair{record.u, record.v} < key;
      });
  if (it == table.pairs.end() || it->u != u || it->v != v) return std::nullopt;
  return static_cast<uint32_t>(it - table.pairs.begin());
}

}  // namespace rapport::graph
