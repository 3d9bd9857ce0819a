// The batch path of `score --input FILE...`: events straight from files to scoring, without the
// store. Binary event files (.bin, ingest/binary_events.h) stream: a first pass finds the newest
// time (the default as_of), the number of people and the chunks, a second reads the chunks in
// parallel into the pair aggregator without keeping the events, so memory holds contacts and
// pairs, never the events.
// Any other format goes through its reader into an EventLog, identities becoming people one to
// one (no identity resolution: that is the store's job). Rejected records are counted and the
// first is shown, as in `import`.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <limits>
#include <numeric>
#include <utility>

#include "context.h"
#include "rapport/ingest/binary_events.h"
#include "rapport/ingest/reader.h"
#include "rapport/score/volume.h"

namespace rapport::cli {
namespace {

// A stretch of one input file that one thread reads in pass 2, with the census of its contacts:
// the chunks of PairAggregator.
struct Chunk {
  size_t file = 0;
  uint64_t begin = 0, end = UINT64_MAX;  // byte offsets of its first record and of the next chunk's
  uint64_t events = 0;
  graph::PairAggregator::Census census;
};

// Events a chunk holds: at least 2^16 (small inputs are read whole), and at most 64 chunks.
// The result does not depend on the chunks: PairAggregator keeps the file's order, and the
// volume window is replayed in it.
constexpr uint64_t kMinChunkEvents = uint64_t{1} << 16;
constexpr uint64_t kMaxChunks = 64;

// The events of a chunk inside the volume window, replayed into the one VolumeAccumulator in
// chunk order after the parallel pass: its sums come out as one serial pass would make them.
struct WindowEvents {
  struct Entry {
    double time;
    PersonIndex actor;
    Kind kind;
    uint32_t first_target, target_count;
  };
  std::vector<Entry> entries;
  std::vector<PersonIndex> targets;
};

}  // namespace

Result<StreamedBatch> StreamBinaryInputs(const std::vector<std::string>& paths,
                                         const Config& config, std::optional<double> as_of) {
  auto begin = std::chrono::steady_clock::now();
  auto seconds_since = [&begin] {
    const auto now = std::chrono::steady_clock::now();
    return std::chrono::duration<double>(now - std::exchange(begin, now)).count();
  };
  uint64_t input_bytes = 0;
  for (const std::string& path : paths) {
    std::error_code error;
    input_bytes += std::filesystem::file_size(path, error);
  }
  // A single-target record takes 28 bytes.
  const uint64_t chunk_events = std::max(kMinChunkEvents, input_bytes / 28 / kMaxChunks);

  // Pass 1: the newest time, the highest person number, the chunks with their contact census,
  // and the rejects (reported once).
  std::vector<Chunk> chunks;
  double newest = -std::numeric_limits<double>::infinity();
  uint64_t people = 0, events = 0, rejected = 0;
  std::string first_reject;
  for (size_t file = 0; file < paths.size(); ++file) {
    const std::string& path = paths[file];
    bool file_started = false;
    RAPPORT_ASSIGN_OR_RETURN(const ingest::BinaryReadCounts counts,
                             ingest::ReadBinaryEvents(
                                 path,
                                 [&](const ingest::BinaryEvent& event) {
                                   if (!file_started || chunks.back().events == chunk_events) {
                                     if (file_started) chunks.back().end = event.offset;
                                     chunks.emplace_back();
                                     chunks.back().file = file;
                                     chunks.back().begin = event.offset;
                                     file_started = true;
                                   }
                                   Chunk& chunk = chunks.back();
                                   ++chunk.events;
                                   chunk.census.Add(event.actor, event.targets);
                                   newest = std::max(newest, event.time);
                                   people = std::max<uint64_t>(people, uint64_t{event.actor} + 1);
                                   for (const uint32_t target : event.targets) {
                                     people = std::max<uint64_t>(people, uint64_t{target} + 1);
                                   }
                                   return Status::Ok();
                                 },
                                 [&](ingest::BinaryReject&& reject) {
                                   if (first_reject.empty()) {
                                     first_reject = fmt::format("{}, byte {}: {}", path,
                                                                reject.offset, reject.reason);
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

  // Pass 2: the chunks in parallel, each into its slices of the pair aggregator's partitions;
  // every event at or before as_of counts.
  StreamedBatch batch;
  batch.as_of = as_of.value_or(newest);
  std::vector<graph::PairAggregator::Census> census(chunks.size());
  for (size_t c = 0; c < chunks.size(); ++c) census[c] = std::move(chunks[c].census);
  graph::PairAggregator pairs(people, config.effort, score::DecayOf(config.tie), batch.as_of,
                              census);
  census.clear();
  score::VolumeAccumulator volume(people, config.volume, batch.as_of);
  std::vector<WindowEvents> window(chunks.size());
  std::vector<uint8_t>& active = batch.aggregates.active;
  active.assign(people, 0);
  std::vector<Status> read(chunks.size());
  std::vector<uint64_t> events_read(chunks.size(), 0);
  const auto chunk_count = static_cast<int64_t>(chunks.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t c = 0; c < chunk_count; ++c) {
    const Chunk& chunk = chunks[c];
    WindowEvents& in_window = window[c];
    const auto mark_active = [&active](PersonIndex p) {
      std::atomic_ref<uint8_t>(active[p]).store(1, std::memory_order_relaxed);
    };
    read[c] = ingest::ReadBinaryEventRange(
                  paths[chunk.file], chunk.begin, chunk.end,
                  [&](const ingest::BinaryEvent& event) {
                    if (!(event.time <= batch.as_of)) return Status::Ok();
                    ++events_read[c];
                    mark_active(event.actor);
                    for (const uint32_t target : event.targets) mark_active(target);
                    if (volume.Counts(event.time)) {
                      in_window.entries.push_back({event.time, event.actor, event.kind,
                                                   static_cast<uint32_t>(in_window.targets.size()),
                                                   static_cast<uint32_t>(event.targets.size())});
                      in_window.targets.insert(in_window.targets.end(), event.targets.begin(),
                                               event.targets.end());
                    }
                    pairs.Add(c, {event.time, event.actor, event.kind, event.channel,
                                  event.is_private, event.duration,
                                  event.has_effort ? double{event.effort}
                                                   : std::numeric_limits<double>::quiet_NaN(),
                                  event.valence, event.targets});
                    return Status::Ok();
                  },
                  [](ingest::BinaryReject&&) {})
                  .status();
  }
  for (int64_t c = 0; c < chunk_count; ++c) {
    RAPPORT_RETURN_IF_ERROR(read[c]);
    batch.events += static_cast<int64_t>(events_read[c]);
    for (const WindowEvents::Entry& entry : window[c].entries) {
      volume.Add(entry.time, entry.actor, entry.kind,
                 std::span(window[c].targets).subspan(entry.first_target, entry.target_count));
    }
    window[c] = {};
  }
  fmt::print(stderr,
             "read {} events ({} contacts) at or before as_of in {:.1f} s ({} chunk(s) in "
             "parallel)\n",
             batch.events, pairs.contact_count(), seconds_since(), chunks.size());
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
