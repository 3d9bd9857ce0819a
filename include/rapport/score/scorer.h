// Scoring: from an EventLog to every person's volume score and rapport score, 1-100, with their
// components, plus the tie table behind them. The rapport score combines
//   propagation  log(1 + N * standing)           standing from Propagate (propagation.h)
//   depth        sum of the depth_k strongest tie strengths
//   breadth      log(1 + number of ties at least strong_tie strong)
// as  raw = w_propagation * propagation + w_depth * depth + w_breadth * breadth,
// then both raw scores go through the 1-100 curve (curve.h) over the scored population: everyone
// with at least one event (as actor or target) at or before as_of.
// Thread-safety: pure functions over their arguments.
#pragma once

#include <string>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/graph/pair_table.h"
#include "rapport/score/curve.h"
#include "rapport/score/tie_strength.h"
#include "rapport/score/volume.h"

namespace rapport::score {

struct RapportComponents {
  double standing = 0;     // share of standing from propagation (sums to 1 over everyone)
  double propagation = 0;  // log(1 + N * standing)
  double depth = 0;        // sum of the strongest depth_k tie strengths
  int strong_ties = 0;     // ties at least strong_tie strong
  double breadth = 0;      // log(1 + strong_ties)
  double raw = 0;
};

struct PersonScore {
  PersonIndex index = 0;
  int64_t id = 0;
  std::string name;
  double volume_score = 1;
  double rapport_score = 1;
  VolumeComponents volume;
  RapportComponents rapport;
  int ties = 0;  // pairs with any interaction
};

// Everything one scoring run computed: what `score`, `ties`, `explain` and `cooling` print.
struct ScoreRun {
  double as_of = 0;
  Config config;
  graph::PairTable pairs;
  TieTable ties;
  std::vector<PersonScore> people;  // scored people only, sorted by rapport score, descending
  CurveReference volume_reference, rapport_reference;
  int propagation_iterations = 0;

  // The entry of a person in `people`, or nullptr when the person is not scored.
  const PersonScore* Find(int64_t person_id) const;
};

ScoreRun ScoreEvents(const EventLog& log, const Config& config, double as_of);

// One of a person's ties, seen from that person.
struct TieView {
  uint32_t pair = 0;   // index into ScoreRun::pairs / ties
  PersonIndex other = 0;
  double strength = 0;
};
// The ties of person `index`, strongest first.
std::vector<TieView> TiesOf(const ScoreRun& run, PersonIndex index);

}  // namespace rapport::score
