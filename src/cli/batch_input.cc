// The batch path of `score --input FILE...`: events straight from files to scoring, without the
// store. Binary event files (.bin, ingest/binary_events.h) stream: a first pass finds the newest
// time (the default as_of), the number of people and the chunks, a second reads the chunks in
// parallel into the pair aggregator without keeping the events, so memory holds contacts and
// pairs, never the events; the contacts beyond half of memory wait in a temporary file instead
// (SpillOptions).
// Any other format goes through its reader into an EventLog, identities becoming people one to
// one (no identity resolution: that is the store's job). Rejected records are counted and the
// first is shown, as in `import`.
#include <fmt/format.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iterator>
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

// What pass 1 learns from a stretch of a file.
struct Scan {
  std::vector<Chunk> chunks;
  double newest = -std::numeric_limits<double>::infinity();
  uint64_t people = 0;
  ingest::BinaryReadCounts counts;
  std::string first_reject;
};

// Pass 1 over the records of file number `file` that start in [begin, end), cut into chunks of
// `chunk_events` events; the last chunk ends at `end`.
Result<Scan> ScanStretch(const std::string& path, size_t file, uint64_t begin, uint64_t end,
                         uint64_t chunk_events) {
  Scan scan;
  std::vector<Chunk>& chunks = scan.chunks;
  RAPPORT_ASSIGN_OR_RETURN(
      scan.counts, ingest::ReadBinaryEventRange(
                       path, begin, end,
                       [&](const ingest::BinaryEvent& event) {
                         if (chunks.empty() || chunks.back().events == chunk_events) {
                           if (!chunks.empty()) chunks.back().end = event.offset;
                           chunks.emplace_back();
                           chunks.back().file = file;
                           chunks.back().begin = event.offset;
                         }
                         Chunk& chunk = chunks.back();
                         ++chunk.events;
                         chunk.census.Add(event.actor, event.targets);
                         scan.newest = std::max(scan.newest, event.time);
                         scan.people = std::max<uint64_t>(scan.people, uint64_t{event.actor} + 1);
                         for (const uint32_t target : event.targets) {
                           scan.people = std::max<uint64_t>(scan.people, uint64_t{target} + 1);
                         }
                         return Status::Ok();
                       },
                       [&](ingest::BinaryReject&& reject) {
                         if (scan.first_reject.empty()) {
                           scan.first_reject =
                               fmt::format("{}, byte {}: {}", path, reject.offset, reject.reason);
                         }
                       }));
  if (!chunks.empty()) chunks.back().end = end;
  return scan;
}

// Files from this size are scanned by every thread, each from its share of the bytes.
constexpr uint64_t kParallelScanBytes = uint64_t{4} << 20;

// Pass 1 over one file, in one stretch a thread when it is large. Each stretch but the first
// starts where ingest::FindRecordStart finds a record after its share of the bytes; that guess
// holds only if the stretch before stopped exactly there, and the file is scanned again in one
// stretch when it does not.
Result<std::vector<Scan>> ScanFile(const std::string& path, size_t file, uint64_t chunk_events) {
  std::error_code error;
  const uint64_t size = std::filesystem::file_size(path, error);
#ifdef _OPENMP
  const auto threads = static_cast<uint64_t>(omp_get_max_threads());
#else
  const uint64_t threads = 1;
#endif
  std::vector<uint64_t> cuts = {0};
  if (!error && size >= kParallelScanBytes) {
    for (uint64_t k = 1; k < threads; ++k) {
      const Result<uint64_t> start = ingest::FindRecordStart(path, size * k / threads);
      if (start.ok() && *start > cuts.back()) cuts.push_back(*start);
    }
  }
  cuts.push_back(UINT64_MAX);
  const auto stretch_count = static_cast<int64_t>(cuts.size() - 1);
  std::vector<Scan> scans(cuts.size() - 1);
  std::vector<Status> scanned(cuts.size() - 1);
#pragma omp parallel for schedule(static, 1) if (stretch_count > 1)
  for (int64_t k = 0; k < stretch_count; ++k) {
    Result<Scan> scan = ScanStretch(path, file, cuts[k], cuts[k + 1], chunk_events);
    if (scan.ok()) {
      scans[k] = std::move(scan).value();
    } else {
      scanned[k] = scan.status();
    }
  }
  for (const Status& status : scanned) RAPPORT_RETURN_IF_ERROR(status);
  for (int64_t k = 0; k + 1 < stretch_count; ++k) {
    if (scans[k].counts.next_offset != cuts[k + 1]) {
      RAPPORT_ASSIGN_OR_RETURN(Scan whole, ScanStretch(path, file, 0, UINT64_MAX, chunk_events));
      scans.clear();
      scans.push_back(std::move(whole));
      break;
    }
  }
  return scans;
}

