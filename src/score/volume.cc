#include "rapport/score/volume.h"

#include <cmath>
#include <unordered_map>

#include "rapport/core/time.h"

namespace rapport::score {

std::vector<VolumeComponents> ComputeVolume(const EventLog& log, const VolumeConfig& config,
                                            double as_of) {
  std::vector<VolumeComponents> volume(log.person_count());
  const double window_start = as_of - config.window_days * kSecondsPerDay;
  const double decay_rate = std::log(2.0) / (config.half_life_days * kSecondsPerDay);
  // Latest engagement of each (engager, target): events are time-sorted, so the last write wins.
  std::unordered_map<uint64_t, double> latest_engagement;
  for (size_t e = 0; e < log.event_count(); ++e) {
    const double time = log.time[e];
    if (time < window_start) continue;
    if (time > as_of) break;
    const double weight = std::exp(-decay_rate * (as_of - time));
    const PersonIndex actor = log.actor[e];
    volume[actor].activity += weight;
    const Kind kind = log.kind[e];
    for (uint64_t t = log.target_offset[e]; t < log.target_offset[e + 1]; ++t) {
      const PersonIndex target = log.targets[t];
      if (kind == Kind::kShare || kind == Kind::kLike) volume[target].amplification += weight;
      if (kind == Kind::kMention || kind == Kind::kReply || kind == Kind::kComment) {
        volume[target].mentions += weight;
      }
      latest_engagement[(uint64_t{actor} << 32) | target] = weight;
    }
  }
  for (const auto& [key, weight] : latest_engagement) {
    volume[static_cast<PersonIndex>(key & 0xffffffffu)].engagers += weight;
  }
  for (VolumeComponents& v : volume) v.raw = VolumeRaw(config, v);
  return volume;
}

double VolumeRaw(const VolumeConfig& config, const VolumeComponents& v) {
  return config.w_activity * std::log1p(v.activity) +
         config.w_amplification * std::log1p(v.amplification) +
         config.w_engagers * std::log1p(v.engagers) + config.w_mentions * std::log1p(v.mentions);
}

}  // namespace rapport::score
