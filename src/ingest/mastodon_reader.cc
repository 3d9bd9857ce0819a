// The Mastodon account archive reader: the archive folder, or its outbox.json, likes.json or
// actor.json. outbox.json and likes.json are ActivityStreams OrderedCollections; their
// "orderedItems" arrays are split into records by JsonArrayScanner and each record is parsed on
// its own with simdjson's DOM (error codes, no exceptions), so a damaged record is rejected with
// its line and costs only itself. A top-level key may appear twice (exports have been seen with a
// repeated "@context" or "orderedItems"); simdjson's lookups would see only the first, so the top
// level is walked by FindTopLevelValues and every "orderedItems" array is read, in order; an
// activity whose id was already read in the same file is rejected as a duplicate. The mapping to
// events is documented in docs/formats-social.md.
//
// Thread-safety: one read per thread; the parser and the sets belong to the read.
#include <fmt/format.h>
#include <simdjson.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include "archive_readers.h"
#include "rapport/core/text.h"
#include "rapport/core/time.h"
#include "record.h"
#include "social_json.h"

namespace rapport::ingest {
namespace {

using simdjson::dom::element;

constexpr std::string_view kLinkReason = "Mastodon: acct and profile URL";
constexpr std::string_view kPublic = "https://www.w3.org/ns/activitystreams#Public";
constexpr std::string_view kDamagedHint =
    "the file is damaged; export the archive again or repair this record";
// Mastodon status ids carry milliseconds since 1970 above their low 16 bits; a decoded time
// outside these bounds means the id is not one (an old sequential id, another server's scheme).
constexpr double kEarliestIdTime = 1451606400;  // 2016-01-01, before Mastodon's first release
constexpr double kLatestIdTime = 4102444800;    // 2100-01-01

enum class File { kUnknown, kOutbox, kLikes, kActor };

File FileFromName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string base = AsciiLower(slash == std::string_view::npos ? path : path.substr(slash + 1));
  if (base == "outbox.json") return File::kOutbox;
  if (base == "likes.json") return File::kLikes;
  if (base == "actor.json") return File::kActor;
  if (base.ends_with(".json") && base.find("like") != std::string::npos) return File::kLikes;
  return File::kUnknown;
}

bool IsUserChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

// The account a Mastodon URL names, as "@user@instance": an actor id ("https://host/users/ann"),
// a profile ("https://host/@ann", "https://host/@ann@other.example") or a status
// ("https://host/users/ann/statuses/1", "https://host/@ann/1"). Nullopt for URLs that name no
// account (Pleroma "/notice/...", Misskey "/notes/...").
std::optional<std::string> AccountOfUrl(std::string_view url) {
  std::optional<UrlParts> parts = SplitUrl(url);
  if (!parts) return std::nullopt;
  std::string_view path = parts->path;
  std::string_view user;
  std::string_view host = parts->host;
  if (path.starts_with("/users/")) {
    path.remove_prefix(7);
  } else if (path.starts_with("/@")) {
    path.remove_prefix(2);
  } else {
    return std::nullopt;
  }
  size_t end = 0;
  while (end < path.size() && IsUserChar(path[end])) ++end;
  user = path.substr(0, end);
  path.remove_prefix(end);
  if (path.starts_with('@')) {  // "/@ann@other.example/1": a remote account seen from this host
    path.remove_prefix(1);
    size_t host_end = 0;
    while (host_end < path.size() && IsUserChar(path[host_end])) ++host_end;
    host = path.substr(0, host_end);
    path.remove_prefix(host_end);
  }
  if (user.empty() || host.empty() ||
      (!path.empty() && path.front() != '/' && path.front() != '?' && path.front() != '#')) {
    return std::nullopt;
  }
  return AsciiLower(fmt::format("@{}@{}", user, host));
}

// The time a Mastodon status id in a URL encodes ("/statuses/<id>" or "/@user/<id>").
std::optional<double> StatusIdTime(std::string_view url) {
  size_t end = url.find_last_of("0123456789");
  if (end == std::string_view::npos) return std::nullopt;
  size_t start = end;
  while (start > 0 && url[start - 1] >= '0' && url[start - 1] <= '9') --start;
  if (start == 0 || url[start - 1] != '/' || end + 1 != url.size() || end - start + 1 > 19) {
    return std::nullopt;
  }
  uint64_t id = 0;
  for (size_t i = start; i <= end; ++i) id = id * 10 + static_cast<uint64_t>(url[i] - '0');
  double time = static_cast<double>(id >> 16) / 1000.0;
  if (time < kEarliestIdTime || time > kLatestIdTime) return std::nullopt;
  return time;
}

// The strings of a field that is a string or an array of strings ("to", "cc").
std::vector<std::string_view> Strings(element object, std::string_view key) {
  std::vector<std::string_view> out;
  std::optional<element> value = Field(object, key);
  if (!value) return out;
  std::string_view text;
  if (value->get_string().get(text) == simdjson::SUCCESS) {
    out.push_back(text);
    return out;
  }
  simdjson::dom::array list;
  if (value->get_array().get(list) != simdjson::SUCCESS) return out;
  for (element item : list) {
    if (item.get_string().get(text) == simdjson::SUCCESS) out.push_back(text);
  }
  return out;
}

// A field holding a link: a string, or an object with an "id" (some servers embed objects).
std::string_view LinkField(element object, std::string_view key) {
  std::optional<element> value = Field(object, key);
  if (!value) return {};
  std::string_view text;
  if (value->get_string().get(text) == simdjson::SUCCESS) return text;
  return StringField(*value, "id");
}

enum class Visibility { kPublicly, kFollowers, kDirect };

Visibility VisibilityOf(element activity, element note) {
  std::vector<std::string_view> audience = Strings(note, "to");
  std::vector<std::string_view> cc = Strings(note, "cc");
  if (audience.empty() && cc.empty()) {  // fall back to the activity's addressing
    audience = Strings(activity, "to");
    cc = Strings(activity, "cc");
  }
  audience.insert(audience.end(), cc.begin(), cc.end());
  bool followers = false;
  for (std::string_view to : audience) {
    if (to == kPublic || to == "as:Public" || to == "Public") return Visibility::kPublicly;
    if (to.ends_with("/followers")) followers = true;
  }
  return followers ? Visibility::kFollowers : Visibility::kDirect;
}

class MastodonReader {
 public:
  MastodonReader(const ReadOptions& options, const EventCallback& on_event,
                 const RejectCallback& on_reject)
      : options_(options), on_event_(on_event), on_reject_(on_reject) {}

