// The batch path of `score --input FILE...`: events straight from files to scoring, without the
// store. Binary event files (.bin, ingest/binary_events.h) stream: a first pass finds the newest
// time (the default as_of) and the number of people, a second feeds each event to the pair and
// volume aggregators without keeping it, so memory holds contacts and pairs, never the events.
// Any other format goes through its reader into an EventLog, identities becoming people one to
// one (no identity resolution: that is the store's job). Rejected records are counted and the
// first is shown, as in `import`.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <numeric>
#include <utility>

#include "context.h"
#include "rapport/ingest/binary_events.h"
#include "rapport/ingest/reader.h"
#include "rapport/score/volume.h"

namespace rapport::cli {

Result<StreamedBatch> StreamBinaryInputs(const std::vector<std::string>& paths,
                                         const Config& config, std::optional<double> as_of) {
  auto begin = std::chrono::steady_clock::now();
  auto seconds_since = [&begin] {
    const auto now = std::chrono::steady_clock::now();
    return std::chrono::duration<double>(now - std::exchange(begin, now)).count();
  };
  // Pass 1: the newest time, the highest person number, the contact census, and the rejects
  // (reported once).
  graph::PairAggregator::Census census;
  double newest = -std::numeric_limits<double>::infinity();
  uint64_t people = 0, events = 0, rejected = 0;
  std::string first_reject;
  for (const std::string& path : paths) {
    RAPPORT_ASSIGN_OR_RETURN(
        const ingest::BinaryReadCounts counts,
        ingest::ReadBinaryEvents(
            path,
            [&](const ingest::BinaryEvent& event) {
              newest = std::max(newest, event.time);
              census.Add(event.actor, event.targets);
              people = std::max<uint64_t>(people, uint64_t{event.actor} + 1);
              for (const uint32_t target : event.targets) {
                people = std::max<uint64_t>(people, uint64_t{target} + 1);
              }
              return Status::Ok();
            },
            [&](ingest::BinaryReject&& reject) {
              if (first_reject.empty()) {
                first_reject = fmt::format("{}, byte {}: {}", path, reject.offset, reject.reason);
              }
            }));
    events += counts.accepted;
    rejected += counts.rejected;
  }
  if (rejected > 0) {
    fmt::print(stderr, "{} records rejected; the first: {}\n", rejected, first_reject);
  }
  if (events == 0) return InvalidArgument("--input holds no events");
  fmt::print(stderr, "scanned {} events among {} people in {} file(s) in {:.1f} s\n", events,
             people, paths.size(), seconds_since());

  // Pass 2: every event at or before as_of into the aggregators.
  StreamedBatch batch;
  batch.as_of = as_of.value_or(newest);
  graph::PairAggregator pairs(people, config.effort, score::DecayOf(config.tie), batch.as_of,
                              &census);
  score::VolumeAccumulator volume(people, config.volume, batch.as_of);
  std::vector<uint8_t>& active = batch.aggregates.active;
  active.assign(people, 0);
  for (const std::string& path : paths) {
    RAPPORT_RETURN_IF_ERROR(ingest::ReadBinaryEvents(
                                path,
                                [&](const ingest::BinaryEvent& event) {
                                  if (!(event.time <= batch.as_of)) return Status::Ok();
                                  ++batch.events;
                                  active[event.actor] = 1;
                                  for (const uint32_t target : event.targets) active[target] = 1;
                                  volume.Add(event.time, event.actor, event.kind, event.targets);
                                  pairs.Add({event.time, event.actor, event.kind, event.channel,
                                             event.is_private, event.duration,
                                             event.has_effort
                                                 ? double{event.effort}
                                                 : std::numeric_limits<double>::quiet_NaN(),
                                             event.valence, event.targets});
                                  return Status::Ok();
                                },
                                [](ingest::BinaryReject&&) {})
                                .status());
  }
  fmt::print(stderr, "read {} events ({} contacts) at or before as_of in {:.1f} s\n",
             batch.events, pairs.contact_count(), seconds_since());
  batch.aggregates.volume = std::move(volume).Finish();
  batch.aggregates.pairs = std::move(pairs).Finish();
  batch.person_id.resize(people);
  std::iota(batch.person_id.begin(), batch.person_id.end(), int64_t{0});
  fmt::print(stderr, "  aggregate pairs: {:.1f} s\n", seconds_since());
  return batch;
}

Result<EventLog> LoadTextInputs(const std::vector<std::string>& paths,
                                const std::string& input_format) {
  const auto begin = std::chrono::steady_clock::now();
  ingest::ReadOptions options;
  RAPPORT_ASSIGN_OR_RETURN(options.format, ingest::ParseFormat(input_format));
  std::vector<Event> events;
  int64_t rejected = 0;
  std::string first_reject;
  for (const std::string& path : paths) {
    RAPPORT_RETURN_IF_ERROR(ingest::ReadFile(
                                path, options,
                                [&events](Event&& event) {
                                  events.push_back(std::move(event));
                                  return Status::Ok();
                                },
                                [&](ingest::Reject&& reject) {
                                  if (rejected++ == 0) {
                                    first_reject = fmt::format("{}:{}: {}", reject.file,
                                                               reject.line, reject.reason);
                                  }
                                })
                                .status());
  }
  EventLog log = EventLogFromEvents(events);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  fmt::print(stderr, "read {} events among {} people from {} file(s) in {:.1f} s ({:.1f} M/s)\n",
             log.event_count(), log.person_count(), paths.size(), seconds,
             static_cast<double>(log.event_count()) / std::max(seconds, 1e-9) / 1e6);
  if (rejected > 0) {
    fmt::print(stderr, "{} records rejected; the first: {}\n", rejected, first_reject);
  }
  return log;
}

}  // namespace rapport::cli
