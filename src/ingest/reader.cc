// Entry points of the ingest module: format names, format detection and the dispatch of
// ReadFile/ReadBuffer to the CSV, JSONL and SNAP readers (see rapport/ingest/reader.h).
//
// Thread-safety: pure functions; concurrent reads of different inputs are safe.
#include "rapport/ingest/reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

#include "archive_readers.h"
#include "rapport/core/text.h"
#include "rapport/ingest/binary_events.h"
#include "rapport/ingest/line_reader.h"
#include "record.h"

namespace rapport::ingest {
namespace {

constexpr size_t kDetectBytes = 64 * 1024;
constexpr int kDetectLines = 5;

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool IsNumber(std::string_view text) {
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

// Whether the line is two to four numbers separated by spaces, tabs or commas.
bool IsEdgeLine(std::string_view line) {
  int count = 0;
  size_t pos = 0;
  const bool commas = line.find(',') != std::string_view::npos;
  while (pos <= line.size()) {
    size_t end = pos;
    if (commas) {
      end = line.find(',', pos);
      if (end == std::string_view::npos) end = line.size();
    } else {
      while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
      if (pos == line.size()) break;
      end = pos;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t') ++end;
    }
    if (!IsNumber(Trim(line.substr(pos, end - pos)))) return false;
    ++count;
    pos = end + 1;
  }
  return count >= 2 && count <= 4;
}

std::string OpenError(const std::string& path, int error) {
  return fmt::format("{}: cannot open: {}", path, std::strerror(error));
}

Status OpenStatus(const std::string& path, int error) {
  if (error == ENOENT) return NotFound(fmt::format("{}: no such file", path));
  return IoError(OpenError(path, error));
}

Status Dispatch(Format format, ByteSource* source, int64_t total_bytes, const std::string& name,
                const ReadOptions& options, double undated_time, const EventCallback& on_event,
                const RejectCallback& on_reject, ReadCounts* counts) {
  // Small inputs get a small block: fuzzers and tests read thousands of them.
  const int64_t block = std::clamp<int64_t>(total_bytes + 1, 4096,
                                            static_cast<int64_t>(LineReader::kDefaultBlockBytes));
  LineReader lines(source, total_bytes, options.progress, options.max_line_bytes,
                   static_cast<size_t>(block));
  ReadContext context(name, options, on_event, on_reject, undated_time);
  Status status;
  switch (format) {
    case Format::kCsv:
      status = ReadCsv(lines, context);
      break;
    case Format::kJsonl:
      status = ReadJsonl(lines, context);
      break;
    case Format::kSnap:
      status = ReadSnap(lines, context);
      break;
    case Format::kAuto:
      return Internal("Dispatch needs a concrete format");
    default:
      return Internal(
          fmt::format("{} is read by ReadArchive, not line by line", FormatName(format)));
  }
  *counts = context.counts();
  return status;
}

}  // namespace

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kAuto:
      return "auto";
    case Format::kCsv:
      return "csv";
    case Format::kJsonl:
      return "jsonl";
    case Format::kSnap:
      return "snap";
    case Format::kTwitterArchive:
      return "twitter";
    case Format::kMastodonArchive:
      return "mastodon";
    case Format::kMbox:
      return "mbox";
    case Format::kWxr:
      return "wxr";
    case Format::kMessenger:
      return "messenger";
    case Format::kCallLog:
      return "calls";
    case Format::kBinary:
      return "binary";
  }
  return "unknown";
}

Result<Format> ParseFormat(std::string_view name) {
  std::string lower = AsciiLower(Trim(name));
  if (lower == "auto") return Format::kAuto;
  if (lower == "csv") return Format::kCsv;
  if (lower == "jsonl" || lower == "ndjson") return Format::kJsonl;
  if (lower == "snap") return Format::kSnap;
  if (lower == "twitter" || lower == "x") return Format::kTwitterArchive;
  if (lower == "mastodon") return Format::kMastodonArchive;
  if (lower == "mbox" || lower == "email") return Format::kMbox;
  if (lower == "wxr" || lower == "wordpress") return Format::kWxr;
  if (lower == "messenger" || lower == "facebook") return Format::kMessenger;
  if (lower == "calls" || lower == "sms") return Format::kCallLog;
  if (lower == "binary" || lower == "bin") return Format::kBinary;
  return InvalidArgument(fmt::format(
      "unknown format \"{}\"; use auto, csv, jsonl, snap, twitter, mastodon, mbox, wxr, "
      "messenger, calls or binary",
      Shorten(name)));
}