  // actor.json: the owner's Person (id, preferredUsername, url, name). A damaged file teaches
  // nothing; the owner is then taken from the outbox's activities.
  void LearnOwnerFromActor(std::string_view data) {
    element actor;
    if (parser_.parse(data.data(), data.size()).get(actor) != simdjson::SUCCESS) return;
    std::string_view id = StringField(actor, "id");
    std::string_view user = StringField(actor, "preferredUsername");
    std::optional<UrlParts> parts = SplitUrl(id);
    if (!user.empty() && parts) {
      owner_ = AsciiLower(fmt::format("@{}@{}", user, parts->host));
    } else if (std::optional<std::string> account = AccountOfUrl(id)) {
      owner_ = *account;
    } else {
      return;
    }
    owner_name_ = std::string(StringField(actor, "name"));
    owner_urls_.clear();
    for (std::string_view url : {StringField(actor, "url"), id}) {
      if (!url.empty() &&
          std::find(owner_urls_.begin(), owner_urls_.end(), url) == owner_urls_.end()) {
        owner_urls_.emplace_back(url);
      }
    }
  }

  // Hands the owner's identities to options.on_identity (once, when the owner is known).
  void AnnounceOwner() {
    if (owner_announced_ || owner_.empty() || !options_.on_identity) return;
    owner_announced_ = true;
    for (const std::string& url : owner_urls_) {
      Hint(owner_, owner_name_, url, /*is_owner=*/true);
      Hint(url, {}, {}, /*is_owner=*/true);
    }
    if (owner_urls_.empty()) Hint(owner_, owner_name_, {}, /*is_owner=*/true);
  }

  Status Read(File file, std::string_view data, const std::string& name, double undated_time) {
    ReadContext context(name, options_, on_event_, on_reject_, undated_time);
    Status status = ReadCollection(file, data, context);
    counts_.records += context.counts().records;
    counts_.emitted += context.counts().emitted;
    counts_.rejected += context.counts().rejected;
    if (options_.progress) {
      options_.progress(static_cast<int64_t>(data.size()), static_cast<int64_t>(data.size()));
    }
    return status;
  }

