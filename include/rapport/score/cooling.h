// Cooling ties (DESIGN.md, "History and alerts"): relationships that were strong when last in
// contact and whose silence is now far longer than that pair's usual gap, so the user can check
// in. A tie is cooling when
//   strength at last contact >= cooling.min_strength,
//   silence >= cooling.gap_factor * usual gap, and silence >= cooling.min_silence_days.
// "Strength at last contact" re-evaluates the tie as of its last contact (no recency penalty, no
// decay since), so a tie does not stop counting as strong merely because it has gone quiet.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <vector>

#include "rapport/score/scorer.h"

namespace rapport::score {

struct CoolingTie {
  uint32_t pair = 0;
  PersonIndex person = 0;  // whose tie it is (the u side when listing everyone)
  PersonIndex other = 0;
  double strength_now = 0;
  double strength_then = 0;  // at the last contact
  double last_contact = 0;
  double usual_gap_days = 0;
  double silence_days = 0;
};

double StrengthAtLastContact(const ScoreRun& run, uint32_t pair);

// Cooling ties of one person, or of everyone when person is nullopt; longest silence relative to
// the usual gap first.
std::vector<CoolingTie> FindCooling(const ScoreRun& run, std::optional<PersonIndex> person);

}  // namespace rapport::score
