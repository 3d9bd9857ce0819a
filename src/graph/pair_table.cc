#include "rapport/graph/pair_table.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "rapport/core/time.h"

namespace rapport::graph {
namespace {

// Scratch state per pair while the time-sorted scan runs.
struct Tracking {
  int64_t day = INT64_MIN;
  int64_t week = INT64_MIN;
  double week_effort = 0;
  double recent_before_hold = 0;  // recent effort of events before the hold window, at as_of
  double recent_sum = 0;          // recent effort of all events so far, at as_of
};

}  // namespace

PairTable AggregatePairs(const EventLog& log, const EffortConfig& effort, const Decay& decay,
                         double as_of) {
  PairTable table;
  table.person_count = log.person_count();
  std::unordered_map<uint64_t, uint32_t> index_of;
  std::vector<Tracking> tracking;
  const double decay_rate = std::log(2.0) / (decay.half_life_days * kSecondsPerDay);
  const double recent_decay_rate = std::log(2.0) / (decay.recent_half_life_days * kSecondsPerDay);
  const double hold_start = as_of - decay.recent_hold_days * kSecondsPerDay;

  for (size_t e = 0; e < log.event_count(); ++e) {
    const double time = log.time[e];
    if (time > as_of) break;  // events are time-sorted
    const uint64_t begin = log.target_offset[e], end = log.target_offset[e + 1];
    if (begin == end) continue;  // a broadcast builds no relationship
    const Kind kind = log.kind[e];
    const double override_value = log.effort_override[e];
    const double base = EventEffort(effort, kind, log.duration[e], override_value,
                                    !std::isnan(override_value), log.valence[e]);
    const double per_target = base / std::sqrt(static_cast<double>(end - begin));
    const double decay_factor = std::exp(-decay_rate * (as_of - time));
    const double recent_decay = std::exp(-recent_decay_rate * (as_of - time));
    const bool negative = log.valence[e] < 0;
    const int64_t day = static_cast<int64_t>(std::floor(time / kSecondsPerDay));
    const int64_t week = static_cast<int64_t>(std::floor(time / kSecondsPerWeek));
    const PersonIndex actor = log.actor[e];

    for (uint64_t t = begin; t < end; ++t) {
      const PersonIndex target = log.targets[t];
      const PersonIndex u = std::min(actor, target), v = std::max(actor, target);
      const uint64_t key = (uint64_t{u} << 32) | v;
      auto [it, inserted] = index_of.try_emplace(key, static_cast<uint32_t>(table.pairs.size()));
      if (inserted) {
        PairRecord fresh;
        fresh.u = u;
        fresh.v = v;
        fresh.first = time;
        table.pairs.push_back(fresh);
        tracking.emplace_back();
      }
      PairRecord& record = table.pairs[it->second];
      Tracking& track = tracking[it->second];
      const int direction = actor == u ? 0 : 1;

      record.count[direction] += 1;
      record.last = time;
      record.channel_mask |= 1u << static_cast<int>(log.channel[e]);
      if (negative) {
        record.negative_effort += per_target * decay_factor;
      } else {
        record.effort[direction] += per_target * decay_factor;
        record.raw_effort[direction] += per_target;
        track.recent_sum += per_target * recent_decay;
        if (time < hold_start) {
          track.recent_before_hold = track.recent_sum;
        } else {
          // R just after this event, undecayed back to its own time.
          record.recent_effort = std::max(record.recent_effort, track.recent_sum / recent_decay);
        }
        if (log.is_private[e]) record.private_effort += per_target * decay_factor;
        if (kind == Kind::kFavour) record.favour_effort += per_target * decay_factor;
      }
      if (kind == Kind::kCall || kind == Kind::kMeeting) record.contact_seconds += log.duration[e];

      if (day != track.day) {
        track.day = day;
        ++record.active_days;
      }
      if (week != track.week) {
        track.week = week;
        track.week_effort = 0;
      }
      // Counts the week once, at the event that brings it to the threshold. Distrust is
      // contact but not a regular relationship: it adds no effort toward an active week.
      const double before = track.week_effort;
      if (!negative) track.week_effort += per_target;
      if (before < kActiveWeekEffort && track.week_effort >= kActiveWeekEffort) {
        ++record.active_weeks;
      }
    }
  }

  // R at the start of the hold window, for pairs whose last events before it outweigh those in it.
  const double hold_undecay = std::exp(recent_decay_rate * (as_of - hold_start));
  for (size_t i = 0; i < table.pairs.size(); ++i) {
    table.pairs[i].recent_effort =
        std::max(table.pairs[i].recent_effort, tracking[i].recent_before_hold * hold_undecay);
  }

  // Sort by (u, v) for determinism and for the CSR build.
  std::vector<uint32_t> order(table.pairs.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    const PairRecord& x = table.pairs[a];
    const PairRecord& y = table.pairs[b];
    return x.u != y.u ? x.u < y.u : x.v < y.v;
  });
  std::vector<PairRecord> sorted;
  sorted.reserve(order.size());
  for (uint32_t i : order) sorted.push_back(table.pairs[i]);
  table.pairs = std::move(sorted);
  return table;
}

}  // namespace rapport::graph
