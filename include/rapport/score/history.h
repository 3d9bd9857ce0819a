// History: a person's scores as of a series of dates (every day, week or month), each computed
// from the events known at that date, exactly as `score --as-of` would.
// Thread-safety: pure function.
#pragma once

#include <vector>

#include "rapport/score/scorer.h"

namespace rapport::score {

struct HistoryPoint {
  double as_of = 0;
  bool scored = false;  // false before the person's first event
  double volume_score = 0;
  double rapport_score = 0;
  int strong_ties = 0;
};

// Points at to, to - step, ... back to from (inclusive), returned oldest first.
std::vector<HistoryPoint> PersonHistory(const EventLog& log, const Config& config,
                                        PersonIndex person, double from, double to,
                                        double step_seconds);

}  // namespace rapport::score
