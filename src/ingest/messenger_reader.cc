// Facebook Messenger reader: the JSON files of a "Download Your Information" export
// (messages/inbox/<thread>/message_N.json, or your_activity_across_facebook/messages/inbox/ in
// newer exports). Each file holds one thread's participants and messages; every message becomes a
// message (or call) event from its sender to the other participants, every reaction a like from
// the reaction's actor to the message's sender. Format reference: docs/formats-chat.md.
//
// Facebook writes UTF-8 as one \u00XX escape per byte, so a decoded name such as "ZoÃ«" is
// repaired to "Zoë" (RepairMojibake). A file is read whole (simdjson needs it), one file at a
// time. A file that is not valid JSON is one reject; the read goes on with the next file.
//
// Thread-safety: one read per thread; the parsers are owned by the read.
#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "archive_readers.h"
#include "rapport/ingest/line_reader.h"
#include "record.h"

namespace rapport::ingest {
namespace {

namespace fs = std::filesystem;
using simdjson::dom::element;

constexpr std::string_view kIdentityPrefix = "facebook:";
// Thread folders are read from these folders of the messages folder, in this order.
constexpr std::string_view kThreadParents[] = {"inbox", "archived_threads", "e2ee_cutover"};

// Facebook's mojibake: when every code point of `text` is below 256 and, taken as bytes, they form
// valid UTF-8 with at least one multi-byte sequence, returns those bytes; otherwise `text`.
std::string RepairMojibake(std::string_view text) {
  std::string bytes;
  bool high = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      bytes.push_back(static_cast<char>(c));
      continue;
    }
    // U+0080..U+00FF are the two-byte sequences C2 80..C3 BF; anything else is a real character.
    if ((c != 0xC2 && c != 0xC3) || i + 1 >= text.size()) return std::string(text);
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if ((next & 0xC0) != 0x80) return std::string(text);
    bytes.push_back(static_cast<char>(((c & 0x03) << 6) | (next & 0x3F)));
    high = true;
    ++i;
  }
  if (!high || FindInvalidUtf8(bytes) != std::string_view::npos) return std::string(text);
  return bytes;
}

std::string_view Basename(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The name of the folder holding `path` ("maya_abc" for "inbox/maya_abc/message_1.json").
std::string_view ParentName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return {};
  return Basename(path.substr(0, slash));
}

// The number N of a "message_N.json" name, or -1.
int64_t MessageFileNumber(std::string_view name) {
  if (!name.starts_with("message_") || !name.ends_with(".json")) return -1;
  std::string_view digits = name.substr(8, name.size() - 8 - 5);
  int64_t number = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size()) return -1;
  return number;
}

// The message_N.json files of a thread folder, by N.
std::vector<fs::path> MessageFiles(const fs::path& folder) {
  std::vector<std::pair<int64_t, fs::path>> found;
  std::error_code error;
  for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
    std::string name = it->path().filename().string();
    int64_t number = MessageFileNumber(name);
    if (number >= 0 && it->is_regular_file(error)) found.emplace_back(number, it->path());
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> files;
  for (auto& [number, file] : found) files.push_back(std::move(file));
  return files;
}

std::string JsonText(element value) { return simdjson::minify(value); }

// Through error codes: a missing field or another type is no exception, just false.
bool GetText(simdjson::simdjson_result<element> value, std::string_view* out) {
  return value.get_string().get(*out) == simdjson::SUCCESS;
}

// Reads Messenger files into events; keeps what owner inference needs across files.
class MessengerReader {
 public:
  MessengerReader(const ReadOptions& options, const EventCallback& on_event,
                  const RejectCallback& on_reject)
      : options_(options), on_event_(on_event), on_reject_(on_reject) {}

  // Reads one message_N.json file's content; `name` is its path as given.
  Status ReadFile(std::string_view data, const std::string& name) {
    ReadContext context(name, options_, on_event_, on_reject_, 0);
    Status status = ReadJson(data, context);
    counts_.records += context.counts().records;
    counts_.emitted += context.counts().emitted;
    counts_.rejected += context.counts().rejected;
    return status;
  }

