// The batch path of `score --input FILE...`: events straight from files to scoring, without the
// store. Binary event files (.bin, ingest/binary_events.h) load column by column with numeric
// people; any other format goes through its reader, identities becoming people one to one (no
// identity resolution: that is the store's job). Rejected records are counted and the first is
// shown, as in `import`.
#include <fmt/format.h>

#include <chrono>
#include <limits>

#include "context.h"
#include "rapport/ingest/binary_events.h"
#include "rapport/ingest/reader.h"

namespace rapport::cli {
namespace {

// Appends `more` (binary-numbered people) to `log`.
void AppendLog(EventLog& log, EventLog&& more) {
  if (log.time.empty() && log.person_id.empty()) {
    log = std::move(more);
    return;
  }
  const uint64_t target_base = log.targets.size();
  const auto id_base = static_cast<int64_t>(log.event_id.size());
  for (int64_t& id : more.event_id) id += id_base;
  auto append = [](auto& into, auto& from) { into.insert(into.end(), from.begin(), from.end()); };
  append(log.event_id, more.event_id);
  append(log.time, more.time);
  append(log.channel, more.channel);
  append(log.kind, more.kind);
  append(log.actor, more.actor);
  append(log.is_private, more.is_private);
  append(log.duration, more.duration);
  append(log.effort_override, more.effort_override);
  append(log.valence, more.valence);
  append(log.targets, more.targets);
  for (size_t e = 1; e < more.target_offset.size(); ++e) {
    log.target_offset.push_back(target_base + more.target_offset[e]);
  }
  if (more.person_id.size() > log.person_id.size()) {
    log.person_id = std::move(more.person_id);
    log.person_name = std::move(more.person_name);
  }
}

}  // namespace

Result<EventLog> LoadBatchInputs(const std::vector<std::string>& paths,
                                 const std::string& input_format) {
  const auto begin = std::chrono::steady_clock::now();
  int binary_files = 0;
  for (const std::string& path : paths) binary_files += ingest::LooksBinary(path) ? 1 : 0;
  if (binary_files != 0 && binary_files != static_cast<int>(paths.size())) {
    return InvalidArgument(
        "--input mixes binary event files with text formats; people are numbers in one and "
        "identities in the other. Import the text files into a store instead, or convert them");
  }
  EventLog log;
  int64_t rejected = 0;
  std::string first_reject;
  if (binary_files > 0) {
    for (const std::string& path : paths) {
      RAPPORT_ASSIGN_OR_RETURN(ingest::BinaryLog part, ingest::ReadBinaryEventLog(path));
      rejected += static_cast<int64_t>(part.counts.rejected);
      if (first_reject.empty() && !part.rejects.empty()) {
        first_reject = fmt::format("{}, byte {}: {}", path, part.rejects.front().offset,
                                   part.rejects.front().reason);
      }
      AppendLog(log, std::move(part.log));
    }
    if (paths.size() > 1) {
      // Several files: they must follow one another in time.
      bool sorted = true;
      for (size_t e = 1; e < log.time.size() && sorted; ++e)
        sorted = log.time[e - 1] <= log.time[e];
      if (!sorted) {
        return InvalidArgument(
            "the binary --input files overlap in time; give them in time order (as `gen` writes "
            "them) or concatenate and re-sort them");
      }
    }
  } else {
    ingest::ReadOptions options;
    RAPPORT_ASSIGN_OR_RETURN(options.format, ingest::ParseFormat(input_format));
    std::vector<Event> events;
    for (const std::string& path : paths) {
      RAPPORT_ASSIGN_OR_RETURN(ingest::ReadCounts counts, ingest::ReadFile(
                                                              path, options,
                                                              [&events](Event&& event) {
                                                                events.push_back(std::move(event));
                                                                return Status::Ok();
                                                              },
                                                              [&](ingest::Reject&& reject) {
                                                                if (rejected++ == 0) {
                                                                  first_reject = fmt::format(
                                                                      "{}:{}: {}", reject.file,
                                                                      reject.line, reject.reason);
                                                                }
                                                              }));
      (void)counts;
    }
    log = EventLogFromEvents(events);
  }
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
