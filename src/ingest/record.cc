// Shared reader machinery: record counting, rejects, dedupe keys and the field rules common to
// CSV and JSONL (see record.h). Thread-safety: a ReadContext belongs to one thread.
#include "record.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>

#include "rapport/core/text.h"
#include "rapport/core/time.h"

namespace rapport::ingest {
namespace {

std::string_view Basename(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

constexpr std::string_view kTruncatedNote =
    "the file ends without a newline; the last line may be truncated";

}  // namespace

ReadContext::ReadContext(std::string file, const ReadOptions& options,
                         const EventCallback& on_event, const RejectCallback& on_reject,
                         double undated_time)
    : file_(std::move(file)),
      source_(Basename(file_)),
      options_(options),
      on_event_(on_event),
      on_reject_(on_reject),
      undated_time_(undated_time) {}

std::string ReadContext::Where(const Line& line) const {
  return fmt::format("{}, line {}", file_, line.number);
}

bool ReadContext::BeginRecord(const Line& line) {
  ++counts_.records;
  if (line.too_long) {
    RejectLine(line, {fmt::format("line is {} bytes, longer than the {} limit", line.length,
                                  options_.max_line_bytes == kMaxLineBytes
                                      ? std::string("1 MiB")
                                      : fmt::format("{}-byte", options_.max_line_bytes)),
                      "check that the file is in the format it was read as, and that records "
                      "are separated by newlines"});
    return false;
  }
  size_t bad = FindInvalidUtf8(line.text);
  if (bad != std::string_view::npos) {
    RejectLine(line, {fmt::format("invalid UTF-8 at byte {} of the line", bad + 1),
                      "re-save the file as UTF-8"});
    return false;
  }
  return true;
}

void ReadContext::RejectLine(const Line& line, Problem problem) {
  ++counts_.rejected;
  if (!on_reject_) return;
  if (line.unterminated && problem.reason.find("without a newline") == std::string::npos) {
    problem.hint = problem.hint.empty() ? std::string(kTruncatedNote)
                                        : fmt::format("{} ({})", problem.hint, kTruncatedNote);
  }
  Reject reject;
  reject.file = file_;
  reject.line = line.number;
  reject.byte_offset = line.byte_offset;
  reject.reason = std::move(problem.reason);
  reject.hint = std::move(problem.hint);
  reject.raw = std::string(line.text.substr(0, kMaxRawBytes));
  on_reject_(std::move(reject));
}

Status ReadContext::Emit(const Line& line, Event&& event, std::string_view content) {
  if (event.native_id.empty()) {
    event.source = source_;
    uint64_t hash = HashContent(content);
    uint32_t occurrence = occurrences_.Next(hash);
    event.native_id = fmt::format("{:016x}-{}", hash, occurrence);
  } else {
    event.source = std::string(ChannelName(event.channel));
  }
  ++counts_.emitted;
  if (!on_event_) return Status::Ok();
  Status status = on_event_(std::move(event));
  return status.WithContext(Where(line));
}

uint64_t HashContent(std::string_view content) { return Avalanche(FnvAppend(kFnvOffset, content)); }

void AppendEventContent(const Event& event, std::string* out) {
  // Unit separators keep "ab"+"c" apart from "a"+"bc"; the time in shortest round-trip form.
  AppendFormat(*out, "{}\x1f{}\x1f{}\x1f{}", event.time, ChannelName(event.channel),
               KindName(event.kind), event.actor);
  for (const std::string& target : event.targets) {
    out->push_back('\x1f');
    out->append(target);
  }
}

std::optional<Problem> ParseTimeField(std::string_view text, double* out) {
  text = Trim(text);
  if (text.empty()) {
    return Problem{"empty time", "give every record a time: epoch seconds or ISO 8601"};
  }
  if (text.size() > 64) {
    return Problem{fmt::format("unparsable time \"{}\" (too long)", Shorten(text)),
                   "use epoch seconds (1082040961) or ISO 8601 (2024-03-01T12:30:00Z)"};
  }
  Result<double> time = ParseTime(text);
  if (!time.ok()) {
    // ParseTime says what is wrong, then "; use ..." which is the hint.
    const std::string& message = time.status().message();
    size_t split = message.rfind("; use ");
    if (split == std::string::npos) return Problem{message, ""};
    return Problem{message.substr(0, split), message.substr(split + 2)};
  }
  *out = *time;
  return std::nullopt;
}

std::optional<Problem> ParseChannelField(std::string_view text, Channel* out) {
  text = Trim(text);
  if (text.empty()) return Problem{"empty channel", "use one of: " + AllChannelNames()};
  std::optional<Channel> channel = ParseChannel(text);
  if (!channel) {
    return Problem{fmt::format("unknown channel \"{}\"", Shorten(text)),
                   "use one of: " + AllChannelNames()};
  }
  *out = *channel;
  return std::nullopt;
}

std::optional<Problem> ParseKindField(std::string_view text, Kind* out) {
  text = Trim(text);
  if (text.empty()) return Problem{"empty kind", "use one of: " + AllKindNames()};
  std::optional<Kind> kind = ParseKind(text);
  if (!kind) {
    return Problem{fmt::format("unknown kind \"{}\"", Shorten(text)),
                   "use one of: " + AllKindNames()};
  }
  *out = *kind;
  return std::nullopt;
}

std::optional<Problem> ParseBoolField(std::string_view name, std::string_view text, bool* out) {
  std::string lower = AsciiLower(Trim(text));
  if (lower == "true" || lower == "1" || lower == "yes") {
    *out = true;
  } else if (lower == "false" || lower == "0" || lower == "no") {
    *out = false;
  } else {
    return Problem{fmt::format("bad {} \"{}\": not true or false", name, Shorten(text)),
                   "use true or false (or 1/0, yes/no); leave it empty for the default"};
  }
  return std::nullopt;
}

std::optional<Problem> ParseNumberField(std::string_view what, std::string_view text, double* out) {
  text = Trim(text);
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  double value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      !std::isfinite(value)) {
    return Problem{fmt::format("bad {} \"{}\": not a number", what, Shorten(text)),
                   "write a plain decimal number such as 2 or 0.5"};
  }
  *out = value;
  return std::nullopt;
}

std::optional<Problem> CheckDuration(double value) {
  if (std::isfinite(value) && value >= 0) return std::nullopt;
  return Problem{fmt::format("bad duration {}: it must be 0 or more", value),
                 "give durations in seconds; leave it empty when unknown"};
}

std::optional<Problem> CheckEffort(double value) {
  if (std::isfinite(value) && value >= 0) return std::nullopt;
  return Problem{fmt::format("bad effort {}: it must be 0 or more", value),
                 "leave it empty for the kind's default effort"};
}

std::optional<Problem> CheckValence(double value) {
  if (std::isfinite(value) && value >= -1 && value <= 1) return std::nullopt;
  return Problem{fmt::format("valence {} is out of range; it must be between -1 and 1", value),
                 "use 1 for an ordinary interaction and negative values for distrust"};
}

std::optional<Problem> CheckEventRules(const Event& event, std::string_view targets_hint) {
  if (event.actor.empty()) {
    return Problem{"empty actor", "every record needs the identity that acted"};
  }
  if (event.kind != Kind::kPost && event.targets.empty()) {
    std::string_view kind = KindName(event.kind);
    std::string_view article = kind.front() == 'e' ? "an" : "a";
    return Problem{fmt::format("{} {} needs at least one target", article, kind),
                   std::string(targets_hint)};
  }
  if (std::find(event.targets.begin(), event.targets.end(), event.actor) != event.targets.end()) {
    return Problem{"actor is also a target", "remove the actor from the targets"};
  }
  return std::nullopt;
}

void SplitTargets(std::string_view text, std::vector<std::string>* targets) {
  while (true) {
    size_t semicolon = text.find(';');
    std::string_view name = Trim(text.substr(0, semicolon));
    if (!name.empty() && std::find(targets->begin(), targets->end(), name) == targets->end()) {
      targets->emplace_back(name);
    }
    if (semicolon == std::string_view::npos) break;
    text.remove_prefix(semicolon + 1);
  }
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string Shorten(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes;
  // Do not split a UTF-8 sequence: back off continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

// Splits one line into fields. Returns a Problem for an unterminated quote or text after a
// closing quote. Reuses the strings in *fields; *count is the number of fields found.
std::optional<Problem> SplitCsvLine(std::string_view line, std::vector<std::string>* fields,
                                    size_t* count) {
  size_t n = 0;
  size_t pos = 0;
  while (true) {
    if (fields->size() <= n) fields->emplace_back();
    std::string& field = (*fields)[n];
    field.clear();
    ++n;
    size_t start = pos;
    while (start < line.size() && (line[start] == ' ' || line[start] == '\t')) ++start;
    if (start < line.size() && line[start] == '"') {
      size_t i = start + 1;
      bool closed = false;
      while (i < line.size()) {
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field.push_back(line[i++]);
      }
      if (!closed) {
        return Problem{fmt::format("unterminated quoted field in column {}", n),
                       "close the quote; a quoted field cannot span lines, so replace line "
                       "breaks inside it with spaces"};
      }
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
      if (i < line.size() && line[i] != ',') {
        return Problem{fmt::format("unexpected text after the closing quote in column {}", n),
                       "double every quote inside a quoted field (\"\")"};
      }
      if (i >= line.size()) break;
      pos = i + 1;
    } else {
      size_t comma = line.find(',', pos);
      field.assign(line.substr(pos, comma == std::string_view::npos ? comma : comma - pos));
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
  }
  *count = n;
  return std::nullopt;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    if (errno == ENOENT) return NotFound(fmt::format("{}: no such file", path));
    return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  std::string data;
  char buffer[64 * 1024];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) data.append(buffer, got);
  if (std::ferror(file.get())) {
    return IoError(fmt::format("{}: read failed: {}", path, std::strerror(errno)));
  }
  return data;
}

double ModificationTime(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return 0;
  return static_cast<double>(info.st_mtim.tv_sec) + static_cast<double>(info.st_mtim.tv_nsec) / 1e9;
}

}  // namespace rapport::ingest
