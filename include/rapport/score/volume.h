// The volume score (Klout-style baseline, DESIGN.md "Volume score"): over a window before as_of,
// with recent activity weighted more (half-life), a weighted sum of
//   log(1 + activity)        own actions of every kind, posts included
//   log(1 + amplification)   shares and likes received
//   log(1 + engagers)        distinct people who engaged, each weighted by their latest engagement
//   log(1 + mentions)        mentions, replies and comments received
// It rises with volume and falls after a week off; that is its purpose.
// Thread-safety: pure function.
#pragma once

#include <span>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"

namespace rapport::score {

struct VolumeComponents {
  double activity = 0;
  double amplification = 0;
  double engagers = 0;
  double mentions = 0;
  double raw = 0;  // the weighted sum of logs
};

// The weighted sum of logs of the four components.
double VolumeRaw(const VolumeConfig& config, const VolumeComponents& components);

// The components of every person, event by event, in any order (the batch path reads events
// without keeping them). Only events inside the window leave anything behind: the per-person sums
// and, for engagers, the latest engagement of each (engager, target) pair in the window.
class VolumeAccumulator {
 public:
  VolumeAccumulator(size_t person_count, const VolumeConfig& config, double as_of);
  void Add(double time, PersonIndex actor, Kind kind, std::span<const PersonIndex> targets);
  // Whether an event at `time` counts (Add ignores the others).
  bool Counts(double time) const { return time >= window_start_ && time <= as_of_; }
  std::vector<VolumeComponents> Finish() &&;

 private:
  VolumeConfig config_;
  double as_of_, window_start_, decay_rate_;
  std::vector<VolumeComponents> volume_;
  // Every engagement in the window: (engager << 32 | target, weight). Finish sorts them and
  // takes each pair's latest (its largest weight), a flat array rather than a hash map.
  struct Engagement {
    uint64_t key;
    double weight;
  };
  std::vector<Engagement> engagements_;
};

}  // namespace rapport::score