std::string SpillDirectory(const SpillOptions& options) {
  if (!options.directory.empty()) return options.directory;
  const char* tmpdir = std::getenv("TMPDIR");
  return tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
}

// A failure of the spill file, with what to do about it.
Status WithSpillHint(const Status& status) {
  if (status.ok()) return status;
  return {status.code(), status.message() +
                             " (give a writable directory with room for the contacts, 32 bytes "
                             "each, with --spill-dir, or keep them in memory with --spill never)"};
}

// The spill file, when the options or the contacts' size call for one: in auto mode, the
// contacts beyond half of memory go to the file.
Result<std::optional<graph::PairAggregator::ContactSpill>> SpillFor(uint64_t contacts,
                                                                    const SpillOptions& options) {
  const uint64_t memory =
      static_cast<uint64_t>(sysconf(_SC_PHYS_PAGES)) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
  const uint64_t keep_in_memory = options.mode == SpillOptions::Mode::kAlways ? 0 : memory / 2;
  if (options.mode == SpillOptions::Mode::kNever ||
      contacts * graph::PairAggregator::kContactBytes <= keep_in_memory) {
    return std::optional<graph::PairAggregator::ContactSpill>();
  }
  Result<graph::PairAggregator::ContactSpill> file =
      graph::PairAggregator::ContactSpill::Create(SpillDirectory(options), keep_in_memory);
  if (!file.ok()) return WithSpillHint(file.status());
  return std::optional(std::move(file).value());
}

}  // namespace

Result<StreamedBatch> StreamBinaryInputs(const std::vector<std::string>& paths,
                                         const Config& config, std::optional<double> as_of,
                                         const SpillOptions& spill_options) {
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
  size_t stretches = 0;
  std::string first_reject;
  for (size_t file = 0; file < paths.size(); ++file) {
    RAPPORT_ASSIGN_OR_RETURN(std::vector<Scan> scans, ScanFile(paths[file], file, chunk_events));
    stretches += scans.size();
    for (Scan& scan : scans) {
      chunks.insert(chunks.end(), std::make_move_iterator(scan.chunks.begin()),
                    std::make_move_iterator(scan.chunks.end()));
      newest = std::max(newest, scan.newest);
      people = std::max(people, scan.people);
      events += scan.counts.accepted;
      rejected += scan.counts.rejected;
      if (first_reject.empty()) first_reject = std::move(scan.first_reject);
    }
  }
  if (rejected > 0) {
    fmt::print(stderr, "{} records rejected; the first: {}\n", rejected, first_reject);
  }
  if (events == 0) return InvalidArgument("--input holds no events");
  fmt::print(stderr,
             "scanned {} events among {} people in {} file(s) in {:.1f} s ({} stretch(es) "
             "in parallel)\n",
             events, people, paths.size(), seconds_since(), stretches);

  // Pass 2: the chunks in parallel, each into its slices of the pair aggregator's partitions;
  // every event at or before as_of counts.
  StreamedBatch batch;
  batch.as_of = as_of.value_or(newest);
  std::vector<graph::PairAggregator::Census> census(chunks.size());
  uint64_t census_contacts = 0;
  for (size_t c = 0; c < chunks.size(); ++c) {
    census[c] = std::move(chunks[c].census);
    census_contacts += census[c].contacts();
  }
  RAPPORT_ASSIGN_OR_RETURN(std::optional<graph::PairAggregator::ContactSpill> spill,
                           SpillFor(census_contacts, spill_options));
  graph::PairAggregator pairs(people, config.effort, score::DecayOf(config.tie), batch.as_of,
                              census, std::move(spill));
  if (pairs.spilling()) {
    fmt::print(
        stderr, "{} of {} contacts ({:.1f} GB) wait in a temporary file in {}\n",
        pairs.spill_capacity(), census_contacts,
        static_cast<double>(pairs.spill_capacity() * graph::PairAggregator::kContactBytes) / 1e9,
        SpillDirectory(spill_options));
  }
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
    if (read[c].ok()) read[c] = WithSpillHint(pairs.EndChunk(c));
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
  Result<graph::PairTable> table = std::move(pairs).Finish();
  if (!table.ok()) return WithSpillHint(table.status());
  batch.aggregates.pairs = std::move(table).value();
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