  // Emits the owner hint when the threads read show one (docs/formats-chat.md, "The owner").
  void InferOwner() {
    if (!options_.on_identity || threads_.size() < 2) return;
    std::vector<std::string> candidates;
    for (const std::string& name : threads_.begin()->second) {
      bool everywhere = std::all_of(threads_.begin(), threads_.end(), [&](const auto& thread) {
        return thread.second.count(name) > 0;
      });
      if (everywhere) candidates.push_back(name);
    }
    std::string owner;
    if (candidates.size() == 1) {
      owner = candidates.front();
    } else {
      if (candidates.empty()) {
        for (const auto& [name, count] : sent_) candidates.push_back(name);
      }
      int64_t best = 0;
      bool tied = false;
      for (const std::string& name : candidates) {
        auto it = sent_.find(name);
        int64_t count = it == sent_.end() ? 0 : it->second;
        if (count > best) {
          best = count;
          owner = name;
          tied = false;
        } else if (count == best) {
          tied = true;
        }
      }
      if (tied || best == 0) owner.clear();
    }
    if (owner.empty()) return;
    IdentityHint hint;
    hint.identity = std::string(kIdentityPrefix) + owner;
    hint.display_name = owner;
    hint.is_owner = true;
    options_.on_identity(std::move(hint));
  }

  const ReadCounts& counts() const { return counts_; }

 private:
  // Where a message starts: its line, byte offset and JSON text.
  struct Position {
    int64_t line = 1;
    int64_t byte_offset = 0;
    std::string_view raw;
  };

  static Line MakeLine(const Position& position) {
    Line line;
    line.text = position.raw.substr(0, kMaxRawBytes);
    line.number = position.line;
    line.byte_offset = position.byte_offset;
    line.length = static_cast<int64_t>(position.raw.size());
    return line;
  }

  void RejectFile(std::string_view data, ReadContext& context, std::string reason,
                  std::string hint) {
    ++context.counts().records;
    Position position;
    position.raw = data;
    context.RejectLine(MakeLine(position), {std::move(reason), std::move(hint)});
  }

  Status ReadJson(std::string_view data, ReadContext& context) {
    simdjson::padded_string padded(data);
    element root;
    simdjson::error_code error = dom_.parse(padded).get(root);
    if (error != simdjson::SUCCESS) {
      RejectFile(data, context,
                 fmt::format("not valid JSON ({}); none of the file's messages were read",
                             simdjson::error_message(error)),
                 "the file may be cut short: download the archive again in JSON format");
      return Status::Ok();
    }
    simdjson::dom::object object;
    simdjson::dom::array messages;
    if (root.get_object().get(object) != simdjson::SUCCESS ||
        object["messages"].get_array().get(messages) != simdjson::SUCCESS) {
      RejectFile(data, context,
                 "not a Messenger message file: no \"messages\" array at the top level",
                 "give the messages/inbox folder or one of its message_N.json files");
      return Status::Ok();
    }

    // The thread: its path (the folder name when the file does not say) and participants.
    std::string_view text;
    std::string thread = GetText(object["thread_path"], &text)
                             ? RepairMojibake(text)
                             : std::string(ParentName(context.file()));
    std::vector<std::string> participants;
    simdjson::dom::array people;
    if (object["participants"].get_array().get(people) == simdjson::SUCCESS) {
      for (element person : people) {
        if (!GetText(person["name"], &text)) continue;
        std::string name(Trim(RepairMojibake(text)));
        if (name.empty()) continue;
        if (std::find(participants.begin(), participants.end(), name) == participants.end()) {
          participants.push_back(name);
        }
      }
    }
    std::set<std::string>& thread_people = threads_[thread];
    thread_people.insert(participants.begin(), participants.end());

    std::vector<Position> positions = Locate(padded, data);
    size_t index = 0;
    for (element message : messages) {
      Position position;
      if (index < positions.size()) position = positions[index];
      std::string minified;
      if (position.raw.empty()) {
        minified = JsonText(message);
        position.raw = minified;
      }
      RAPPORT_RETURN_IF_ERROR(ReadMessage(message, index, position, thread, participants, context));
      ++index;
    }
    return Status::Ok();
  }

