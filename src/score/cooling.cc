#include "rapport/score/cooling.h"

#include <algorithm>
#include <cmath>

#include "rapport/core/time.h"

namespace rapport::score {

double StrengthAtLastContact(const ScoreRun& run, uint32_t pair) {
  const TieConfig& config = run.config.tie;
  graph::PairRecord then = run.pairs.pairs[pair];
  // Undo the decay between the last contact and as_of.
  const double undo = std::exp2((run.as_of - then.last) / (config.half_life_days * kSecondsPerDay));
  for (double& effort : then.effort) effort *= undo;
  then.negative_effort *= undo;
  then.private_effort *= undo;
  then.favour_effort *= undo;
  // recent_effort is R at the start of the hold window once the silence is longer than the hold.
  const double held_from = run.as_of - config.recent_hold_days * kSecondsPerDay;
  then.recent_effort *= std::exp2(std::max(0.0, held_from - then.last) /
                                  (config.recent_half_life_days * kSecondsPerDay));
  // The pair's place among the two people's other ties is taken as it is now.
  const FeatureVector& now = run.ties.features[pair];
  auto at = [&now](Feature f) { return now[static_cast<int>(f)]; };
  const PairContext context{at(Feature::kEmbeddedness), at(Feature::kSharedAttention),
                            at(Feature::kAttention), at(Feature::kActivityLow),
                            at(Feature::kActivityHigh)};
  return StrengthFromFeatures(config, PairFeatures(then, config, then.last, context));
}

std::vector<CoolingTie> FindCooling(const ScoreRun& run, std::optional<PersonIndex> person) {
  const CoolingConfig& cooling = run.config.cooling;
  std::vector<CoolingTie> found;
  for (uint32_t i = 0; i < run.pairs.pairs.size(); ++i) {
    const graph::PairRecord& record = run.pairs.pairs[i];
    if (person && record.u != *person && record.v != *person) continue;
    const double silence_days = (run.as_of - record.last) / kSecondsPerDay;
    const double usual_gap = UsualGapDays(record, run.config.tie);
    if (silence_days < cooling.min_silence_days || silence_days < cooling.gap_factor * usual_gap) {
      continue;
    }
    const double then = StrengthAtLastContact(run, i);
    if (then < cooling.min_strength) continue;
    CoolingTie tie;
    tie.pair = i;
    tie.person = person && record.v == *person ? record.v : record.u;
    tie.other = tie.person == record.u ? record.v : record.u;
    tie.strength_now = run.ties.strength[i];
    tie.strength_then = then;
    tie.last_contact = record.last;
    tie.usual_gap_days = usual_gap;
    tie.silence_days = silence_days;
    found.push_back(tie);
  }
  std::stable_sort(found.begin(), found.end(), [](const CoolingTie& a, const CoolingTie& b) {
    return a.silence_days / a.usual_gap_days > b.silence_days / b.usual_gap_days;
  });
  return found;
}

}  // namespace rapport::score
