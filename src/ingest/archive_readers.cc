// Detection and dispatch of the archive readers (archive_readers.h).
#include "archive_readers.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>

namespace rapport::ingest {
namespace {

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view FirstLine(std::string_view head) {
  size_t start = head.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  head.remove_prefix(start);
  return head.substr(0, head.find('\n'));
}

}  // namespace

bool IsArchiveFormat(Format format) {
  switch (format) {
    case Format::kTwitterArchive:
    case Format::kMastodonArchive:
    case Format::kMbox:
    case Format::kWxr:
    case Format::kMessenger:
    case Format::kCallLog:
      return true;
    default:
      return false;
  }
}

std::optional<Format> DetectArchiveFormat(std::string_view lower_name, std::string_view head) {
  const std::string_view base = BaseName(lower_name);
  const std::string_view first = FirstLine(head);
  if (first.starts_with("window.YTD.")) return Format::kTwitterArchive;
  if (base == "outbox.json" || base == "likes.json" || base == "actor.json") {
    return Format::kMastodonArchive;
  }
  if (Contains(head, "\"orderedItems\"") && Contains(head, "activitystreams")) {
    return Format::kMastodonArchive;
  }
  if (EndsWith(base, ".mbox") || first.starts_with("From ")) return Format::kMbox;
  if (Contains(head, "<rss") && Contains(head, "wordpress.org/export")) return Format::kWxr;
  if (base.starts_with("message_") && EndsWith(base, ".json")) return Format::kMessenger;
  if (Contains(head, "\"participants\"") && Contains(head, "\"sender_name\"")) {
    return Format::kMessenger;
  }
  if (Contains(head, "<smses") || Contains(head, "<calls")) return Format::kCallLog;
  if (!first.empty() && first.front() != '{' && Contains(first, "direction") &&
      Contains(first, "other")) {
    return Format::kCallLog;  // the documented calls-and-SMS CSV header
  }
  return std::nullopt;
}

Result<Format> DetectFolderFormat(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  auto exists = [&](const char* relative) { return fs::exists(fs::path(path) / relative, error); };
  if (exists("tweets.js") || exists("tweet.js") || exists("data/tweets.js") ||
      exists("data/tweet.js") || exists("tweets-part1.js") || exists("data/tweets-part1.js")) {
    return Format::kTwitterArchive;
  }
  if (exists("outbox.json")) return Format::kMastodonArchive;
  if (exists("messages/inbox") || exists("inbox") || exists("message_1.json") ||
      exists("archived_threads") || exists("your_activity_across_facebook/messages/inbox")) {
    return Format::kMessenger;
  }
  // An inbox folder given directly: its thread folders hold message_1.json.
  for (const fs::directory_entry& entry : fs::directory_iterator(path, error)) {
    if (entry.is_directory(error) && fs::exists(entry.path() / "message_1.json", error)) {
      return Format::kMessenger;
    }
  }
  return InvalidArgument(fmt::format(
      "{}: is a folder, but not a known archive (looked for tweets.js or data/tweets.js, "
      "outbox.json, messages/inbox, message_1.json); give the files inside it, or set --format",
      path));
}

Result<ReadCounts> ReadArchive(Format format, const std::string& path, const ReadOptions& options,
                               const EventCallback& on_event, const RejectCallback& on_reject) {
  switch (format) {
    case Format::kTwitterArchive:
      return ReadTwitterArchivePath(path, options, on_event, on_reject);
    case Format::kMastodonArchive:
      return ReadMastodonArchivePath(path, options, on_event, on_reject);
    case Format::kMbox:
      return ReadMboxPath(path, options, on_event, on_reject);
    case Format::kWxr:
      return ReadWxrPath(path, options, on_event, on_reject);
    case Format::kMessenger:
      return ReadMessengerPath(path, options, on_event, on_reject);
    case Format::kCallLog:
      return ReadCallLogPath(path, options, on_event, on_reject);
    default:
      return Internal(fmt::format("{} is not an archive format", FormatName(format)));
  }
}

Result<ReadCounts> ReadArchiveBuffer(Format format, std::string_view data, const std::string& name,
                                     const ReadOptions& options, const EventCallback& on_event,
                                     const RejectCallback& on_reject) {
  switch (format) {
    case Format::kTwitterArchive:
      return ReadTwitterArchiveBuffer(data, name, options, on_event, on_reject);
    case Format::kMastodonArchive:
      return ReadMastodonArchiveBuffer(data, name, options, on_event, on_reject);
    case Format::kMbox:
      return ReadMboxBuffer(data, name, options, on_event, on_reject);
    case Format::kWxr:
      return ReadWxrBuffer(data, name, options, on_event, on_reject);
    case Format::kMessenger:
      return ReadMessengerBuffer(data, name, options, on_event, on_reject);
    case Format::kCallLog:
      return ReadCallLogBuffer(data, name, options, on_event, on_reject);
    default:
      return Internal(fmt::format("{} is not an archive format", FormatName(format)));
  }
}

}  // namespace rapport::ingest