  // The line, offset and text of each element of the top-level "messages" array, through the
  // On-Demand API (the DOM keeps no source positions). Empty if anything goes wrong.
  std::vector<Position> Locate(const simdjson::padded_string& padded, std::string_view data) {
    std::vector<Position> positions;
    simdjson::ondemand::document document;
    if (ondemand_.iterate(padded).get(document) != simdjson::SUCCESS) return {};
    simdjson::ondemand::object root;
    if (document.get_object().get(root) != simdjson::SUCCESS) return {};
    int64_t line = 1;
    size_t counted = 0;  // newlines counted up to this offset
    for (auto field_result : root) {
      simdjson::ondemand::field field;
      if (std::move(field_result).get(field) != simdjson::SUCCESS) return {};
      std::string_view key;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS) return {};
      if (key != "messages") continue;
      simdjson::ondemand::array array;
      if (field.value().get_array().get(array) != simdjson::SUCCESS) return {};
      for (auto item_result : array) {
        simdjson::ondemand::value item;
        std::string_view raw;
        if (std::move(item_result).get(item) != simdjson::SUCCESS) return {};
        simdjson::ondemand::object message;
        bool is_object = item.get_object().get(message) == simdjson::SUCCESS;
        if (is_object) {
          if (message.raw_json().get(raw) != simdjson::SUCCESS) return {};
        } else {
          raw = item.raw_json_token();
        }
        const auto offset = static_cast<size_t>(raw.data() - padded.data());
        if (offset > data.size()) return {};
        line += std::count(data.begin() + static_cast<std::ptrdiff_t>(counted),
                           data.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
        counted = offset;
        // A non-object's text is taken from the DOM later (raw_json_token has no end).
        positions.push_back(
            {line, static_cast<int64_t>(offset), is_object ? raw : std::string_view()});
      }
      return positions;  // the first "messages" field, as the DOM's lookup takes
    }
    return positions;
  }

  void Reject(ReadContext& context, const Position& position, std::string reason,
              std::string hint) {
    context.RejectLine(MakeLine(position), {std::move(reason), std::move(hint)});
  }

  void NameHint(const std::string& identity, const std::string& name) {
    if (!options_.on_identity || !named_.insert(identity).second) return;
    IdentityHint hint;
    hint.identity = identity;
    hint.display_name = name;
    options_.on_identity(std::move(hint));
  }