  const ReadCounts& counts() const { return counts_; }

 private:
  std::string Owner() const { return owner_.empty() ? std::string("me") : owner_; }

  void Hint(std::string identity, std::string display_name, std::string same_as, bool is_owner) {
    if (!options_.on_identity) return;
    std::string key = fmt::format("{}\x1f{}\x1f{}", identity, display_name, same_as);
    if (!hinted_.insert(std::move(key)).second) return;
    IdentityHint hint;
    hint.identity = std::move(identity);
    hint.display_name = std::move(display_name);
    if (!same_as.empty()) {
      hint.same_as = std::move(same_as);
      hint.reason = std::string(kLinkReason);
    }
    hint.is_owner = is_owner;
    options_.on_identity(std::move(hint));
  }

  void Reject(ReadContext& context, const Line& record, std::string reason, std::string_view hint) {
    context.RejectLine(record, Problem{std::move(reason), std::string(hint)});
  }

  Status Emit(ReadContext& context, const Line& record, Event&& event) {
    event.channel = Channel::kMastodon;
    return context.Emit(record, std::move(event), {});
  }

  Status ReadCollection(File file, std::string_view data, ReadContext& context) {
    if (data.find_first_not_of(" \t\r\n") == std::string_view::npos) return Status::Ok();
    std::vector<size_t> arrays = FindTopLevelValues(data, "orderedItems");
    if (arrays.empty()) {
      ++context.counts().records;
      Reject(context, Line{.text = data.substr(0, kMaxRawBytes), .number = 1},
             "no \"orderedItems\" array: a Mastodon outbox.json or likes.json is an "
             "ActivityStreams OrderedCollection",
             "give the archive's outbox.json and likes.json unchanged");
      return Status::Ok();
    }
    for (size_t at : arrays) {
      if (data[at] != '[') {
        ++context.counts().records;
        Reject(context,
               Line{.text = data.substr(at, kMaxRawBytes),
                    .number = LineOfOffset(data, at),
                    .byte_offset = static_cast<int64_t>(at)},
               "\"orderedItems\" is not an array", kDamagedHint);
        continue;
      }
      JsonArrayScanner scanner(data, at);
      Line record;
      bool cut = false;
      while (scanner.Next(&record)) {
        ++context.counts().records;
        cut = record.unterminated;
        std::string_view noun = file == File::kLikes ? "like" : "activity";
        if (record.text.empty() || record.unterminated) {
          Reject(context, record,
                 record.text.empty() ? "empty record (two commas in a row)"
                                     : fmt::format("the file ends inside this {}", noun),
                 record.text.empty() ? kDamagedHint
                                     : "the file is truncated; export the archive again");
          continue;
        }
        element item;
        simdjson::error_code error =
            parser_.parse(record.text.data(), record.text.size()).get(item);
        if (error != simdjson::SUCCESS) {
          Reject(context, record,
                 error == simdjson::UTF8_ERROR ? fmt::format("invalid UTF-8 in this {}", noun)
                                               : fmt::format("malformed JSON in this {}: {}", noun,
                                                             simdjson::error_message(error)),
                 kDamagedHint);
          continue;
        }
        RAPPORT_RETURN_IF_ERROR(file == File::kLikes ? Like(context, record, item)
                                                     : Activity(context, record, item));
      }
      if (!scanner.closed() && !cut) {
        ++context.counts().records;
        Reject(context,
               Line{.text = {},
                    .number = LineOfOffset(data, data.size()),
                    .byte_offset = static_cast<int64_t>(data.size())},
               "the file ends before \"orderedItems\" is closed; records may be missing",
               "the file is truncated; export the archive again");
      }
    }
    return Status::Ok();
  }

  // Learns the owner from an activity's "actor" when actor.json was not read.
  void LearnOwnerFromActivity(element activity) {
    if (!owner_.empty()) return;
    std::string_view actor = LinkField(activity, "actor");
    std::optional<std::string> account = AccountOfUrl(actor);
    if (!account) return;
    owner_ = *account;
    owner_urls_ = {std::string(actor)};
    AnnounceOwner();
  }

