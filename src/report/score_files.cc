#include "rapport/report/score_files.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "rapport/core/json_writer.h"
#include "rapport/core/text.h"

namespace rapport::report {
namespace {

// Names go into CSV quoted when they hold a comma, a quote or a line break.
void AppendCsvText(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void WriteReference(JsonWriter& json, std::string_view key, const score::CurveReference& r) {
  json.Key(key).BeginObject();
  json.Key("lo").Number(r.lo).Key("median").Number(r.median);
  json.Key("p95").Number(r.p95).Key("max").Number(r.max);
  json.EndObject();
}

}  // namespace

std::string_view PeopleCsvHeader() {
  return "id,name,volume_score,rapport_score,volume_raw,rapport_raw,standing,ties,strong_ties\n";
}

void AppendPeopleRow(std::string& out, const PeopleRow& row) {
  AppendFormat(out, "{},", row.id);
  AppendCsvText(out, row.name);
  AppendFormat(out, ",{},{},{},{},{},{},{}\n", row.volume_score, row.rapport_score, row.volume_raw,
               row.rapport_raw, row.standing, row.ties, row.strong_ties);
}

std::string_view TiesCsvHeader() { return "u,v,count_uv,count_vu,strength,warmth\n"; }

void AppendTieRow(std::string& out, const TieRow& row) {
  AppendFormat(out, "{},{},{},{},{},{}\n", row.u, row.v, row.count_uv, row.count_vu, row.strength,
               row.warmth);
}

std::string SummaryJson(const ScoreSummary& summary) {
  JsonWriter json;
  json.BeginObject();
  json.Key("as_of").Number(summary.as_of);
  json.Key("events").Int(summary.events);
  json.Key("people").Int(summary.people);
  json.Key("pairs").Int(summary.pairs);
  json.Key("propagation_iterations").Int(summary.propagation_iterations);
  json.Key("parts").Int(summary.parts);
  WriteReference(json, "volume_reference", summary.volume_reference);
  WriteReference(json, "rapport_reference", summary.rapport_reference);
  json.Key("phases").BeginArray();
  for (const PhaseRecord& phase : summary.phases) {
    json.BeginObject().Key("name").String(phase.name);
    json.Key("bytes_sent").Int(static_cast<int64_t>(phase.bytes_sent));
    json.Key("seconds_by_rank").BeginArray();
    for (double seconds : phase.seconds_by_rank) json.Number(seconds);
    json.EndArray().EndObject();
  }
  json.EndArray();
  json.Key("boundary_standings").Int(summary.boundary_standings);
  json.Key("edges").Int(summary.edges);
  json.Key("peak_rss_mib_by_rank").BeginArray();
  for (double mib : summary.peak_rss_mib_by_rank) json.Number(mib);
  json.EndArray();
  json.EndObject();
  return json.str() + "\n";
}

std::string PartFileName(std::string_view kind, int part) {
  return fmt::format("{}-{:05}.csv", kind, part);
}

Result<std::string> PrepareStaging(const std::string& dir) {
  namespace fs = std::filesystem;
  const std::string staging = dir + ".incomplete";
  std::error_code error;
  fs::remove_all(staging, error);
  if (!error) fs::create_directories(staging, error);
  if (error) {
    return Internal(
        fmt::format("{}: cannot create the staging directory: {}; check that the "
                    "parent directory exists and is writable",
                    staging, error.message()));
  }
  return staging;
}

Status WriteTextFile(const std::string& path, std::string_view text) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "wb"),
                                                       &std::fclose);
  if (!file || std::fwrite(text.data(), 1, text.size(), file.get()) != text.size() ||
      std::fflush(file.get()) != 0) {
    return Internal(fmt::format("{}: cannot write (disk full or not writable?)", path));
  }
  return Status::Ok();
}