Result<Format> DetectFormatFromText(const std::string& name, std::string_view head) {
  std::string lower_name = AsciiLower(name);
  if (EndsWith(lower_name, ".jsonl") || EndsWith(lower_name, ".ndjson")) return Format::kJsonl;
  if (head.size() >= 3 && std::memcmp(head.data(), "\xEF\xBB\xBF", 3) == 0) head.remove_prefix(3);
  if (std::optional<Format> archive = DetectArchiveFormat(lower_name, head)) return *archive;

  std::string_view first;  // first non-blank line
  int edge_lines = 0;
  int checked = 0;
  bool all_edges = true;
  std::string_view rest = head;
  while (!rest.empty() && checked < kDetectLines) {
    size_t newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view() : rest.substr(newline + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = Trim(line);
    if (line.empty()) continue;
    if (first.empty()) {
      first = line;
      if (first.front() == '{') return Format::kJsonl;
      bool has_time = false, has_actor = false;
      std::string header = AsciiLower(first);
      std::string_view columns = header;
      while (true) {
        size_t comma = columns.find(',');
        std::string_view column = Trim(columns.substr(0, comma));
        if (!column.empty() && column.front() == '"' && column.back() == '"' && column.size() > 1) {
          column = column.substr(1, column.size() - 2);
        }
        has_time |= column == "time";
        has_actor |= column == "actor";
        if (comma == std::string_view::npos) break;
        columns.remove_prefix(comma + 1);
      }
      if (has_time && has_actor) return Format::kCsv;
    }
    if (line.front() == '#' || line.front() == '%') continue;
    ++checked;
    if (IsEdgeLine(line)) {
      ++edge_lines;
    } else {
      all_edges = false;
    }
  }
  if (edge_lines > 0 && all_edges) return Format::kSnap;
  if (first.empty()) {
    return InvalidArgument(fmt::format(
        "{}: cannot tell the format of an empty file; set it with --format csv, jsonl or snap",
        name));
  }
  return InvalidArgument(fmt::format(
      "{}: cannot tell the format: the first line \"{}\" is neither a JSON object, a CSV header "
      "naming time and actor, nor an edge list of 2 to 4 numbers; set it with --format csv, "
      "jsonl or snap",
      name, Shorten(first)));
}

namespace {

// A binary event record as an Event: people are their decimal numbers.
Event ToEvent(const BinaryEvent& binary) {
  Event event;
  event.time = binary.time;
  event.channel = binary.channel;
  event.kind = binary.kind;
  event.actor = std::to_string(binary.actor);
  for (uint32_t target : binary.targets) event.targets.push_back(std::to_string(target));
  event.is_private = binary.is_private;
  event.duration = binary.duration;
  event.valence = binary.valence;
  if (binary.has_effort) event.effort = binary.effort;
  return event;
}

Result<ReadCounts> ReadBinary(const std::string& name, std::string_view buffer, bool from_buffer,
                              const EventCallback& on_event, const RejectCallback& on_reject) {
  // Dedupe key as for text records without a native id: a hash of the record's content and
  // its occurrence, under the file's name.
  const std::string source = std::filesystem::path(name).filename().string();
  OccurrenceCounter occurrences;
  auto emit = [&](const BinaryEvent& binary) {
    Event event = ToEvent(binary);
    std::string content =
        fmt::format("{:.6f}|{}|{}|{}|{}|{}|{}", binary.time, binary.actor,
                    static_cast<int>(binary.channel), static_cast<int>(binary.kind),
                    binary.duration, binary.valence, fmt::join(binary.targets, ";"));
    const uint64_t hash = HashContent(content);
    event.source = source;
    event.native_id = fmt::format("{:016x}-{}", hash, occurrences.Next(hash));
    return on_event(std::move(event));
  };
  auto reject = [&](BinaryReject&& binary_reject) {
    Reject out;
    out.file = name;
    out.byte_offset = static_cast<int64_t>(binary_reject.offset);
    out.reason = std::move(binary_reject.reason);
    out.hint = "the binary file is damaged or was written by another program; write it again";
    on_reject(std::move(out));
  };
  Result<BinaryReadCounts> counts = from_buffer ? ReadBinaryBuffer(buffer, name, emit, reject)
                                                : ReadBinaryEvents(name, emit, reject);
  if (!counts.ok()) return counts.status();
  return ReadCounts{static_cast<int64_t>(counts->records), static_cast<int64_t>(counts->accepted),
                    static_cast<int64_t>(counts->rejected)};
}

}  // namespace

Result<Format> DetectFormat(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode)) return DetectFolderFormat(path);
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) return OpenStatus(path, errno);
  std::string head(kDetectBytes, '\0');
  size_t got = std::fread(head.data(), 1, head.size(), file.get());
  if (got == 0 && std::ferror(file.get())) {
    return IoError(fmt::format("{}: read failed: {}", path, std::strerror(errno)));
  }
  head.resize(got);
  if (head.compare(0, sizeof(kBinaryMagic), kBinaryMagic, sizeof(kBinaryMagic)) == 0) {
    return Format::kBinary;
  }
  return DetectFormatFromText(path, head);
}