  Status ReadMessage(element message, size_t index, const Position& position,
                     const std::string& thread, const std::vector<std::string>& participants,
                     ReadContext& context) {
    ++context.counts().records;
    const size_t number = index + 1;
    simdjson::dom::object object;
    if (message.get_object().get(object) != simdjson::SUCCESS) {
      Reject(context, position, fmt::format("message {} is not a JSON object", number),
             "each element of \"messages\" must be an object");
      return Status::Ok();
    }
    simdjson::dom::array reactions;
    const bool has_reactions = object["reactions"].get_array().get(reactions) == simdjson::SUCCESS;
    const size_t reaction_count = has_reactions ? reactions.size() : 0;
    const std::string unread = reaction_count == 0
                                   ? std::string()
                                   : fmt::format(" (nor its {} reaction{})", reaction_count,
                                                 reaction_count == 1 ? "" : "s");

    std::string_view text;
    std::string sender;
    if (GetText(object["sender_name"], &text)) sender = std::string(Trim(RepairMojibake(text)));
    if (sender.empty()) {
      Reject(context, position,
             fmt::format("message {} has no sender_name; it cannot be read{}", number, unread),
             "every message needs \"sender_name\" and \"timestamp_ms\"");
      return Status::Ok();
    }
    element stamp;
    double millis = 0;
    if (object["timestamp_ms"].get(stamp) != simdjson::SUCCESS) {
      Reject(context, position,
             fmt::format("message {} has no timestamp_ms; it cannot be read{}", number, unread),
             "every message needs \"sender_name\" and \"timestamp_ms\"");
      return Status::Ok();
    }
    if (!stamp.is_number() || stamp.get_double().get(millis) != simdjson::SUCCESS || millis < 0) {
      Reject(context, position,
             fmt::format("message {}: timestamp_ms {} is not a time{}", number,
                         Shorten(JsonText(stamp)), unread),
             "timestamp_ms is milliseconds since 1970-01-01 UTC, a number");
      return Status::Ok();
    }
    ++sent_[sender];

    // The dedupe key: thread, sender, time and the occurrence of that triple.
    std::string key = thread;
    key += '\x1f';
    key += sender;
    key += '\x1f';
    key += JsonText(stamp);
    const uint64_t hash = HashContent(key);
    const std::string native_id = fmt::format("{:016x}-{}", hash, occurrences_.Next(hash));

    Event event;
    event.time = millis / 1000.0;
    event.channel = Channel::kFacebook;
    event.kind = Kind::kMessage;
    event.is_private = true;
    event.actor = std::string(kIdentityPrefix) + sender;
    event.actor_name = sender;
    for (const std::string& name : participants) {
      if (name == sender) continue;
      event.targets.push_back(std::string(kIdentityPrefix) + name);
      event.target_names.push_back(name);
    }
    element duration;
    const bool has_duration = object["call_duration"].get(duration) == simdjson::SUCCESS;
    if (has_duration || (GetText(object["type"], &text) && text == "Call")) {
      event.kind = Kind::kCall;
      double seconds = 0;
      if (has_duration && duration.is_number() &&
          duration.get_double().get(seconds) == simdjson::SUCCESS) {
        if (auto problem = CheckDuration(seconds)) {
          Reject(context, position,
                 fmt::format("message {}: call_duration: {}", number, problem->reason),
                 problem->hint);
          return ReadReactions(reactions, has_reactions, number, position, sender, event.time,
                               native_id, context);
        }
        event.duration = seconds;
      } else if (has_duration && !duration.is_null()) {
        Reject(context, position,
               fmt::format("message {}: call_duration {} is not a number of seconds", number,
                           Shorten(JsonText(duration))),
               "call_duration is the call's length in seconds");
        return ReadReactions(reactions, has_reactions, number, position, sender, event.time,
                             native_id, context);
      }
    }
    if (event.targets.empty()) {
      Reject(context, position,
             fmt::format("message {}: the thread lists no participant besides the sender \"{}\"",
                         number, Shorten(sender)),
             "the file's \"participants\" must name everyone in the thread");
      return ReadReactions(reactions, has_reactions, number, position, sender, event.time,
                           native_id, context);
    }
    if (options_.keep_text && GetText(object["content"], &text)) event.text = RepairMojibake(text);
    event.native_id = native_id;
    NameHint(event.actor, sender);
    for (size_t i = 0; i < event.targets.size(); ++i) {
      NameHint(event.targets[i], event.target_names[i]);
    }
    const double time = event.time;
    RAPPORT_RETURN_IF_ERROR(context.Emit(MakeLine(position), std::move(event), {}));
    return ReadReactions(reactions, has_reactions, number, position, sender, time, native_id,
                         context);
  }

  // Each reaction is a record of its own: a like from its actor to the message's sender, at the
  // message's time (reactions carry none).
  Status ReadReactions(simdjson::dom::array reactions, bool has_reactions, size_t number,
                       const Position& position, const std::string& sender, double time,
                       const std::string& native_id, ReadContext& context) {
    if (!has_reactions) return Status::Ok();
    std::map<std::string, int> seen;
    size_t reaction_number = 0;
    for (element reaction : reactions) {
      ++reaction_number;
      ++context.counts().records;
      std::string raw = JsonText(reaction);
      Position where = position;
      where.raw = raw;
      std::string_view text;
      std::string actor;
      if (GetText(reaction["actor"], &text)) actor = std::string(Trim(RepairMojibake(text)));
      if (actor.empty()) {
        Reject(context, where,
               fmt::format("reaction {} of message {} has no actor", reaction_number, number),
               "each reaction needs \"actor\", the name of who reacted");
        continue;
      }
      if (actor == sender) {
        Reject(context, where,
               fmt::format("reaction {} of message {}: \"{}\" reacted to their own message; "
                           "skipped, as it is no interaction with anyone",
                           reaction_number, number, Shorten(actor)),
               "nothing to fix");
        continue;
      }
      Event like;
      like.time = time;
      like.channel = Channel::kFacebook;
      like.kind = Kind::kLike;
      like.is_private = true;
      like.actor = std::string(kIdentityPrefix) + actor;
      like.actor_name = actor;
      like.targets.push_back(std::string(kIdentityPrefix) + sender);
      like.target_names.push_back(sender);
      like.native_id = native_id + ":reaction:" + actor;
      int repeat = ++seen[actor];
      if (repeat > 1) like.native_id += fmt::format(":{}", repeat);
      if (options_.keep_text && GetText(reaction["reaction"], &text)) {
        like.text = RepairMojibake(text);
      }
      NameHint(like.actor, actor);
      NameHint(like.targets.front(), sender);
      RAPPORT_RETURN_IF_ERROR(context.Emit(MakeLine(where), std::move(like), {}));
    }
    return Status::Ok();
  }