  // "@user@instance" of a Mention tag: its name, completed with the host of its href for local
  // accounts ("@ann" on the owner's instance), else derived from the href.
  std::optional<std::string> MentionAccount(element tag) {
    std::string_view name = Trim(StringField(tag, "name"));
    std::string_view href = StringField(tag, "href");
    std::optional<std::string> account;
    if (name.starts_with('@') && name.size() > 1) {
      std::string_view rest = name.substr(1);
      if (rest.find('@') != std::string_view::npos) {
        account = AsciiLower(name);
      } else if (std::optional<UrlParts> parts = SplitUrl(href)) {
        account = AsciiLower(fmt::format("@{}@{}", rest, parts->host));
      }
    }
    if (!account) account = AccountOfUrl(href);
    if (account && !href.empty()) Hint(*account, {}, std::string(href), false);
    return account;
  }

  Status Activity(ReadContext& context, const Line& record, element activity) {
    std::string_view type = StringField(activity, "type");
    std::string_view id = StringField(activity, "id");
    LearnOwnerFromActivity(activity);
    if (!id.empty() && !activity_ids_.insert(std::string(id)).second) {
      Reject(context, record,
             fmt::format("duplicate activity {}: already read in this file", Shorten(id, 100)),
             "nothing to fix: the export repeats it");
      return Status::Ok();
    }
    if (type == "Create") return Create(context, record, activity);
    if (type == "Announce") return Announce(context, record, activity);
    Reject(context, record,
           type.empty()
               ? std::string("activity without \"type\"")
               : fmt::format("{} activity: not an interaction Rapport reads", Shorten(type)),
           type.empty() ? kDamagedHint
                        : std::string_view("nothing to fix: Rapport reads Create (posts, replies, "
                                           "mentions, direct messages) and Announce (boosts)"));
    return Status::Ok();
  }

  std::optional<double> TimeOf(element activity, element note) {
    std::string_view published = Trim(StringField(note, "published"));
    if (published.empty()) published = Trim(StringField(activity, "published"));
    if (published.empty()) return std::nullopt;
    Result<double> time = ParseTime(published);
    if (!time.ok()) return std::nullopt;
    return *time;
  }

