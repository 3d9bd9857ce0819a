#include "rapport/score/incremental.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <thread>
#include <utility>

#include "rapport/core/time.h"
#include "rapport/score/volume.h"

namespace rapport::score {

double CheckpointAnchor(const TieConfig& tie, double as_of) {
  return as_of - DecayOf(tie).recent_hold_days * kSecondsPerDay;
}

ScoreCheckpointView ViewOf(const ScoreCheckpoint& checkpoint) {
  const VolumeEvents& window = checkpoint.window;
  return {graph::ViewOf(checkpoint.pairs),
          checkpoint.person_id,
          checkpoint.active,
          {window.time, window.actor, window.kind, window.target_offset, window.targets}};
}

std::string WhyNotContinue(const ScoreCheckpointView& checkpoint, const TieConfig& tie,
                           double as_of, const std::vector<int64_t>& people_now) {
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

namespace {

// The volume components of every person and who is active by as_of (AggregateEvents), and with
// `pause` its window events, people and activity.
void AggregateVolume(const EventLog& log, const Config& config, double as_of,
                     const ScoreCheckpointView* resume, ScoreCheckpoint* pause,
                     EventAggregates& aggregates) {
  const size_t people = log.person_count();
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
    const VolumeEventsView& window = resume->window;
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
}

}  // namespace

EventAggregates AggregateEvents(const EventLog& log, const Config& config, double as_of,
                                const ScoreCheckpointView* resume, ScoreCheckpoint* pause) {
  EventAggregates aggregates;
  // The volume score is read on a thread of its own while the pairs are aggregated on every
  // thread: one writes aggregates.volume, .active and pause's window and people, the other
  // aggregates.pairs and pause->pairs. The volume pass is serial (events in time order).
  std::thread volume([&] { AggregateVolume(log, config, as_of, resume, pause, aggregates); });
  aggregates.pairs = graph::AggregatePairs(
      log, config.effort, DecayOf(config.tie), as_of,
      {resume != nullptr ? &resume->pairs : nullptr, pause != nullptr ? &pause->pairs : nullptr});
  volume.join();
  return aggregates;
}

// The checkpoint's bytes, in this machine's layout (a checkpoint never leaves the store it was
// made for), every array at an offset aligned for its type:
//   header: "RAPCKPT2", f64 anchor, u64 people, u64 pairs, u64 window events, u64 window targets,
//           u32 bytes of a pair state, u32 zero
//   people x i64 person id, pairs x graph::PairState as in memory, events x f64 time,
//   (events + 1) x u64 target offset, events x u32 actor, targets x u32 target,
//   people x u8 active, events x u8 kind.
namespace {

constexpr std::string_view kMagic = "RAPCKPT2";
static_assert(sizeof(graph::PairState) % 8 == 0 && alignof(graph::PairState) == 8);

struct Counts {
  uint64_t people = 0, pairs = 0, events = 0, targets = 0;
};

// The sections after the header, in order, as byte sizes.
std::array<uint64_t, 8> SectionBytes(const Counts& n) {
  return {n.people * 8, n.pairs * sizeof(graph::PairState),
          n.events * 8, (n.events + 1) * 8,
          n.events * 4, n.targets * 4,
          n.people,     n.events};
}

template <typename T>
std::string_view BytesOf(std::span<const T> values) {
  return {reinterpret_cast<const char*>(values.data()), values.size_bytes()};
}

// `bytes` at `at` as an array of T. REQUIRES: `at` aligned for T.
template <typename T>
std::span<const T> SpanAt(const char* at, uint64_t bytes) {
  return {reinterpret_cast<const T*>(at), bytes / sizeof(T)};
}

}  // namespace

SerializedCheckpoint::SerializedCheckpoint(const ScoreCheckpoint& checkpoint)
    : checkpoint_(checkpoint) {
  const uint64_t head[] = {checkpoint.person_id.size(), checkpoint.pairs.pairs.size(),
                           checkpoint.window.size(), checkpoint.window.targets.size()};
  const double anchor = checkpoint.anchor();
  const uint32_t layout[] = {sizeof(graph::PairState), 0};
  std::memcpy(header_, kMagic.data(), 8);
  std::memcpy(header_ + 8, &anchor, 8);
  std::memcpy(header_ + 16, head, sizeof head);
  std::memcpy(header_ + 48, layout, sizeof layout);
}

std::vector<std::string_view> SerializedCheckpoint::pieces() const {
  const ScoreCheckpoint& c = checkpoint_;
  const VolumeEvents& window = c.window;
  return {std::string_view(header_, kHeaderBytes),  BytesOf(std::span(c.person_id)),
          BytesOf(std::span(c.pairs.pairs)),        BytesOf(std::span(window.time)),
          BytesOf(std::span(window.target_offset)), BytesOf(std::span(window.actor)),
          BytesOf(std::span(window.targets)),       BytesOf(std::span(c.active)),
          BytesOf(std::span(window.kind))};
}

std::string SerializedCheckpoint::Join() const {
  std::string out;
  for (const std::string_view piece : pieces()) out.append(piece);
  return out;
}

uint64_t CheckpointPairCount(std::string_view header) {
  if (!header.starts_with(kMagic) || header.size() < SerializedCheckpoint::kHeaderBytes) return 0;
  Counts n;
  std::memcpy(&n, header.data() + 16, sizeof n);
  return n.pairs;
}

Result<ScoreCheckpointView> ParseCheckpoint(std::string_view bytes) {
  const auto corrupt = [](std::string_view what) {
    return DataLoss(
        fmt::format("the score checkpoint is corrupt ({}); `rapport score --full` "
                    "scores from every event and writes a new one",
                    what));
  };
  if (bytes.starts_with("RAPCKPT1")) {
    return DataLoss("the score checkpoint is in an earlier version's layout");
  }
  if (!bytes.starts_with(kMagic)) return corrupt("no RAPCKPT2 header");
  if (bytes.size() < SerializedCheckpoint::kHeaderBytes) return corrupt("truncated header");
  if (reinterpret_cast<uintptr_t>(bytes.data()) % 8 != 0) return corrupt("misaligned in memory");
  double anchor = 0;
  Counts n;
  uint32_t layout[2] = {0, 0};
  std::memcpy(&anchor, bytes.data() + 8, 8);
  std::memcpy(&n, bytes.data() + 16, sizeof n);
  std::memcpy(layout, bytes.data() + 48, sizeof layout);
  if (layout[0] != sizeof(graph::PairState) || layout[1] != 0) {
    return corrupt("pair states of another layout");
  }
  // Every count bounded by the size before any product of them is taken.
  const uint64_t body = bytes.size() - SerializedCheckpoint::kHeaderBytes;
  if (n.people > body || n.pairs > body || n.events > body || n.targets > body) {
    return corrupt("counts larger than the file");
  }
  const std::array<uint64_t, 8> section = SectionBytes(n);
  uint64_t total = 0;
  for (const uint64_t size : section) total += size;
  if (total != body) return corrupt("the counts do not match the size");
  std::array<const char*, 8> at{};
  at[0] = bytes.data() + SerializedCheckpoint::kHeaderBytes;
  for (size_t i = 1; i < at.size(); ++i) at[i] = at[i - 1] + section[i - 1];

  ScoreCheckpointView view;
  view.pairs.anchor = anchor;
  view.person_id = SpanAt<int64_t>(at[0], section[0]);
  view.pairs.pairs = SpanAt<graph::PairState>(at[1], section[1]);
  VolumeEventsView& window = view.window;
  window.time = SpanAt<double>(at[2], section[2]);
  window.target_offset = SpanAt<uint64_t>(at[3], section[3]);
  window.actor = SpanAt<PersonIndex>(at[4], section[4]);
  window.targets = SpanAt<PersonIndex>(at[5], section[5]);
  view.active = SpanAt<uint8_t>(at[6], section[6]);
  window.kind = SpanAt<Kind>(at[7], section[7]);

  const uint64_t people = n.people;
  const std::span<const graph::PairState> pairs = view.pairs.pairs;
  const auto pair_count = static_cast<int64_t>(pairs.size());
  int64_t first_bad_pair = pair_count;
#pragma omp parallel for schedule(static) reduction(min : first_bad_pair) if (pair_count > 100000)
  for (int64_t i = 0; i < pair_count; ++i) {
    const graph::PairRecord& r = pairs[static_cast<size_t>(i)].record;
    const graph::PairRecord* previous = i > 0 ? &pairs[static_cast<size_t>(i) - 1].record : nullptr;
    if (r.u >= r.v || r.v >= people ||
        (previous != nullptr && std::pair(previous->u, previous->v) >= std::pair(r.u, r.v))) {
      first_bad_pair = std::min(first_bad_pair, i);
    }
  }
  if (first_bad_pair < pair_count) {
    return corrupt(fmt::format("pair {} is out of order or names no person", first_bad_pair));
  }
  if (window.target_offset.front() != 0 || window.target_offset.back() != n.targets) {
    return corrupt("the window's targets do not match the size");
  }
  for (size_t i = 0; i < window.size(); ++i) {
    if (!(window.time[i] <= anchor) || (i > 0 && !(window.time[i - 1] <= window.time[i])) ||
        window.actor[i] >= people || static_cast<int>(window.kind[i]) >= kKindCount ||
        window.target_offset[i] > window.target_offset[i + 1]) {
      return corrupt(fmt::format("window event {} is out of order or names nothing", i));
    }
  }
  for (const PersonIndex target : window.targets) {
    if (target >= people) return corrupt("a window event targets no person");
  }
  return view;
}

}  // namespace rapport::score
