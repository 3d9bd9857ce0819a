#include "rapport/score/incremental.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

#include "rapport/core/time.h"
#include "rapport/score/volume.h"

namespace rapport::score {

double CheckpointAnchor(const TieConfig& tie, double as_of) {
  return as_of - DecayOf(tie).recent_hold_days * kSecondsPerDay;
}

std::string WhyNotContinue(const ScoreCheckpoint& checkpoint, const TieConfig& tie, double as_of,
                           const std::vector<int64_t>& people_now) {
  if (CheckpointAnchor(tie, as_of) < checkpoint.anchor()) {
    return fmt::format("as_of {} is less than {} days after the checkpoint's anchor {}",
                       FormatDate(as_of), DecayOf(tie).recent_hold_days,
                       FormatDate(checkpoint.anchor()));
  }
  if (people_now.size() < checkpoint.person_id.size() ||
      !std::equal(checkpoint.person_id.begin(), checkpoint.person_id.end(), people_now.begin())) {
    return "people were merged, split or forgotten since the checkpoint";
  }
  return {};
}

void VolumeEvents::Add(double event_time, PersonIndex event_actor, Kind event_kind,
                       std::span<const PersonIndex> event_targets) {
  time.push_back(event_time);
  actor.push_back(event_actor);
  kind.push_back(event_kind);
  targets.insert(targets.end(), event_targets.begin(), event_targets.end());
  target_offset.push_back(targets.size());
}

EventAggregates AggregateEvents(const EventLog& log, const Config& config, double as_of,
                                const ScoreCheckpoint* resume, ScoreCheckpoint* pause) {
  EventAggregates aggregates;
  const size_t people = log.person_count();
  aggregates.pairs = graph::AggregatePairs(
      log, config.effort, DecayOf(config.tie), as_of,
      {resume != nullptr ? &resume->pairs : nullptr, pause != nullptr ? &pause->pairs : nullptr});
  // The log's events to read: after the resumed anchor, up to as_of.
  const double events_after =
      resume != nullptr ? resume->anchor() : -std::numeric_limits<double>::infinity();
  const auto first = static_cast<size_t>(
      std::upper_bound(log.time.begin(), log.time.end(), events_after) - log.time.begin());
  const auto end = static_cast<size_t>(
      std::upper_bound(log.time.begin() + first, log.time.end(), as_of) - log.time.begin());
  const auto targets_of = [&log](size_t e) {
    return std::span(log.targets)
        .subspan(log.target_offset[e], log.target_offset[e + 1] - log.target_offset[e]);
  };

  // Volume: the checkpoint's window events, then the log's, in time order.
  VolumeAccumulator volume(people, config.volume, as_of);
  const double pause_window_start =
      pause != nullptr ? pause->anchor() - config.volume.window_days * kSecondsPerDay : 0;
  if (resume != nullptr) {
    const VolumeEvents& window = resume->window;
    for (size_t i = 0; i < window.size(); ++i) {
      volume.Add(window.time[i], window.actor[i], window.kind[i], window.targets_of(i));
      if (pause != nullptr && window.time[i] > pause_window_start) {
        pause->window.Add(window.time[i], window.actor[i], window.kind[i], window.targets_of(i));
      }
    }
  }
  // Active by as_of, and by the pause's anchor: the checkpoint's, then the log's events.
  aggregates.active.assign(people, 0);
  if (resume != nullptr) {
    std::copy(resume->active.begin(), resume->active.end(), aggregates.active.begin());
  }
  if (pause != nullptr) {
    pause->person_id = log.person_id;
    pause->active = aggregates.active;
  }
  for (size_t e = first; e < end; ++e) {
    volume.Add(log.time[e], log.actor[e], log.kind[e], targets_of(e));
    const bool by_pause = pause != nullptr && log.time[e] <= pause->anchor();
    if (by_pause && log.time[e] > pause_window_start) {
      pause->window.Add(log.time[e], log.actor[e], log.kind[e], targets_of(e));
    }
    const auto mark = [&](PersonIndex p) {
      aggregates.active[p] = 1;
      if (by_pause) pause->active[p] = 1;
    };
    mark(log.actor[e]);
    for (const PersonIndex target : targets_of(e)) mark(target);
  }
  aggregates.volume = std::move(volume).Finish();
  return aggregates;
}

// The checkpoint's bytes: "RAPCKPT1", then little-endian fixed-width fields (this machine's
// layout; a checkpoint never leaves the store it was made for):
//   f64 anchor, u64 people, people x i64 person id, people x u8 active, u64 pairs, then per pair
//   u32 u, u32 v, 7 x f64 (effort u->v, v->u, raw effort u->v, v->u, negative, private, favour),
//   u32 count u->v, v->u, f64 first, last, u32 channel mask, active days, active weeks,
//   f64 contact seconds, recent sum, i64 last day, last week, f64 week effort; then the window
//   events: u64 events, events x f64 time, events x u32 actor, events x u8 kind,
//   (events + 1) x u64 target offset, targets x u32 target (their number is the last offset).
namespace {

constexpr std::string_view kMagic = "RAPCKPT1";
constexpr size_t kPairBytes = 2 * 4 + 7 * 8 + 2 * 4 + 2 * 8 + 3 * 4 + 2 * 8 + 2 * 8 + 8;

// Writes fields into a buffer sized beforehand.
class Writer {
 public:
  explicit Writer(char* at) : at_(at) {}
  template <typename T>
  void Put(T value) {
    static_assert(std::is_arithmetic_v<T>);
    std::memcpy(at_, &value, sizeof(T));
    at_ += sizeof(T);
  }
  char* at() const { return at_; }