  Status Create(ReadContext& context, const Line& record, element activity) {
    std::optional<element> object = Field(activity, "object");
    simdjson::dom::object body;
    if (!object || object->get_object().get(body) != simdjson::SUCCESS) {
      Reject(context, record, "Create activity without an embedded object",
             "Mastodon exports embed the status; this record cannot be read");
      return Status::Ok();
    }
    element note = *object;
    std::string_view type = StringField(note, "type");
    if (type != "Note" && type != "Question" && type != "Article" && type != "Page") {
      Reject(context, record,
             fmt::format("Create of a {}: not a status",
                         type.empty() ? "object without type" : Shorten(type)),
             "nothing to fix: Rapport reads Note, Question, Article and Page");
      return Status::Ok();
    }
    std::string_view note_id = StringField(note, "id");
    if (note_id.empty()) note_id = StringField(activity, "id");
    if (note_id.empty()) {
      Reject(context, record, "status without \"id\"", kDamagedHint);
      return Status::Ok();
    }
    std::optional<double> time = TimeOf(activity, note);
    if (!time) {
      std::string_view published = StringField(note, "published");
      if (published.empty()) published = StringField(activity, "published");
      Reject(context, record,
             published.empty()
                 ? fmt::format("status {} without \"published\"", Shorten(note_id, 100))
                 : fmt::format("status {}: unparsable published \"{}\"", Shorten(note_id, 100),
                               Shorten(published)),
             "Mastodon writes published like \"2024-03-01T12:30:00Z\"");
      return Status::Ok();
    }
    const std::string owner = Owner();

    // The replied-to account, from the status URL (a reply to oneself is a thread: no target).
    std::string reply_target;
    std::string_view in_reply_to = LinkField(note, "inReplyTo");
    if (!in_reply_to.empty()) {
      std::optional<std::string> author = AccountOfUrl(in_reply_to);
      if (author && *author != owner) reply_target = *author;
    }
    std::vector<std::string> mentioned;
    simdjson::dom::array tags;
    if (std::optional<element> field = Field(note, "tag");
        field && field->get_array().get(tags) == simdjson::SUCCESS) {
      for (element tag : tags) {
        if (StringField(tag, "type") != "Mention") continue;
        std::optional<std::string> account = MentionAccount(tag);
        if (!account || *account == owner || *account == reply_target ||
            std::find(mentioned.begin(), mentioned.end(), *account) != mentioned.end()) {
          continue;
        }
        mentioned.push_back(std::move(*account));
      }
    }

    Event base;
    base.time = *time;
    base.actor = owner;
    base.actor_name = owner_name_;
    if (options_.keep_text) base.text = std::string(StringField(note, "content"));
    const std::string native_id(note_id);

    if (VisibilityOf(activity, note) == Visibility::kDirect) {
      Event event = std::move(base);
      event.kind = Kind::kMessage;
      event.is_private = true;
      if (!reply_target.empty()) event.targets.push_back(reply_target);
      event.targets.insert(event.targets.end(), mentioned.begin(), mentioned.end());
      // Addressees without a Mention tag.
      for (std::string_view to : Strings(note, "to")) {
        std::optional<std::string> account = AccountOfUrl(to);
        if (account && *account != owner &&
            std::find(event.targets.begin(), event.targets.end(), *account) ==
                event.targets.end()) {
          event.targets.push_back(*account);
        }
      }
      if (event.targets.empty()) {
        Reject(context, record,
               fmt::format("direct message {} with no recipient (a note to oneself)",
                           Shorten(note_id, 100)),
               "nothing to fix: it reaches no one");
        return Status::Ok();
      }
      event.native_id = native_id;
      return Emit(context, record, std::move(event));
    }

    bool emitted = false;
    auto emit = [&](Kind kind, std::vector<std::string> targets,
                    std::string_view suffix) -> Status {
      Event event = base;  // copied: one status may yield two events
      event.kind = kind;
      event.targets = std::move(targets);
      event.native_id = emitted ? fmt::format("{}#{}", native_id, suffix) : native_id;
      // Each event beyond the first counts as a record of its own: records = emitted + rejected.
      if (emitted) ++context.counts().records;
      emitted = true;
      return Emit(context, record, std::move(event));
    };
    if (!reply_target.empty()) RAPPORT_RETURN_IF_ERROR(emit(Kind::kReply, {reply_target}, "reply"));
    if (!mentioned.empty()) {
      RAPPORT_RETURN_IF_ERROR(emit(Kind::kMention, std::move(mentioned), "mention"));
    }
    if (!emitted) RAPPORT_RETURN_IF_ERROR(emit(Kind::kPost, {}, "post"));
    return Status::Ok();
  }

  Status Announce(ReadContext& context, const Line& record, element activity) {
    std::string_view boosted = LinkField(activity, "object");
    std::string_view id = StringField(activity, "id");
    if (boosted.empty()) {
      Reject(context, record, "boost (Announce) without \"object\"", kDamagedHint);
      return Status::Ok();
    }
    if (id.empty()) {
      Reject(context, record, "boost (Announce) without \"id\"", kDamagedHint);
      return Status::Ok();
    }
    std::optional<double> time = TimeOf(activity, activity);
    if (!time) {
      Reject(context, record,
             fmt::format("boost {}: missing or unparsable \"published\"", Shorten(id, 100)),
             "Mastodon writes published like \"2024-03-01T12:30:00Z\"");
      return Status::Ok();
    }
    std::optional<std::string> author = AccountOfUrl(boosted);
    if (!author) {
      Reject(context, record,
             fmt::format("boost of {}: the URL does not name the author", Shorten(boosted, 100)),
             "nothing to fix: the server's status URLs do not carry the account name");
      return Status::Ok();
    }
    Event event;
    event.time = *time;
    event.actor = Owner();
    event.actor_name = owner_name_;
    event.native_id = std::string(id);
    if (*author == event.actor) {
      event.kind = Kind::kPost;  // boosting oneself reaches no one new
    } else {
      event.kind = Kind::kShare;
      event.targets = {*author};
      Hint(*author, {}, {}, false);
    }
    return Emit(context, record, std::move(event));
  }

