// SNAP edge-list reader (snap.stanford.edu): "src dst", "src dst time" or, as in the signed
// bitcoin networks, "src,dst,rating,time" with ratings in [-10, 10]. Lines starting with '#' or
// '%' are comments. Node ids are kept as written. Format reference: docs/formats.md.
//
// Thread-safety: one read per thread; no shared state.
#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <string>

#include "record.h"

namespace rapport::ingest {
namespace {

constexpr size_t kMaxColumns = 4;

// Splits at commas when the line has any, else at runs of spaces and tabs. Returns the number of
// columns found (possibly more than kMaxColumns; only the first kMaxColumns are stored).
size_t SplitEdge(std::string_view line, std::array<std::string_view, kMaxColumns>* columns) {
  size_t count = 0;
  auto add = [&](std::string_view column) {
    if (count < kMaxColumns) (*columns)[count] = column;
    ++count;
  };
  if (line.find(',') != std::string_view::npos) {
    while (true) {
      size_t comma = line.find(',');
      add(Trim(line.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      line.remove_prefix(comma + 1);
    }
    return count;
  }
  size_t pos = 0;
  while (pos < line.size()) {
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    if (pos == line.size()) break;
    size_t end = pos;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    add(line.substr(pos, end - pos));
    pos = end;
  }
  return count;
}

std::optional<Problem> ParseRating(std::string_view text, double* out) {
  double rating = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), rating);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(rating) || rating < -10 || rating > 10) {
    return Problem{
        fmt::format("bad rating \"{}\": it must be a number between -10 and 10", Shorten(text)),
        "signed edge lists are src,dst,rating,time with ratings from -10 to 10"};
  }
  *out = rating;
  return std::nullopt;
}

class SnapReader {
 public:
  SnapReader(LineReader& lines, ReadContext& context) : lines_(lines), context_(context) {}

  Status Run() {
    Line line;
    while (lines_.Next(&line)) {
      if (!line.too_long) {
        std::string_view text = Trim(line.text);
        if (text.empty() || text.front() == '#' || text.front() == '%') continue;
      }
      if (!context_.BeginRecord(line)) continue;
      Event event;
      if (std::optional<Problem> problem = Parse(line, &event)) {
        context_.RejectLine(line, std::move(*problem));
        continue;
      }
      RAPPORT_RETURN_IF_ERROR(context_.Emit(line, std::move(event), Trim(line.text)));
    }
    return lines_.status();
  }

 private:
  std::optional<Problem> Parse(const Line& line, Event* event) const {
    std::array<std::string_view, kMaxColumns> columns;
    size_t count = SplitEdge(Trim(line.text), &columns);
    if (count < 2 || count > kMaxColumns) {
      std::string reason = fmt::format(
          "expected 2 to 4 columns (src dst, src dst time or src,dst,rating,time), found {}",
          count);
      if (line.unterminated) {
        reason += "; the file ends without a newline, so the last line looks truncated";
      }
      return Problem{std::move(reason), "write one edge per line"};
    }
    for (size_t i = 0; i < count; ++i) {
      if (columns[i].empty()) {
        return Problem{fmt::format("empty column {}", i + 1), "remove the doubled comma"};
      }
    }
    const ReadOptions& options = context_.options();
    event->actor = std::string(columns[0]);
    event->targets.emplace_back(columns[1]);
    if (event->actor == event->targets[0]) {
      return Problem{"actor is also a target", "self-loops are not interactions; remove the line"};
    }
    Channel channel = Channel::kOther;
    Kind kind = Kind::kMessage;
    event->time = context_.undated_time();
    if (count >= 3) {
      if (auto problem = ParseTimeField(columns[count - 1], &event->time)) return problem;
    }
    if (count == 4) {
      double rating = 0;
      if (auto problem = ParseRating(columns[2], &rating)) return problem;
      channel = Channel::kTrade;
      kind = Kind::kRating;
      event->valence = rating / 10;
    }
    event->channel = options.channel.value_or(channel);
    event->kind = options.kind.value_or(kind);
    event->is_private = DefaultPrivate(event->channel, event->kind);
    return std::nullopt;
  }

  LineReader& lines_;
  ReadContext& context_;
};

}  // namespace

Status ReadSnap(LineReader& lines, ReadContext& context) {
  return SnapReader(lines, context).Run();
}

}  // namespace rapport::ingest