 private:
  char* at_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  size_t left() const { return in_.size(); }
  template <typename T>
  T Get() {  // REQUIRES: left() >= sizeof(T)
    T value;
    std::memcpy(&value, in_.data(), sizeof(T));
    in_.remove_prefix(sizeof(T));
    return value;
  }

 private:
  std::string_view in_;
};

}  // namespace

std::string SerializeCheckpoint(const ScoreCheckpoint& checkpoint) {
  const size_t people = checkpoint.person_id.size();
  const std::vector<graph::PairState>& pairs = checkpoint.pairs.pairs;
  const VolumeEvents& window = checkpoint.window;
  const size_t pairs_at = kMagic.size() + 16 + people * 9 + 8;
  const size_t window_at = pairs_at + pairs.size() * kPairBytes;
  std::string out(
      window_at + 8 + window.size() * 13 + (window.size() + 1) * 8 + window.targets.size() * 4,
      '\0');
  std::memcpy(out.data(), kMagic.data(), kMagic.size());
  Writer head(out.data() + kMagic.size());
  head.Put(checkpoint.anchor());
  head.Put(uint64_t{people});
  for (const int64_t id : checkpoint.person_id) head.Put(id);
  for (const uint8_t active : checkpoint.active) head.Put(active);
  head.Put(uint64_t{pairs.size()});
  // Every pair at its own offset: in parallel.
  const auto count = static_cast<int64_t>(pairs.size());
#pragma omp parallel for schedule(static) if (count > 100000)
  for (int64_t i = 0; i < count; ++i) {
    const graph::PairState& state = pairs[static_cast<size_t>(i)];
    const graph::PairRecord& r = state.record;
    Writer write(out.data() + pairs_at + static_cast<size_t>(i) * kPairBytes);
    write.Put(r.u);
    write.Put(r.v);
    for (const double sum : {r.effort[0], r.effort[1], r.raw_effort[0], r.raw_effort[1],
                             r.negative_effort, r.private_effort, r.favour_effort}) {
      write.Put(sum);
    }
    write.Put(r.count[0]);
    write.Put(r.count[1]);
    write.Put(r.first);
    write.Put(r.last);
    write.Put(r.channel_mask);
    write.Put(r.active_days);
    write.Put(r.active_weeks);
    write.Put(r.contact_seconds);
    write.Put(state.recent_sum);
    write.Put(state.last_day);
    write.Put(state.last_week);
    write.Put(state.week_effort);
  }
  Writer tail(out.data() + window_at);
  tail.Put(uint64_t{window.size()});
  for (const double time : window.time) tail.Put(time);
  for (const PersonIndex actor : window.actor) tail.Put(actor);
  for (const Kind kind : window.kind) tail.Put(static_cast<uint8_t>(kind));
  for (const uint64_t offset : window.target_offset) tail.Put(offset);
  for (const PersonIndex target : window.targets) tail.Put(target);
  if (tail.at() != out.data() + out.size()) std::abort();  // the sizes above are wrong
  return out;
}

Result<ScoreCheckpoint> ParseCheckpoint(std::string_view bytes) {
  const auto corrupt = [](std::string_view what) {
    return DataLoss(
        fmt::format("the score checkpoint is corrupt ({}); `rapport score --full` "
                    "scores from every event and writes a new one",
                    what));
  };
  if (!bytes.starts_with(kMagic)) return corrupt("no RAPCKPT1 header");
  Reader read(bytes.substr(kMagic.size()));
  ScoreCheckpoint checkpoint;
  if (read.left() < 16) return corrupt("truncated header");
  checkpoint.pairs.anchor = read.Get<double>();
  const auto people = read.Get<uint64_t>();
  if (people > read.left() / 9) return corrupt("more people than bytes");
  checkpoint.person_id.resize(people);
  checkpoint.active.resize(people);
  for (int64_t& id : checkpoint.person_id) id = read.Get<int64_t>();
  for (uint8_t& active : checkpoint.active) active = read.Get<uint8_t>();
  if (read.left() < 8) return corrupt("truncated pair count");
  const auto pairs = read.Get<uint64_t>();
  if (read.left() / kPairBytes < pairs) return corrupt("more pairs than bytes");
  checkpoint.pairs.pairs.resize(pairs);
  uint64_t previous_key = 0;
  for (size_t i = 0; i < pairs; ++i) {
    graph::PairState& state = checkpoint.pairs.pairs[i];
    graph::PairRecord& r = state.record;
    r.u = read.Get<PersonIndex>();
    r.v = read.Get<PersonIndex>();
    for (double* sum : {&r.effort[0], &r.effort[1], &r.raw_effort[0], &r.raw_effort[1],
                        &r.negative_effort, &r.private_effort, &r.favour_effort}) {
      *sum = read.Get<double>();
    }
    r.count[0] = read.Get<uint32_t>();
    r.count[1] = read.Get<uint32_t>();
    r.first = read.Get<double>();
    r.last = read.Get<double>();
    r.channel_mask = read.Get<uint32_t>();
    r.active_days = read.Get<uint32_t>();
    r.active_weeks = read.Get<uint32_t>();
    r.contact_seconds = read.Get<double>();
    state.recent_sum = read.Get<double>();
    state.last_day = read.Get<int64_t>();
    state.last_week = read.Get<int64_t>();
    state.week_effort = read.Get<double>();
    const uint64_t key = (uint64_t{r.u} << 32) | r.v;
    if (r.u >= r.v || r.v >= people || (i > 0 && key <= previous_key)) {
      return corrupt(fmt::format("pair {} is out of order or names no person", i));
    }
    previous_key = key;
  }

  VolumeEvents& window = checkpoint.window;
  if (read.left() < 16) return corrupt("truncated window");
  const auto events = read.Get<uint64_t>();
  // 21 bytes an event at least (time, actor, kind, offset), and the first offset.
  if (events > (read.left() - 8) / 21) return corrupt("more window events than bytes");
  window.time.resize(events);
  window.actor.resize(events);
  window.kind.resize(events);
  window.target_offset.resize(events + 1);
  for (double& time : window.time) time = read.Get<double>();
  for (PersonIndex& actor : window.actor) actor = read.Get<PersonIndex>();
  for (Kind& kind : window.kind) kind = static_cast<Kind>(read.Get<uint8_t>());
  for (uint64_t& offset : window.target_offset) offset = read.Get<uint64_t>();
  const uint64_t targets = window.target_offset.back();
  if (window.target_offset.front() != 0 || targets > read.left() / 4 ||
      read.left() != targets * 4) {
    return corrupt("the window's targets do not match the size");
  }
  window.targets.resize(targets);
  for (PersonIndex& target : window.targets) target = read.Get<PersonIndex>();
  for (size_t i = 0; i < events; ++i) {
    if (!(window.time[i] <= checkpoint.pairs.anchor) ||
        (i > 0 && !(window.time[i - 1] <= window.time[i])) || window.actor[i] >= people ||
        static_cast<int>(window.kind[i]) >= kKindCount ||
        window.target_offset[i] > window.target_offset[i + 1]) {
      return corrupt(fmt::format("window event {} is out of order or names nothing", i));
    }
  }
  for (const PersonIndex target : window.targets) {
    if (target >= people) return corrupt("a window event targets no person");
  }
  return checkpoint;
}

}  // namespace rapport::score