  const ReadOptions& options_;
  const EventCallback& on_event_;
  const RejectCallback& on_reject_;
  simdjson::dom::parser dom_;
  simdjson::ondemand::parser ondemand_;
  ReadCounts counts_;
  OccurrenceCounter occurrences_;
  std::set<std::string> named_;                           // identities given a display name
  std::map<std::string, std::set<std::string>> threads_;  // thread path -> participants
  std::map<std::string, int64_t> sent_;                   // sender name -> messages sent
};

// The thread folders under `path`: the export's root, its messages folder, a folder of threads
// (inbox), or one thread folder. Empty when none is found.
std::vector<fs::path> ThreadFolders(const fs::path& path) {
  std::error_code error;
  auto is_dir = [&](const fs::path& p) { return fs::is_directory(p, error); };
  std::vector<fs::path> messages_folders;
  for (const char* candidate : {"your_activity_across_facebook/messages", "messages", ""}) {
    fs::path folder = *candidate ? path / candidate : path;
    bool has_parent = false;
    for (std::string_view parent : kThreadParents) {
      has_parent |= is_dir(folder / std::string(parent));
    }
    if (has_parent) messages_folders.push_back(folder);
  }
  std::vector<fs::path> parents;
  for (const fs::path& folder : messages_folders) {
    for (std::string_view parent : kThreadParents) {
      if (is_dir(folder / std::string(parent))) parents.push_back(folder / std::string(parent));
    }
  }
  if (parents.empty()) {
    if (!MessageFiles(path).empty()) return {path};  // one thread folder
    parents.push_back(path);                         // a folder of thread folders
  }
  std::vector<fs::path> threads;
  for (const fs::path& parent : parents) {
    std::vector<fs::path> found;
    for (fs::directory_iterator it(parent, error), end; !error && it != end; it.increment(error)) {
      if (is_dir(it->path()) && !MessageFiles(it->path()).empty()) found.push_back(it->path());
    }
    std::sort(found.begin(), found.end());
    threads.insert(threads.end(), found.begin(), found.end());
  }
  return threads;
}

}  // namespace

Result<ReadCounts> ReadMessengerPath(const std::string& path, const ReadOptions& options,
                                     const EventCallback& on_event,
                                     const RejectCallback& on_reject) {
  std::error_code error;
  std::vector<std::string> files;
  const bool folder = fs::is_directory(path, error);
  if (folder) {
    for (const fs::path& thread : ThreadFolders(path)) {
      for (const fs::path& file : MessageFiles(thread)) files.push_back(file.string());
    }
    if (files.empty()) {
      return InvalidArgument(fmt::format(
          "{}: no Messenger thread found (looked for messages/inbox/*/message_N.json, "
          "your_activity_across_facebook/messages/inbox/*/message_N.json and message_N.json "
          "files); give the export's folder, or request the export in JSON format",
          path));
    }
  } else {
    files.push_back(path);
  }
  MessengerReader reader(options, on_event, on_reject);
  int64_t total = 0;
  if (options.progress) {
    for (const std::string& file : files) {
      const uintmax_t size = fs::file_size(file, error);
      if (!error) total += static_cast<int64_t>(size);
    }
  }
  int64_t done = 0;
  for (const std::string& file : files) {
    RAPPORT_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(file));
    RAPPORT_RETURN_IF_ERROR(reader.ReadFile(data, file));
    done += static_cast<int64_t>(data.size());
    if (options.progress) options.progress(done, total);
  }
  if (folder) reader.InferOwner();
  return reader.counts();
}

Result<ReadCounts> ReadMessengerBuffer(std::string_view data, const std::string& name,
                                       const ReadOptions& options, const EventCallback& on_event,
                                       const RejectCallback& on_reject) {
  MessengerReader reader(options, on_event, on_reject);
  RAPPORT_RETURN_IF_ERROR(reader.ReadFile(data, name));
  return reader.counts();
}

}  // namespace rapport::ingest
