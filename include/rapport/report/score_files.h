// The score directory: every person's two scores and every tie's strength as files, written by
// `rapport score --input ... --out DIR` and by `rapport-mpi score` alike, so that the two can be
// compared and read by the same scripts (docs/formats.md, "Score directory"):
//
//   DIR/summary.json        as_of, counts, the curve references, the parts, per-phase timings
//   DIR/people-NNNNN.csv    id,name,volume_score,rapport_score,volume_raw,rapport_raw,standing,
//                           ties,strong_ties           (one row per scored person)
//   DIR/ties-NNNNN.csv      u,v,count_uv,count_vu,strength,warmth     (one row per pair; u, v
//                           are person ids)
//
// A single process writes part 00000 only; a distributed run writes one part per rank. Rows are
// in no particular order across parts. Numbers are written in their shortest form that reads back
// exactly.
//
// A directory is published whole: it is written under DIR.incomplete and renamed to DIR at the
// end, replacing the previous one, so DIR never holds a partial result.
// Thread-safety: the row functions are pure; the file functions touch the file system.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rapport/core/status.h"
#include "rapport/score/scorer.h"

namespace rapport::report {

struct PeopleRow {
  int64_t id = 0;
  std::string_view name;
  double volume_score = 0, rapport_score = 0, volume_raw = 0, rapport_raw = 0, standing = 0;
  int64_t ties = 0, strong_ties = 0;
};

struct TieRow {
  int64_t u = 0, v = 0;
  uint32_t count_uv = 0, count_vu = 0;
  double strength = 0, warmth = 0;
};

std::string_view PeopleCsvHeader();
void AppendPeopleRow(std::string& out, const PeopleRow& row);
std::string_view TiesCsvHeader();
void AppendTieRow(std::string& out, const TieRow& row);

// What summary.json holds. `phases` is filled by distributed runs: each phase's wall seconds on
// every rank and the bytes all ranks sent to other ranks in it.
struct PhaseRecord {
  std::string name;
  std::vector<double> seconds_by_rank;
  uint64_t bytes_sent = 0;
};
struct ScoreSummary {
  double as_of = 0;
  int64_t events = 0;  // events at or before as_of
  int64_t people = 0;  // scored people
  int64_t pairs = 0;
  int propagation_iterations = 0;
  int parts = 1;
  score::CurveReference volume_reference, rapport_reference;
  std::vector<PhaseRecord> phases;
  std::vector<double> peak_rss_mib_by_rank;  // distributed runs: each rank's peak memory
  // Distributed runs: the standings a propagation iteration must send at least (one per
  // person and other rank that reads it).
  int64_t boundary_standings = 0;
  int64_t edges = 0;  // distributed runs: directed edges of the propagation graph
};
std::string SummaryJson(const ScoreSummary& summary);

// "people-00003.csv" and the like.
std::string PartFileName(std::string_view kind, int part);

// The staging directory of `dir` (dir + ".incomplete"), emptied and created.
Result<std::string> PrepareStaging(const std::string& dir);
// Writes `text` to `path` (replacing it).
Status WriteTextFile(const std::string& path, std::string_view text);
// Renames the staging directory to `dir`, replacing a previous result.
Status PublishStaging(const std::string& staging, const std::string& dir);

// The whole score directory of a single-process run: `person_id` gives the ids of the person
// indices, `events` the events at or before as_of. Rows are formatted in parallel blocks and
// written as they are made (the ties of 10^8 events are 2 GB of text).
Status WriteScoreDirectory(const score::ScoreRun& run, std::span<const int64_t> person_id,
                           int64_t events, const std::string& dir);
// The same for a run over `log`.
Status WriteScoreDirectory(const score::ScoreRun& run, const EventLog& log, const std::string& dir);

}  // namespace rapport::report
