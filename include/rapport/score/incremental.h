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

// The same events read in place (from VolumeEvents, or from the mapped bytes of a checkpoint).
struct VolumeEventsView {
  std::span<const double> time;
  std::span<const PersonIndex> actor;
  std::span<const Kind> kind;
  std::span<const uint64_t> target_offset;  // size() + 1 offsets
  std::span<const PersonIndex> targets;
  size_t size() const { return time.size(); }
  std::span<const PersonIndex> targets_of(size_t i) const {
    return targets.subspan(target_offset[i], target_offset[i + 1] - target_offset[i]);
  }
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

// A checkpoint read in place: what a run continues from. Valid while what it views lives.
struct ScoreCheckpointView {
  graph::PairCheckpointView pairs;
  std::span<const int64_t> person_id;
  std::span<const uint8_t> active;
  VolumeEventsView window;
  double anchor() const { return pairs.anchor; }
};
ScoreCheckpointView ViewOf(const ScoreCheckpoint& checkpoint);

// Where a checkpoint made by a run as of `as_of` is anchored: recent_hold_days before it, the
// latest anchor a later run can continue from (graph::PairFolder::Resume).
double CheckpointAnchor(const TieConfig& tie, double as_of);

// Whether `checkpoint` can be continued to as_of with the people of `people_now` (person ids by
// index): as_of far enough after the anchor, and the checkpoint's people the first ones of
// `people_now` in the same order (people added since come after them). Empty when it can; else
// why not, in words.
std::string WhyNotContinue(const ScoreCheckpointView& checkpoint, const TieConfig& tie,
                           double as_of, const std::vector<int64_t>& people_now);

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
                                const ScoreCheckpointView* resume = nullptr,
                                ScoreCheckpoint* pause = nullptr);

// The checkpoint as bytes (docs/formats.md, "Score checkpoint"): a header, then each array as
// it lies in memory, so that a run reads it in place from a mapping of its file.
class SerializedCheckpoint {
 public:
  static constexpr size_t kHeaderBytes = 56;
  // Keeps a reference: `checkpoint` must outlive this object and stay unchanged.
  explicit SerializedCheckpoint(const ScoreCheckpoint& checkpoint);
  // The bytes in order, pointing into the checkpoint and this object's header: written one after
  // the other they are the whole checkpoint.
  std::vector<std::string_view> pieces() const;
  std::string Join() const;  // the pieces in one string (for tests)

 private:
  const ScoreCheckpoint& checkpoint_;
  alignas(8) char header_[kHeaderBytes];
};

// How many pairs the checkpoint whose bytes start with `header` holds, as its header says (0 when
// `header` is not a checkpoint's): what a run can prepare memory for before the whole checkpoint
// is read and checked (ParseCheckpoint).
uint64_t CheckpointPairCount(std::string_view header);

// Reads checkpoint bytes in place: the view points into `bytes`, which must stay alive and
// unchanged while it is used. Checks the layout and every count against the size, the order of
// the pairs and the window events, and every person index; it never trusts the bytes.
// REQUIRES: bytes.data() is 8-byte aligned (a mapping of the file, or a std::string's heap).
Result<ScoreCheckpointView> ParseCheckpoint(std::string_view bytes);

}  // namespace rapport::score
