// The volume score (Klout-style baseline, DESIGN.md "Volume score"): over a window before as_of,
// with recent activity weighted more (half-life), a weighted sum of
//   log(1 + activity)        own actions of every kind, posts included
//   log(1 + amplification)   shares and likes received
//   log(1 + engagers)        distinct people who engaged, each weighted by their latest engagement
//   log(1 + mentions)        mentions, replies and comments received
// It rises with volume and falls after a week off; that is its purpose.
// Thread-safety: pure function.
#pragma once

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

std::vector<VolumeComponents> ComputeVolume(const EventLog& log, const VolumeConfig& config,
                                            double as_of);

}  // namespace rapport::score
