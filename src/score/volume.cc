#include "rapport/score/volume.h"

#include <algorithm>
#include <cmath>

#include "rapport/core/time.h"

namespace rapport::score {

VolumeAccumulator::VolumeAccumulator(size_t person_count, const VolumeConfig& config, double as_of)
    : config_(config),
      as_of_(as_of),
      window_start_(as_of - config.window_days * kSecondsPerDay),
      decay_rate_(std::log(2.0) / (config.half_life_days * kSecondsPerDay)),
      volume_(person_count) {}

void VolumeAccumulator::Add(double time, PersonIndex actor, Kind kind,
                            std::span<const PersonIndex> targets) {
  if (!Counts(time)) return;
  const double weight = std::exp(-decay_rate_ * (as_of_ - time));
  volume_[actor].activity += weight;
  for (const PersonIndex target : targets) {
    if (kind == Kind::kShare || kind == Kind::kLike) volume_[target].amplification += weight;
    if (kind == Kind::kMention || kind == Kind::kReply || kind == Kind::kComment) {
      volume_[target].mentions += weight;
    }
    engagements_.push_back({(uint64_t{actor} << 32) | target, weight});
  }
}

std::vector<VolumeComponents> VolumeAccumulator::Finish() && {
  std::sort(engagements_.begin(), engagements_.end(), [](const Engagement& a, const Engagement& b) {
    return a.key != b.key ? a.key < b.key : a.weight > b.weight;
  });
  for (size_t i = 0; i < engagements_.size(); ++i) {
    if (i > 0 && engagements_[i].key == engagements_[i - 1].key) continue;
    volume_[static_cast<PersonIndex>(engagements_[i].key & 0xffffffffu)].engagers +=
        engagements_[i].weight;
  }
  std::vector<Engagement>().swap(engagements_);
  for (VolumeComponents& v : volume_) v.raw = VolumeRaw(config_, v);
  return std::move(volume_);
}

double VolumeRaw(const VolumeConfig& config, const VolumeComponents& v) {
  return config.w_activity * std::log1p(v.activity) +
         config.w_amplification * std::log1p(v.amplification) +
         config.w_engagers * std::log1p(v.engagers) + config.w_mentions * std::log1p(v.mentions);
}

}  // namespace rapport::score
