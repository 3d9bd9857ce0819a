// Incremental scoring: the aggregates of a scoring run continued from a checkpoint, reading only
// the events after it, instead of every event again (docs/SCORING.md, "Incremental scoring").
//
// A checkpoint holds every pair's fold paused at an anchor time (graph::PairCheckpoint), who was
// active by then and the volume window's events up to it. Scoring as of T from it needs only the
// events after the anchor; the pair statistics come out equal to aggregating every event, up to
// rounding, and the volume components the same to the bit. Everything after aggregation
// (strengths, propagation, curves) is computed afresh, because each of them depends on as_of or
// on the whole graph.
//
// Thread-safety: pure functions over their arguments.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/core/status.h"
#include "rapport/graph/pair_table.h"
#include "rapport/score/scorer.h"

namespace rapport::score {

// Events as the volume score needs them, in time order (ties in event order).
struct VolumeEvents {
  std::vector<double> time;
  std::vector<PersonIndex> actor;
  std::vector<Kind> kind;
  std::vector<uint64_t> target_offset{0};  // event i's targets: [target_offset[i], [i + 1])
  std::vector<PersonIndex> targets;

  size_t size() const { return time.size(); }
  std::span<const PersonIndex> targets_of(size_t i) const {
    return std::span(targets).subspan(target_offset[i], target_offset[i + 1] - target_offset[i]);
  }
  void Add(double event_time, PersonIndex event_actor, Kind event_kind,
           std::span<const PersonIndex> event_targets);
};

struct ScoreCheckpoint {
  graph::PairCheckpoint pairs;     // the folds, paused at pairs.anchor
  std::vector<int64_t> person_id;  // the people by index when it was made
  std::vector<uint8_t> active;     // 1 for anyone with an event at or before the anchor
  // The events of the volume window that ends at the anchor: all that a later run's volume
  // score needs from before the anchor (its window starts later).
  VolumeEvents window;

  double anchor() const { return pairs.anchor; }
};

// Where a checkpoint made by a run as of `as_of` is anchored: recent_hold_days before it, the
// latest anchor a later run can continue from (graph::PairFolder::Resume).
double CheckpointAnchor(const TieConfig& tie, double as_of);

// Whether `checkpoint` can be continued to as_of with the people of `people_now` (person ids by
// index): as_of far enough after the anchor, and the checkpoint's people the first ones of
// `people_now` in the same order (people added since come after them). Empty when it can; else
// why not, in words.
std::string WhyNotContinue(const ScoreCheckpoint& checkpoint, const TieConfig& tie, double as_of,
                           const std::vector<int64_t>& people_now);

// The aggregates for scoring as of as_of.
// - Without `resume`, from every event of `log` at or before as_of (ScoreEvents' aggregation).
// - With `resume`, from the checkpoint and the events of `log` after its anchor (time-sorted,
//   people indexed as WhyNotContinue accepted; earlier events are ignored): the pairs continue
//   the checkpoint's folds, and the volume score reads the checkpoint's window events, then the
//   new ones, in the order a full aggregation reads them (so it comes out the same to the bit).
//   REQUIRES: WhyNotContinue(*resume, ...) is empty.
// With `pause` (its pairs.anchor set, between resume's anchor and as_of), also the checkpoint
// at that anchor, for the next run.
EventAggregates AggregateEvents(const EventLog& log, const Config& config, double as_of,
                                const ScoreCheckpoint* resume = nullptr,
                                ScoreCheckpoint* pause = nullptr);

// The checkpoint as bytes (docs/formats.md, "Score checkpoint") and back. Parsing checks the
// layout and every count against the size; it never trusts the bytes.
std::string SerializeCheckpoint(const ScoreCheckpoint& checkpoint);
Result<ScoreCheckpoint> ParseCheckpoint(std::string_view bytes);

}  // namespace rapport::score
