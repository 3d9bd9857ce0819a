#include "shard.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "rapport/ingest/binary_events.h"
#include "rapport/ingest/reader.h"

namespace rapport::distributed {
namespace {

constexpr int kOrderFileShift = 40;  // order = file << 40 | event number in the file

Status ReadBinaryShare(const ScoreOptions& options, const Communicator& comm, Shard& shard) {
  const auto files = static_cast<int>(options.inputs.size());
  const int ranks = comm.size(), rank = comm.rank();
  // At least a file per rank: whole files. Fewer: every rank reads all, keeps every ranks-th.
  const bool whole_files = files >= ranks;
  const int first_file = whole_files ? rank * files / ranks : 0;
  const int end_file = whole_files ? (rank + 1) * files / ranks : files;
  uint64_t seen = 0;  // accepted events so far, over the files this rank reads
  PersonIndex max_person = 0;
  bool any = false;
  for (int f = first_file; f < end_file; ++f) {
    const std::string& path = options.inputs[f];
    uint64_t in_file = 0;
    RAPPORT_ASSIGN_OR_RETURN(
        ingest::BinaryReadCounts counts,
        ingest::ReadBinaryEvents(
            path,
            [&](const ingest::BinaryEvent& event) {
              max_person = std::max(max_person, event.actor);
              for (uint32_t target : event.targets) max_person = std::max(max_person, target);
              any = true;
              if (whole_files || seen % ranks == static_cast<uint64_t>(rank)) {
                ingest::AppendEvent(shard.log, event);
                shard.order.push_back((uint64_t(f) << kOrderFileShift) | in_file);
              }
              ++seen;
              ++in_file;
              return Status::Ok();
            },
            [&](ingest::BinaryReject&& reject) {
              if (shard.first_reject.empty()) {
                shard.first_reject =
                    fmt::format("{}, byte {}: {}", path, reject.offset, reject.reason);
              }
            }));
    // When every rank reads every file, rank 0 alone counts the rejects.
    if (whole_files || rank == 0) shard.rejected += counts.rejected;
  }
  shard.person_count = any ? uint64_t{max_person} + 1 : 0;  // this rank's; the job's is the max
  return Status::Ok();
}

Status ReadTextShare(const ScoreOptions& options, const Communicator& comm, Shard& shard) {
  ingest::ReadOptions read_options;
  RAPPORT_ASSIGN_OR_RETURN(read_options.format, ingest::ParseFormat(options.input_format));
  std::vector<Event> events;
  for (const std::string& path : options.inputs) {
    RAPPORT_RETURN_IF_ERROR(ingest::ReadFile(
                                path, read_options,
                                [&events](Event&& event) {
                                  events.push_back(std::move(event));
                                  return Status::Ok();
                                },
                                [&shard](ingest::Reject&& reject) {
                                  if (shard.rejected++ == 0) {
                                    shard.first_reject = fmt::format("{}:{}: {}", reject.file,
                                                                     reject.line, reject.reason);
                                  }
                                })
                                .status());
  }
  if (comm.rank() != 0) shard.rejected = 0;  // every rank saw them all; rank 0 counts
  EventLog log = EventLogFromEvents(events);
  const auto ranks = static_cast<size_t>(comm.size());
  for (size_t e = static_cast<size_t>(comm.rank()); e < log.event_count(); e += ranks) {
    shard.log.AppendFrom(log, e);
    shard.order.push_back(e);
  }
  shard.person_count = log.person_count();
  shard.person_id = std::move(log.person_id);
  shard.person_name = std::move(log.person_name);
  return Status::Ok();
}

// Orders the shard's events by (time, order), as the single-process log is ordered.
void SortShard(Shard& shard) {
  const EventLog& log = shard.log;
  const size_t n = log.event_count();
  auto before = [&](size_t a, size_t b) {
    return log.time[a] != log.time[b] ? log.time[a] < log.time[b] : shard.order[a] < shard.order[b];
  };
  bool sorted = true;
  for (size_t e = 1; e < n && sorted; ++e) sorted = !before(e, e - 1);
  if (sorted) return;
  std::vector<size_t> by_time(n);
  std::iota(by_time.begin(), by_time.end(), size_t{0});
  std::sort(by_time.begin(), by_time.end(), before);
  EventLog in_order;
  std::vector<uint64_t> order;
  order.reserve(n);
  for (size_t e : by_time) {
    in_order.AppendFrom(log, e);
    order.push_back(shard.order[e]);
  }
  shard.log = std::move(in_order);
  shard.order = std::move(order);
}

}  // namespace

Status ReadShare(const ScoreOptions& options, const Communicator& comm, Shard& shard) {
  bool binary = false, text = false;
  for (const std::string& path : options.inputs) (ingest::LooksBinary(path) ? binary : text) = true;
  if (binary && text) {
    return InvalidArgument(
        "--input mixes binary event files with text formats; give one kind (convert the text "
        "files with `rapport import` and score the store, or score them apart)");
  }
  RAPPORT_RETURN_IF_ERROR(binary ? ReadBinaryShare(options, comm, shard)
                                 : ReadTextShare(options, comm, shard));
  SortShard(shard);
  return Status::Ok();
}

}  // namespace rapport::distributed
