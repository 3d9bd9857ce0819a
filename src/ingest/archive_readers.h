// Internal to the ingest module: the readers of personal archives (X/Twitter, Mastodon, mbox,
// WordPress WXR, Facebook Messenger, calls and SMS) and their detection. Unlike the line readers
// they may read a folder (an archive) or a whole document (XML, JSON); they follow the same
// contract as every reader (rapport/ingest/reader.h): every record is emitted or rejected, never
// dropped, and every event has a dedupe key.
//
// Each format has two entry points, implemented in its own file:
//   Read<Format>Path(path, ...)           a file or, where the format has one, a folder
//   Read<Format>Buffer(data, name, ...)   one file's content (tests and fuzz targets)
// Thread-safety: pure functions over their inputs.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "rapport/ingest/reader.h"

namespace rapport::ingest {

bool IsArchiveFormat(Format format);

// The archive format a file's lower-cased name and first bytes show, if any.
std::optional<Format> DetectArchiveFormat(std::string_view lower_name, std::string_view head);
// The archive format of a folder (tweets.js or data/tweets.js: twitter; outbox.json: mastodon;
// messages/inbox or message_1.json files: messenger); an error naming what was looked for.
Result<Format> DetectFolderFormat(const std::string& path);

Result<ReadCounts> ReadArchive(Format format, const std::string& path, const ReadOptions& options,
                               const EventCallback& on_event, const RejectCallback& on_reject);
Result<ReadCounts> ReadArchiveBuffer(Format format, std::string_view data, const std::string& name,
                                     const ReadOptions& options, const EventCallback& on_event,
                                     const RejectCallback& on_reject);

#define RAPPORT_ARCHIVE_READER(Name)                                                               \
  Result<ReadCounts> Read##Name##Path(const std::string& path, const ReadOptions& options,         \
                                      const EventCallback& on_event,                               \
                                      const RejectCallback& on_reject);                            \
  Result<ReadCounts> Read##Name##Buffer(std::string_view data, const std::string& name,            \
                                        const ReadOptions& options, const EventCallback& on_event, \
                                        const RejectCallback& on_reject);

RAPPORT_ARCHIVE_READER(TwitterArchive)   // twitter_archive_reader.cc
RAPPORT_ARCHIVE_READER(MastodonArchive)  // mastodon_reader.cc
RAPPORT_ARCHIVE_READER(Mbox)             // mbox_reader.cc
RAPPORT_ARCHIVE_READER(Wxr)              // wxr_reader.cc
RAPPORT_ARCHIVE_READER(Messenger)        // messenger_reader.cc
RAPPORT_ARCHIVE_READER(CallLog)          // call_log_reader.cc

#undef RAPPORT_ARCHIVE_READER

}  // namespace rapport::ingest
