// Scoring: from an EventLog to every person's volume score and rapport score, 1-100, with their
// components, plus the tie table behind them. The rapport score counts each tie at its live
// strength, s * warmth (Warmth below: 1 until the tie is cooling, then fading), and combines
//   propagation  log(1 + N * standing)           standing from Propagate (propagation.h)
//   depth        sum of the depth_k strongest live tie strengths
//   breadth      log(1 + smooth count of strong ties): a tie counts 0 below a live strength of
//                strong_tie - ramp, 1 above strong_tie + ramp and linearly between, so one tie
//                crossing strong_tie moves the score a little, not a whole step
// as  raw = w_propagation * propagation + w_depth * depth + w_breadth * breadth,
// then both raw scores go through the 1-100 curve (curve.h) over the scored population: everyone
// with at least one event (as actor or target) at or before as_of.
// Thread-safety: pure functions over their arguments.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/graph/pair_table.h"
#include "rapport/score/curve.h"
#include "rapport/score/tie_strength.h"
#include "rapport/score/volume.h"

namespace rapport::score {

struct RapportComponents {
  double standing = 0;          // share of standing from propagation (sums to 1 over everyone)
  double propagation = 0;       // log(1 + N * standing)
  double depth = 0;             // sum of the strongest depth_k tie strengths
  int strong_ties = 0;          // ties at least strong_tie strong
  double strong_tie_count = 0;  // the smooth count that breadth uses
  double breadth = 0;           // log(1 + strong_tie_count)
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
  std::vector<double> warmth;       // per pair, in (0, 1]
  std::vector<PersonScore> people;  // scored people only, sorted by rapport score, descending
  CurveReference volume_reference, rapport_reference;
  int propagation_iterations = 0;

  // The entry of a person in `people`, or nullptr when the person is not scored.
  const PersonScore* Find(int64_t person_id) const;
};

// How much of a tie's strength still counts in the rapport score: 1 while the silence is within
// grace = max(cooling.min_silence_days, cooling.gap_factor * usual gap), then
// exp(-(silence - grace) / rapport.fade_days). A week off never reaches the grace period; six
// months of silence fade a tie to about 40%. The tie's strength itself is not changed (a quiet
// relationship can still be a strong one, Wiese et al. 2014); only its weight in influence fades.
double Warmth(const graph::PairRecord& record, const Config& config, double as_of);

// Called after each stage of ScoreEvents with its name and wall seconds (progress on big runs).
using StageCallback = std::function<void(std::string_view stage, double seconds)>;

// A person's rapport components from their standing and the live strengths of all their ties
// (reordered: the strongest depth_k come first).
RapportComponents RapportOf(const RapportConfig& config, double standing, size_t person_count,
                            std::span<double> live_strengths);

// keep_features = false leaves ties.features empty and keeps only the strengths: 16 doubles a
// pair less (5 GB at 10^8 events) for callers that need no features (the batch path's score
// files and score table); `ties`, `explain`, cooling, export and `fit` need them.
ScoreRun ScoreEvents(const EventLog& log, const Config& config, double as_of,
                     const StageCallback& on_stage = {}, bool keep_features = true);

// What scoring needs from the events, however they were read: the pairs, every person's volume
// components, and who is scored (1 for anyone who acted or was targeted at or before as_of).
struct EventAggregates {
  graph::PairTable pairs;
  std::vector<VolumeComponents> volume;  // by person index
  std::vector<uint8_t> active;           // by person index
};

// Names for the output, by person index. An empty `name` names everyone by their id.
struct PeopleNames {
  std::span<const int64_t> id;
  std::span<const std::string> name;
};

// Everything after aggregation: tie strengths, propagation, depth and breadth, the curves and
// the ranking. ScoreEvents is AggregateEvents (incremental.h) and this; the batch path calls it
// on aggregates it streamed. Each stage frees what the later ones do not need.
ScoreRun ScoreAggregates(EventAggregates&& aggregates, const PeopleNames& people,
                         const Config& config, double as_of, const StageCallback& on_stage = {},
                         bool keep_features = true);

// The decay settings of aggregation under a tie configuration.
graph::Decay DecayOf(const TieConfig& tie);

// One of a person's ties, seen from that person.
struct TieView {
  uint32_t pair = 0;  // index into ScoreRun::pairs / ties
  PersonIndex other = 0;
  double strength = 0;
};
// The ties of person `index`, strongest first.
std::vector<TieView> TiesOf(const ScoreRun& run, PersonIndex index);

}  // namespace rapport::score