Result<ReadCounts> ReadFile(const std::string& path, const ReadOptions& options,
                            const EventCallback& on_event, const RejectCallback& on_reject) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return OpenStatus(path, errno);
  const auto size = static_cast<int64_t>(info.st_size);
  Format format = options.format;
  if (format == Format::kAuto) {
    if (S_ISDIR(info.st_mode)) {
      RAPPORT_ASSIGN_OR_RETURN(format, DetectFolderFormat(path));
    } else {
      if (size == 0) return ReadCounts{};  // nothing to read in any format
      RAPPORT_ASSIGN_OR_RETURN(format, DetectFormat(path));
    }
  }
  if (IsArchiveFormat(format)) return ReadArchive(format, path, options, on_event, on_reject);
  if (format == Format::kBinary) return ReadBinary(path, {}, false, on_event, on_reject);
  if (S_ISDIR(info.st_mode)) {
    return InvalidArgument(fmt::format(
        "{}: is a directory; give the files inside it, or an archive folder (twitter, mastodon, "
        "messenger)",
        path));
  }
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) return OpenStatus(path, errno);
  double undated_time = options.undated_time;
  if (undated_time == 0) {
    undated_time =
        static_cast<double>(info.st_mtim.tv_sec) + static_cast<double>(info.st_mtim.tv_nsec) / 1e9;
  }
  FileSource source(file.get(), path);
  ReadCounts counts;
  RAPPORT_RETURN_IF_ERROR(
      Dispatch(format, &source, size, path, options, undated_time, on_event, on_reject, &counts));
  return counts;
}

Result<ReadCounts> ReadBuffer(std::string_view data, const std::string& name,
                              const ReadOptions& options, const EventCallback& on_event,
                              const RejectCallback& on_reject) {
  Format format = options.format;
  if (format == Format::kAuto) {
    if (Trim(data).empty()) return ReadCounts{};
    if (data.substr(0, sizeof(kBinaryMagic)) == std::string_view(kBinaryMagic, 8)) {
      format = Format::kBinary;
    } else {
      RAPPORT_ASSIGN_OR_RETURN(format, DetectFormatFromText(name, data.substr(0, kDetectBytes)));
    }
  }
  if (format == Format::kBinary) return ReadBinary(name, data, true, on_event, on_reject);
  if (IsArchiveFormat(format)) {
    return ReadArchiveBuffer(format, data, name, options, on_event, on_reject);
  }
  BufferSource source(data);
  ReadCounts counts;
  RAPPORT_RETURN_IF_ERROR(Dispatch(format, &source, static_cast<int64_t>(data.size()), name,
                                   options, options.undated_time, on_event, on_reject, &counts));
  return counts;
}

}  // namespace rapport::ingest
