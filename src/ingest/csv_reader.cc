// CSV event reader: a header naming the columns (any order, case-insensitive), then one event per
// line with RFC 4180 quoting. A quoted field may not span lines: such a record is rejected with a
// reason rather than silently swallowing the lines after it. Format reference: docs/formats.md.
//
// Thread-safety: one read per thread; no shared state.
#include <fmt/format.h>

#include <array>
#include <string>
#include <vector>

#include "rapport/core/text.h"
#include "record.h"

namespace rapport::ingest {
namespace {

enum Column : int {
  kTime,
  kChannel,
  kKind,
  kActor,
  kTargets,
  kPrivate,
  kDuration,
  kEffort,
  kValence,
  kNativeId,
  kText,
  kColumnCount,
};
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "time",     "channel", "kind",    "actor",     "targets", "private",
    "duration", "effort",  "valence", "native_id", "text"};
constexpr std::string_view kValidColumns =
    "time, channel, kind, actor (required); targets, private, duration, effort, valence, "
    "native_id, text (optional)";

bool IsBlank(std::string_view text) { return Trim(text).empty(); }

class CsvReader {
 public:
  CsvReader(LineReader& lines, ReadContext& context) : lines_(lines), context_(context) {}

  Status Run() {
    Line line;
    bool have_header = false;
    while (lines_.Next(&line)) {
      if (!line.too_long && IsBlank(line.text)) continue;
      if (!have_header) {
        RAPPORT_RETURN_IF_ERROR(ReadHeader(line));
        have_header = true;
        continue;
      }
      if (!context_.BeginRecord(line)) continue;
      RAPPORT_RETURN_IF_ERROR(ReadRecord(line));
    }
    return lines_.status();
  }

 private:
  Status ReadHeader(const Line& line) {
    const std::string where = context_.Where(line);
    if (line.too_long) {
      return InvalidArgument(fmt::format(
          "{}: the CSV header is {} bytes long; is this really a CSV file with a header?", where,
          line.length));
    }
    size_t bad = FindInvalidUtf8(line.text);
    if (bad != std::string_view::npos) {
      return InvalidArgument(
          fmt::format("{}: invalid UTF-8 at byte {} of the CSV header; re-save the file as UTF-8",
                      where, bad + 1));
    }
    size_t count = 0;
    if (std::optional<Problem> problem = SplitCsvLine(line.text, &fields_, &count)) {
      return InvalidArgument(
          fmt::format("{}: bad CSV header: {}; {}", where, problem->reason, problem->hint));
    }
    column_of_.fill(-1);
    for (size_t i = 0; i < count; ++i) {
      std::string name = AsciiLower(Trim(fields_[i]));
      int found = -1;
      for (int c = 0; c < kColumnCount; ++c) {
        if (kColumnNames[c] == name) found = c;
      }
      if (found < 0) {
        return InvalidArgument(fmt::format(
            "{}: unknown column \"{}\" in the CSV header (column {}); valid columns: {}", where,
            Shorten(name), i + 1, kValidColumns));
      }
      if (column_of_[found] >= 0) {
        return InvalidArgument(
            fmt::format("{}: column \"{}\" appears twice in the CSV header", where, name));
      }
      column_of_[found] = static_cast<int>(i);
    }
    for (int required : {kTime, kChannel, kKind, kActor}) {
      if (column_of_[required] < 0) {
        return InvalidArgument(
            fmt::format("{}: missing required column \"{}\" in the CSV header; valid columns: {}",
                        where, kColumnNames[required], kValidColumns));
      }
    }
    columns_ = count;
    return Status::Ok();
  }

  // The field of `column`, or an empty view when the header has no such column.
  std::string_view Field(Column column) const {
    int index = column_of_[column];
    return index < 0 ? std::string_view() : std::string_view(fields_[index]);
  }

  Status ReadRecord(const Line& line) {
    size_t count = 0;
    if (std::optional<Problem> problem = SplitCsvLine(line.text, &fields_, &count)) {
      context_.RejectLine(line, std::move(*problem));
      return Status::Ok();
    }
    if (count != columns_) {
      std::string reason = fmt::format("expected {} columns, found {}", columns_, count);
      if (line.unterminated) {
        reason += "; the file ends without a newline, so the last line looks truncated";
      }
      context_.RejectLine(line, {std::move(reason), "quote fields that contain commas"});
      return Status::Ok();
    }
    Event event;
    std::optional<Problem> problem = Parse(&event);
    if (problem) {
      context_.RejectLine(line, std::move(*problem));
      return Status::Ok();
    }
    content_.clear();
    AppendEventContent(event, &content_);
    return context_.Emit(line, std::move(event), content_);
  }

  std::optional<Problem> Parse(Event* event) const {
    if (auto problem = ParseTimeField(Field(kTime), &event->time)) return problem;
    if (auto problem = ParseChannelField(Field(kChannel), &event->channel)) return problem;
    if (auto problem = ParseKindField(Field(kKind), &event->kind)) return problem;
    event->actor = std::string(Trim(Field(kActor)));
    SplitTargets(Field(kTargets), &event->targets);
    if (auto problem = CheckEventRules(
            *event, "list the identities it was addressed to in targets, separated by ';'")) {
      return problem;
    }
    event->is_private = DefaultPrivate(event->channel, event->kind);
    if (!Trim(Field(kPrivate)).empty()) {
      if (auto problem = ParseBoolField("private", Field(kPrivate), &event->is_private)) {
        return problem;
      }
    }
    if (!Trim(Field(kDuration)).empty()) {
      if (auto problem = ParseNumberField("duration", Field(kDuration), &event->duration)) {
        return problem;
      }
      if (auto problem = CheckDuration(event->duration)) return problem;
    }
    if (!Trim(Field(kEffort)).empty()) {
      double effort = 0;
      if (auto problem = ParseNumberField("effort", Field(kEffort), &effort)) return problem;
      if (auto problem = CheckEffort(effort)) return problem;
      event->effort = effort;
    }
    if (!Trim(Field(kValence)).empty()) {
      if (auto problem = ParseNumberField("valence", Field(kValence), &event->valence)) {
        return problem;
      }
      if (auto problem = CheckValence(event->valence)) return problem;
    }
    event->native_id = std::string(Trim(Field(kNativeId)));
    if (context_.options().keep_text) event->text = std::string(Field(kText));
    return std::nullopt;
  }

  LineReader& lines_;
  ReadContext& context_;
  std::array<int, kColumnCount> column_of_{};
  size_t columns_ = 0;
  std::vector<std::string> fields_;
  std::string content_;
};

}  // namespace

Status ReadCsv(LineReader& lines, ReadContext& context) { return CsvReader(lines, context).Run(); }

}  // namespace rapport::ingest