  Status Like(ReadContext& context, const Line& record, element item) {
    std::string_view url;
    if (item.get_string().get(url) != simdjson::SUCCESS) url = StringField(item, "id");
    url = Trim(url);
    if (url.empty()) {
      Reject(context, record, "like that is not a status URL", kDamagedHint);
      return Status::Ok();
    }
    std::optional<std::string> author = AccountOfUrl(url);
    if (!author) {
      Reject(context, record,
             fmt::format("like of {}: the URL does not name the author", Shorten(url, 100)),
             "nothing to fix: likes.json lists only URLs, and this server's do not carry the "
             "account name");
      return Status::Ok();
    }
    if (*author == Owner()) {
      Reject(context, record,
             fmt::format("like of the owner's own status {}: not an interaction with anyone else",
                         Shorten(url, 100)),
             "nothing to fix");
      return Status::Ok();
    }
    Event event;
    event.time = StatusIdTime(url).value_or(context.undated_time());
    event.kind = Kind::kLike;
    event.actor = Owner();
    event.actor_name = owner_name_;
    event.targets = {std::move(*author)};
    event.native_id = fmt::format("like:{}:{}", Owner(), url);
    return Emit(context, record, std::move(event));
  }

  const ReadOptions& options_;
  const EventCallback& on_event_;
  const RejectCallback& on_reject_;
  simdjson::dom::parser parser_;
  std::string owner_;  // "@user@instance", empty until known
  std::string owner_name_;
  std::vector<std::string> owner_urls_;
  bool owner_announced_ = false;
  std::unordered_set<std::string> hinted_;
  std::unordered_set<std::string> activity_ids_;
  ReadCounts counts_;
};

Status UnknownFile(const std::string& name) {
  return InvalidArgument(fmt::format(
      "{}: not a Mastodon archive file Rapport reads (outbox.json, likes.json, actor.json); give "
      "the archive folder",
      name));
}

}  // namespace

Result<ReadCounts> ReadMastodonArchivePath(const std::string& path, const ReadOptions& options,
                                           const EventCallback& on_event,
                                           const RejectCallback& on_reject) {
  namespace fs = std::filesystem;
  std::error_code error;
  MastodonReader reader(options, on_event, on_reject);
  const bool folder = fs::is_directory(path, error);
  const fs::path dir = folder ? fs::path(path) : fs::path(path).parent_path();
  fs::path actor = (dir.empty() ? fs::path(".") : dir) / "actor.json";
  if (fs::is_regular_file(actor, error)) {
    Result<std::string> data = ReadWholeFile(actor.string());
    if (data.ok()) reader.LearnOwnerFromActor(*data);
  }
  reader.AnnounceOwner();
  auto read = [&](File file, const std::string& name) -> Status {
    RAPPORT_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(name));
    double undated = options.undated_time != 0 ? options.undated_time : ModificationTime(name);
    return reader.Read(file, data, name, undated);
  };
  if (!folder) {
    File file = FileFromName(path);
    if (file == File::kActor) return ReadCounts{};
    if (file == File::kUnknown) file = File::kOutbox;  // detected by content: an OrderedCollection
    RAPPORT_RETURN_IF_ERROR(read(file, path));
    return reader.counts();
  }
  for (auto [file, name] :
       {std::pair{File::kOutbox, "outbox.json"}, {File::kLikes, "likes.json"}}) {
    fs::path full = dir / name;
    if (fs::is_regular_file(full, error)) RAPPORT_RETURN_IF_ERROR(read(file, full.string()));
  }
  return reader.counts();
}

Result<ReadCounts> ReadMastodonArchiveBuffer(std::string_view data, const std::string& name,
                                             const ReadOptions& options,
                                             const EventCallback& on_event,
                                             const RejectCallback& on_reject) {
  MastodonReader reader(options, on_event, on_reject);
  File file = FileFromName(name);
  if (file == File::kActor) {
    reader.LearnOwnerFromActor(data);
    reader.AnnounceOwner();
    return ReadCounts{};
  }
  if (file == File::kUnknown) {
    if (data.find("\"orderedItems\"") == std::string_view::npos) return UnknownFile(name);
    file = File::kOutbox;
  }
  RAPPORT_RETURN_IF_ERROR(reader.Read(file, data, name, options.undated_time));
  return reader.counts();
}

}  // namespace rapport::ingest
