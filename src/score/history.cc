#include "rapport/score/history.h"

#include <algorithm>

namespace rapport::score {

std::vector<HistoryPoint> PersonHistory(const EventLog& log, const Config& config,
                                        PersonIndex person, double from, double to,
                                        double step_seconds) {
  std::vector<HistoryPoint> points;
  for (double as_of = to; as_of >= from; as_of -= step_seconds) {
    ScoreRun run = ScoreEvents(log, config, as_of);
    HistoryPoint point;
    point.as_of = as_of;
    if (const PersonScore* score = run.Find(log.person_id[person])) {
      point.scored = true;
      point.volume_score = score->volume_score;
      point.rapport_score = score->rapport_score;
      point.strong_ties = score->rapport.strong_ties;
    }
    points.push_back(point);
  }
  std::reverse(points.begin(), points.end());
  return points;
}

}  // namespace rapport::score