Status PublishStaging(const std::string& staging, const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  // A directory cannot be renamed over a non-empty one: move the old one aside first.
  const std::string previous = dir + ".previous";
  fs::remove_all(previous, error);
  if (fs::exists(dir)) fs::rename(dir, previous, error);
  if (!error) fs::rename(staging, dir, error);
  if (error) {
    return Internal(fmt::format("cannot move {} to {}: {}", staging, dir, error.message()));
  }
  fs::remove_all(previous, error);
  return Status::Ok();
}

namespace {

// Writes the header, then rows 0 .. rows - 1 formatted by append_row(out, i), in blocks
// formatted in parallel and written in order.
template <typename AppendRow>
Status WriteRows(const std::string& path, std::string_view header, size_t rows,
                 const AppendRow& append_row) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "wb"),
                                                       &std::fclose);
  auto failed = [&path] {
    return Internal(fmt::format("{}: cannot write (disk full or not writable?)", path));
  };
  if (!file || std::fwrite(header.data(), 1, header.size(), file.get()) != header.size()) {
    return failed();
  }
  constexpr size_t kBlockRows = 1 << 16;
  constexpr int64_t kBlocksAtOnce = 16;
  std::vector<std::string> blocks(kBlocksAtOnce);
  for (size_t first = 0; first < rows; first += kBlocksAtOnce * kBlockRows) {
#pragma omp parallel for schedule(dynamic, 1) if (rows > kBlockRows)
    for (int64_t b = 0; b < kBlocksAtOnce; ++b) {
      std::string& block = blocks[b];
      block.clear();
      const size_t begin = std::min(rows, first + static_cast<size_t>(b) * kBlockRows);
      const size_t end = std::min(rows, begin + kBlockRows);
      for (size_t i = begin; i < end; ++i) append_row(block, i);
    }
    for (const std::string& block : blocks) {
      if (std::fwrite(block.data(), 1, block.size(), file.get()) != block.size()) return failed();
    }
  }
  if (std::fflush(file.get()) != 0) return failed();
  return Status::Ok();
}

}  // namespace

Status WriteScoreDirectory(const score::ScoreRun& run, std::span<const int64_t> person_id,
                           int64_t events, const std::string& dir) {
  RAPPORT_ASSIGN_OR_RETURN(const std::string staging, PrepareStaging(dir));
  RAPPORT_RETURN_IF_ERROR(WriteRows(
      staging + "/" + PartFileName("people", 0), PeopleCsvHeader(), run.people.size(),
      [&run](std::string& out, size_t i) {
        const score::PersonScore& person = run.people[i];
        AppendPeopleRow(out, {person.id, person.name, person.volume_score, person.rapport_score,
                              person.volume.raw, person.rapport.raw, person.rapport.standing,
                              person.ties, person.rapport.strong_ties});
      }));
  RAPPORT_RETURN_IF_ERROR(
      WriteRows(staging + "/" + PartFileName("ties", 0), TiesCsvHeader(), run.pairs.pairs.size(),
                [&run, person_id](std::string& out, size_t i) {
                  const graph::PairRecord& record = run.pairs.pairs[i];
                  AppendTieRow(out, {person_id[record.u], person_id[record.v], record.count[0],
                                     record.count[1], run.ties.strength[i], run.warmth[i]});
                }));
  ScoreSummary summary;
  summary.as_of = run.as_of;
  summary.events = events;
  summary.people = static_cast<int64_t>(run.people.size());
  summary.pairs = static_cast<int64_t>(run.pairs.pairs.size());
  summary.propagation_iterations = run.propagation_iterations;
  summary.volume_reference = run.volume_reference;
  summary.rapport_reference = run.rapport_reference;
  RAPPORT_RETURN_IF_ERROR(WriteTextFile(staging + "/summary.json", SummaryJson(summary)));
  return PublishStaging(staging, dir);
}

Status WriteScoreDirectory(const score::ScoreRun& run, const EventLog& log,
                           const std::string& dir) {
  const auto events = static_cast<int64_t>(
      std::upper_bound(log.time.begin(), log.time.end(), run.as_of) - log.time.begin());
  return WriteScoreDirectory(run, log.person_id, events, dir);
}

}  // namespace rapport::report
