// Internal to the ingest module: what the CSV, JSONL and SNAP readers share. ReadContext counts
// records, hands out events with their dedupe keys and turns problems into Rejects; the field
// parsers give every format the same rules and the same messages.
//
// Thread-safety: a ReadContext belongs to the single thread running one read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "occurrences.h"
#include "rapport/core/event.h"
#include "rapport/core/status.h"
#include "rapport/core/text.h"
#include "rapport/ingest/line_reader.h"
#include "rapport/ingest/reader.h"

namespace rapport::ingest {

// What is wrong with a record and how to fix it.
struct Problem {
  std::string reason;
  std::string hint;
};

class ReadContext {
 public:
  // `file` is the path as given; the source of content-hashed events is its basename.
  ReadContext(std::string file, const ReadOptions& options, const EventCallback& on_event,
              const RejectCallback& on_reject, double undated_time);

  const std::string& file() const { return file_; }
  const ReadOptions& options() const { return options_; }
  double undated_time() const { return undated_time_; }
  ReadCounts& counts() { return counts_; }

  // Counts `line` as a record and rejects it if it is too long or not UTF-8. Returns whether the
  // reader should go on parsing it.
  bool BeginRecord(const Line& line);

  // Rejects the record on `line`. When the line is the unterminated last one, says so.
  void RejectLine(const Line& line, Problem problem);

  // Hands the event to the callback. Without an explicit native id, the event's source becomes
  // the file's basename and its native id the hash of `content` plus the hash's occurrence number
  // in this file; with one, its source becomes the channel name.
  Status Emit(const Line& line, Event&& event, std::string_view content);

  // "file, line N" for error messages.
  std::string Where(const Line& line) const;

 private:
  std::string file_;
  std::string source_;
  const ReadOptions& options_;
  const EventCallback& on_event_;
  const RejectCallback& on_reject_;
  double undated_time_;
  ReadCounts counts_;
  OccurrenceCounter occurrences_;
};

// 64-bit FNV-1a with a final avalanche (murmur3's fmix64): stable across runs and platforms.
uint64_t HashContent(std::string_view content);

// The normalised content of an event for its dedupe key: time, channel, kind, actor, targets.
void AppendEventContent(const Event& event, std::string* out);

// A whole file as a string, for formats read whole (JSON documents of archives). NotFound when
// the file does not exist.
Result<std::string> ReadWholeFile(const std::string& path);
// The file's modification time in epoch seconds, or 0 when it cannot be read: the time given to
// records that have none (X follows, undated edges) unless ReadOptions::undated_time is set.
double ModificationTime(const std::string& path);

// Splits one CSV line (RFC 4180 quoting; a quoted field cannot span lines) into fields.
// Returns a Problem for an unterminated quote or text after a closing quote. Reuses the strings
// in *fields; *count is the number of fields found (fields may hold more, from earlier lines).
std::optional<Problem> SplitCsvLine(std::string_view line, std::vector<std::string>* fields,
                                    size_t* count);

// Field parsers shared by CSV and JSONL. Each returns a Problem when the value is unusable.
std::optional<Problem> ParseTimeField(std::string_view text, double* out);
std::optional<Problem> ParseChannelField(std::string_view text, Channel* out);
std::optional<Problem> ParseKindField(std::string_view text, Kind* out);
std::optional<Problem> ParseBoolField(std::string_view name, std::string_view text, bool* out);
// A finite number; `what` names the field in messages ("duration").
std::optional<Problem> ParseNumberField(std::string_view what, std::string_view text, double* out);
// Range checks on numbers however they were written.
std::optional<Problem> CheckDuration(double value);
std::optional<Problem> CheckEffort(double value);
std::optional<Problem> CheckValence(double value);

// The rules every event obeys: a non-empty actor, at least one target unless it is a post, the
// actor not among its targets. `targets_hint` says how the format writes targets.
std::optional<Problem> CheckEventRules(const Event& event, std::string_view targets_hint);

// Appends `text` to `targets` split at ';', trimmed, without empty or repeated names.
void SplitTargets(std::string_view text, std::vector<std::string>* targets);

// Removes leading and trailing spaces and tabs.
std::string_view Trim(std::string_view text);
// `text` cut to about `max_bytes` (on a UTF-8 boundary) with "..." when cut, for messages.
std::string Shorten(std::string_view text, size_t max_bytes = 60);

Status ReadCsv(LineReader& lines, ReadContext& context);
Status ReadJsonl(LineReader& lines, ReadContext& context);
Status ReadSnap(LineReader& lines, ReadContext& context);

}  // namespace rapport::ingest
