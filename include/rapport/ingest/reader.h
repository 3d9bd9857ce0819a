// Format readers: streaming parsers that turn files into Events and report every record they
// cannot read to a RejectSink. A reader never stops at a bad record and never drops one silently:
// at the end, records_read = events emitted + records rejected.
//
// Thread-safety: a reader call is single-threaded; sinks are called from the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "rapport/core/event.h"
#include "rapport/core/status.h"

namespace rapport::ingest {

// One record a reader could not turn into an event.
struct Reject {
  std::string file;         // the path as given by the user
  int64_t line = 0;         // 1-based line number (0 when the format has no lines)
  int64_t byte_offset = 0;  // offset of the record's first byte in the file
  std::string reason;       // what is wrong: "expected 9 columns, found 7"
  std::string hint;         // how to fix it: "quote fields that contain commas"
  std::string raw;          // the record as it was in the file (at most kMaxRawBytes kept)
};
inline constexpr size_t kMaxRawBytes = 64 * 1024;
// Lines longer than this are rejected without being held in memory.
inline constexpr int64_t kMaxLineBytes = 1024 * 1024;

enum class Format {
  kAuto,
  kCsv,
  kJsonl,
  kSnap,
  kTwitterArchive,   // X/Twitter "Your archive": the folder, its data/ folder, or one .js file
  kMastodonArchive,  // Mastodon account archive: the folder or its outbox.json
  kMbox,             // email in mbox form (mboxo, mboxrd), via gmime
  kWxr,              // WordPress WXR export (XML), via pugixml
  kMessenger,  // Facebook "Download Your Information" Messenger JSON (folder or message_N.json)
  kCallLog,    // calls and SMS: the documented CSV schema or an Android backup XML
  kBinary,     // the binary event format of batch runs (binary_events.h); people are numbers
};
std::string_view FormatName(Format format);
Result<Format> ParseFormat(std::string_view name);  // "auto", "csv", "jsonl", "snap"

// Guesses a file's format from its name and first lines: ".jsonl"/".ndjson" or a first
// non-blank character '{' means JSONL; a CSV header naming "time" and "actor" means CSV; lines of
// two to four numbers (space, tab or comma separated) mean SNAP. The error says how to force one.
Result<Format> DetectFormat(const std::string& path);

// What a reader learned about an identity beyond the events: its display name, that it is the
// same account as another identity (a safe, source-given link, e.g. a Mastodon acct and its
// profile URL, or a Twitter handle and its numeric account id), or that it belongs to the
// archive's owner. The store applies hints; every merge keeps its reason.
struct IdentityHint {
  std::string identity;
  std::string display_name;  // empty when unknown
  std::string same_as;       // another identity of the same person, or empty
  std::string reason;        // why same_as holds: "Mastodon actor.json: acct and profile URL"
  bool is_owner = false;     // the identity is the archive owner's ("me")
};
using IdentityCallback = std::function<void(IdentityHint&&)>;

struct ReadOptions {
  Format format = Format::kAuto;
  bool keep_text = false;  // keep the optional text column (off by default: privacy)
  // Receives identity hints (archive readers); may be empty.
  IdentityCallback on_identity;
  // Called now and then with bytes consumed so far and the file size, for progress display.
  std::function<void(int64_t bytes_done, int64_t bytes_total)> progress;

  // SNAP edge lists only. Edges of `src dst` and `src dst time` lines are messages on the "other"
  // channel, and `src,dst,rating,time` lines are ratings on the "trade" channel, unless these
  // override them.
  std::optional<Channel> channel;
  std::optional<Kind> kind;
  // Time given to undated `src dst` edges; 0 means the file's modification time (0 for buffers).
  double undated_time = 0;
  // Lines longer than this many bytes are rejected (tests and fuzzers lower it).
  int64_t max_line_bytes = kMaxLineBytes;
};

struct ReadCounts {
  int64_t records = 0;   // records seen (data lines, not headers or blank lines)
  int64_t emitted = 0;   // events handed to the event callback
  int64_t rejected = 0;  // records handed to the reject callback
};

using EventCallback = std::function<Status(Event&&)>;  // a non-ok status stops the read
using RejectCallback = std::function<void(Reject&&)>;

// Reads one file in the given (or detected) format. Returns a non-ok Status only when the file
// cannot be read at all (missing, unreadable) or a callback failed; bad records are rejects.
// Every emitted event has source and native_id set so that importing the file again adds nothing:
// the explicit native id when the record has one, else a hash of the record's normalised content
// plus its occurrence number among identical records of the same file.
// Either callback may be empty (events or rejects are then only counted).
Result<ReadCounts> ReadFile(const std::string& path, const ReadOptions& options,
                            const EventCallback& on_event, const RejectCallback& on_reject);

// As ReadFile, for data already in memory. `name` stands for the path: it appears in rejects and
// messages, its basename is the source of content-hashed events, and its extension counts when
// the format is kAuto. Undated SNAP edges get options.undated_time (0 unless set).
Result<ReadCounts> ReadBuffer(std::string_view data, const std::string& name,
                              const ReadOptions& options, const EventCallback& on_event,
                              const RejectCallback& on_reject);

// DetectFormat's rules applied to a file's name and first bytes (`head`, e.g. its first 64 KiB).
Result<Format> DetectFormatFromText(const std::string& name, std::string_view head);

}  // namespace rapport::ingest
