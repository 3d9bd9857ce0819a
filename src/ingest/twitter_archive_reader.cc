// The X/Twitter "Your archive" reader: the archive folder, its data/ folder or one of its .js
// files. Every data file is JavaScript, `window.YTD.<name>.part0 = [ ... ]`; the array after the
// first
// '[' is JSON. JsonArrayScanner splits it into records, each parsed on its own with simdjson's DOM
// (error codes, no exceptions), so a damaged record is rejected with its line and costs only
// itself. Files read: account.js and manifest.js (the owner), tweets.js / tweet.js and their
// -partN splits, like.js, follower.js, following.js, direct-messages.js and
// direct-messages-group.js (also the older direct-message*.js names). The mapping to events, and
// what is rejected and why, is documented in docs/formats-social.md.
//
// Thread-safety: one read per thread; the parser and the maps belong to the read.
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
#include <unordered_map>
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

constexpr std::string_view kLinkReason = "X archive: screen name and account id of one account";
constexpr std::string_view kDamagedHint =
    "the file is damaged; download the archive again or repair this record";
// Tweet ids below this were given out sequentially before Snowflake (November 2010) and say
// nothing about time; ids above it carry milliseconds since kTwitterEpochMs in their top bits.
constexpr uint64_t kFirstSnowflakeId = 30'000'000'000ULL;
constexpr uint64_t kTwitterEpochMs = 1288834974657ULL;

enum class Part {
  kUnknown,
  kTweets,
  kLikes,
  kFollowers,
  kFollowing,
  kDirectMessages,
  kGroupMessages,
  kAccount,
  kManifest,
};

std::string_view StripBom(std::string_view data) {
  if (data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
  return data;
}

// The <name> of "window.YTD.<name>.part0 = [", or empty.
std::string_view YtdName(std::string_view data) {
  data = StripBom(data);
  size_t start = data.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  data.remove_prefix(start);
  constexpr std::string_view kPrefix = "window.YTD.";
  if (!data.starts_with(kPrefix)) return {};
  data.remove_prefix(kPrefix.size());
  return data.substr(0, data.find_first_of(". =["));
}

Part PartFromYtdName(std::string_view name) {
  if (name == "tweets" || name == "tweet") return Part::kTweets;
  if (name == "like") return Part::kLikes;
  if (name == "follower") return Part::kFollowers;
  if (name == "following") return Part::kFollowing;
  if (name == "direct_messages" || name == "direct_message") return Part::kDirectMessages;
  if (name == "direct_messages_group" || name == "direct_message_group") {
    return Part::kGroupMessages;
  }
  if (name == "account") return Part::kAccount;
  return Part::kUnknown;
}

// From a file name: "tweets.js", "tweets-part2.js", "direct-messages-group.js", "manifest.js".
Part PartFromFileName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  std::string base = AsciiLower(slash == std::string_view::npos ? path : path.substr(slash + 1));
  std::string_view name = base;
  if (!name.ends_with(".js")) return Part::kUnknown;
  name.remove_suffix(3);
  size_t part = name.rfind("-part");
  if (part != std::string_view::npos &&
      name.find_first_not_of("0123456789", part + 5) == std::string_view::npos) {
    name = name.substr(0, part);
  }
  if (name == "manifest") return Part::kManifest;
  std::string ytd(name);
  std::replace(ytd.begin(), ytd.end(), '-', '_');
  return PartFromYtdName(ytd);
}

std::string_view PartNoun(Part part) {
  switch (part) {
    case Part::kTweets:
      return "tweet";
    case Part::kLikes:
      return "like";
    case Part::kFollowers:
      return "follower";
    case Part::kFollowing:
      return "following";
    default:
      return "conversation";
  }
}

bool ParseUint(std::string_view text, uint64_t* out) {
  if (text.empty() || text.size() > 20) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    uint64_t next = value * 10 + static_cast<uint64_t>(c - '0');
    if (next / 10 != value) return false;  // overflow
    value = next;
  }
  *out = value;
  return true;
}

bool ParseFixed(std::string_view text, int* out) {
  uint64_t value = 0;
  if (!ParseUint(text, &value) || value > 100000) return false;
  *out = static_cast<int>(value);
  return true;
}

// "Fri Mar 06 13:02:05 +0000 2026" (the weekday is not checked against the date).
std::optional<double> ParseTwitterTime(std::string_view text) {
  std::vector<std::string_view> parts;
  while (!text.empty()) {
    size_t space = text.find(' ');
    if (space != 0) parts.push_back(text.substr(0, space));
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  if (parts.size() != 6) return std::nullopt;
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = 0;
  for (int i = 0; i < 12; ++i) {
    if (parts[1] == kMonths[i]) month = i + 1;
  }
  int day = 0, hour = 0, minute = 0, second = 0, year = 0, offset_hours = 0, offset_minutes = 0;
  const std::string_view clock = parts[3];
  const std::string_view offset = parts[4];
  if (month == 0 || parts[2].size() > 2 || !ParseFixed(parts[2], &day) || day < 1 || day > 31 ||
      clock.size() != 8 || clock[2] != ':' || clock[5] != ':' ||
      !ParseFixed(clock.substr(0, 2), &hour) || !ParseFixed(clock.substr(3, 2), &minute) ||
      !ParseFixed(clock.substr(6, 2), &second) || hour > 23 || minute > 59 || second > 60 ||
      offset.size() != 5 || (offset[0] != '+' && offset[0] != '-') ||
      !ParseFixed(offset.substr(1, 2), &offset_hours) ||
      !ParseFixed(offset.substr(3, 2), &offset_minutes) || offset_minutes > 59 ||
      parts[5].size() != 4 || !ParseFixed(parts[5], &year)) {
    return std::nullopt;
  }
  double seconds = EpochSeconds(year, month, day, hour, minute, second);
  double shift = offset_hours * 3600.0 + offset_minutes * 60.0;
  return offset[0] == '+' ? seconds - shift : seconds + shift;
}

// The time a tweet id encodes (Snowflake), or nullopt for the old sequential ids.
std::optional<double> SnowflakeTime(std::string_view id) {
  uint64_t value = 0;
  if (!ParseUint(id, &value) || value < kFirstSnowflakeId) return std::nullopt;
  return static_cast<double>((value >> 22) + kTwitterEpochMs) / 1000.0;
}

bool IsHandleChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// "https://x.com/<handle>/status/<id>" (also twitter.com, www., mobile., "statuses"): the handle
// and the status id; nullopt for other links and for "i/web/status" links, which name no one.
struct StatusLink {
  std::string_view handle;
  std::string_view status_id;
};
std::optional<StatusLink> ParseStatusLink(std::string_view url) {
  std::optional<UrlParts> parts = SplitUrl(url);
  if (!parts) return std::nullopt;
  std::string_view host = parts->host;
  if (host.starts_with("www.")) host.remove_prefix(4);
  if (host.starts_with("mobile.")) host.remove_prefix(7);
  if (host != "twitter.com" && host != "x.com") return std::nullopt;
  std::string_view path = parts->path;
  if (!path.starts_with('/')) return std::nullopt;
  path.remove_prefix(1);
  size_t slash = path.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash > 15) return std::nullopt;
  StatusLink link;
  link.handle = path.substr(0, slash);
  if (!std::all_of(link.handle.begin(), link.handle.end(), IsHandleChar) || link.handle == "i") {
    return std::nullopt;
  }
  path.remove_prefix(slash + 1);
  if (path.starts_with("status/")) {
    path.remove_prefix(7);
  } else if (path.starts_with("statuses/")) {
    path.remove_prefix(9);
  } else {
    return std::nullopt;
  }
  link.status_id = path.substr(0, path.find_first_not_of("0123456789"));
  if (link.status_id.empty()) return std::nullopt;
  return link;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && AsciiLower(a) == AsciiLower(b);
}

// An account as a tweet names it: a screen name, a numeric id, or both.
struct Account {
  std::string_view handle = {};
  std::string_view id = {};
  std::string_view name = {};
  bool empty() const { return handle.empty() && id.empty(); }
  std::string Identity() const {
    return handle.empty() ? fmt::format("twitter:{}", id) : fmt::format("@{}", handle);
  }
};

class TwitterArchiveReader {
 public:
  TwitterArchiveReader(const ReadOptions& options, const EventCallback& on_event,
                       const RejectCallback& on_reject)
      : options_(options), on_event_(on_event), on_reject_(on_reject) {}

  // account.js: [{"account": {"username", "accountId", "accountDisplayName"}}]. Fills what the
  // owner does not have yet; a damaged file teaches nothing (it holds no interactions).
  void LearnOwnerFromAccount(std::string_view data) {
    size_t open = data.find('[');
    if (open == std::string_view::npos) return;
    JsonArrayScanner scanner(data, open);
    Line record;
    element root;
    if (!scanner.Next(&record) ||
        parser_.parse(record.text.data(), record.text.size()).get(root) != simdjson::SUCCESS) {
      return;
    }
    element account = Field(root, "account").value_or(root);
    LearnOwner(StringField(account, "username"), IdField(account, "accountId", &scratch_),
               StringField(account, "accountDisplayName"));
  }

  // manifest.js: window.__THAR_CONFIG = {"userInfo": {"accountId", "userName", "displayName"}}.
  void LearnOwnerFromManifest(std::string_view data) {
    size_t open = data.find('{');
    size_t close = data.rfind('}');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) return;
    element root;
    if (parser_.parse(data.data() + open, close - open + 1).get(root) != simdjson::SUCCESS) return;
    std::optional<element> user = Field(root, "userInfo");
    if (!user) return;
    LearnOwner(StringField(*user, "userName"), IdField(*user, "accountId", &scratch_),
               StringField(*user, "displayName"));
  }

  // Reads one data file. Returns a non-ok status only when a callback fails.
  Status Read(Part part, std::string_view data, const std::string& name, double undated_time) {
    AnnounceOwner();
    ReadContext context(name, options_, on_event_, on_reject_, undated_time);
    Status status = ReadRecords(part, data, context);
    const ReadCounts& counts = context.counts();
    counts_.records += counts.records;
    counts_.emitted += counts.emitted;
    counts_.rejected += counts.rejected;
    return status;
  }

  const ReadCounts& counts() const { return counts_; }

  // Hands the owner's identities to options.on_identity (once, when the owner is known).
  void AnnounceOwner() {
    if (owner_announced_ || !options_.on_identity) return;
    if (owner_handle_.empty() && owner_id_.empty()) return;
    owner_announced_ = true;
    if (!owner_handle_.empty()) {
      Hint({.identity = "@" + owner_handle_,
            .display_name = owner_name_,
            .same_as = owner_id_.empty() ? std::string() : "twitter:" + owner_id_,
            .reason = owner_id_.empty() ? std::string() : std::string(kLinkReason),
            .is_owner = true});
    }
    if (!owner_id_.empty()) {
      Hint({.identity = "twitter:" + owner_id_,
            .display_name = owner_handle_.empty() ? owner_name_ : std::string(),
            .same_as = {},
            .reason = {},
            .is_owner = true});
    }
  }

 private:
  void LearnOwner(std::string_view handle, std::string_view id, std::string_view name) {
    if (owner_handle_.empty()) owner_handle_ = std::string(Trim(handle));
    if (owner_id_.empty()) owner_id_ = std::string(Trim(id));
    if (owner_name_.empty()) owner_name_ = std::string(Trim(name));
  }

  // The owner's identity in events: "@handle", else "twitter:<id>", else "me" (the store's
  // default owner) when the archive does not say who it belongs to.
  std::string OwnerIdentity() const {
    if (!owner_handle_.empty()) return "@" + owner_handle_;
    if (!owner_id_.empty()) return "twitter:" + owner_id_;
    return "me";
  }
  // What makes the native ids of the owner's likes and follows unique across owners.
  std::string_view OwnerKey() const {
    if (!owner_id_.empty()) return owner_id_;
    if (!owner_handle_.empty()) return owner_handle_;
    return "me";
  }

  bool IsOwner(std::string_view handle, std::string_view id) const {
    return (!id.empty() && id == owner_id_) ||
           (!handle.empty() && !owner_handle_.empty() && EqualsIgnoreCase(handle, owner_handle_));
  }

  void Hint(IdentityHint&& hint) {
    if (!options_.on_identity) return;
    std::string key = fmt::format("{}\x1f{}\x1f{}", hint.identity, hint.display_name, hint.same_as);
    if (!hinted_.insert(std::move(key)).second) return;
    options_.on_identity(std::move(hint));
  }

  // The identity of an account a tweet names, with a hint for its name and id.
  std::string Identify(const Account& account) {
    std::string identity = account.Identity();
    const bool has_id = !account.handle.empty() && !account.id.empty() && account.id != "-1";
    if (has_id || !account.name.empty()) {
      Hint({.identity = identity,
            .display_name = std::string(account.name),
            .same_as = has_id ? fmt::format("twitter:{}", account.id) : std::string(),
            .reason = has_id ? std::string(kLinkReason) : std::string()});
    }
    return identity;
  }

  // A numeric id as an identity: the owner's, or "twitter:<id>".
  std::string IdIdentity(std::string_view id) const {
    return id == owner_id_ ? OwnerIdentity() : fmt::format("twitter:{}", id);
  }

  void Reject(ReadContext& context, const Line& record, std::string reason, std::string_view hint) {
    context.RejectLine(record, Problem{std::move(reason), std::string(hint)});
  }

  Status Emit(ReadContext& context, const Line& record, Event&& event) {
    event.channel = Channel::kTwitter;
    return context.Emit(record, std::move(event), {});
  }

  Status ReadRecords(Part part, std::string_view data, ReadContext& context) {
    size_t open = data.find('[');
    if (open == std::string_view::npos) {
      if (StripBom(data).find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return Status::Ok();  // an empty file holds no records
      }
      ++context.counts().records;
      Line whole{.text = data.substr(0, kMaxRawBytes), .number = 1};
      Reject(context, whole,
             "no JSON array: an X archive data file holds window.YTD.<name>.part0 = [ ... ]",
             "give the archive's data/*.js files unchanged");
      return Status::Ok();
    }
    JsonArrayScanner scanner(data, open);
    Line record;
    bool cut = false;
    while (scanner.Next(&record)) {
      cut = record.unterminated;
      if (record.text.empty() || record.unterminated) {
        ++context.counts().records;
        Reject(context, record,
               record.text.empty() ? "empty record (two commas in a row)"
                                   : fmt::format("the file ends inside this {}", PartNoun(part)),
               record.text.empty() ? kDamagedHint
                                   : "the file is truncated; download the archive again");
        continue;
      }
      element root;
      simdjson::error_code error = parser_.parse(record.text.data(), record.text.size()).get(root);
      if (error != simdjson::SUCCESS) {
        ++context.counts().records;
        Reject(context, record,
               error == simdjson::UTF8_ERROR
                   ? fmt::format("invalid UTF-8 in this {}", PartNoun(part))
                   : fmt::format("malformed JSON in this {}: {}", PartNoun(part),
                                 simdjson::error_message(error)),
               kDamagedHint);
        continue;
      }
      Status status;
      switch (part) {
        case Part::kTweets:
          ++context.counts().records;
          status = Tweet(context, record, root);
          break;
        case Part::kLikes:
          ++context.counts().records;
          status = Like(context, record, root);
          break;
        case Part::kFollowers:
        case Part::kFollowing:
          ++context.counts().records;
          status = Follow(context, record, root, part == Part::kFollowers);
          break;
        case Part::kDirectMessages:
        case Part::kGroupMessages:
          status = Conversation(context, record, root, part == Part::kGroupMessages);
          break;
        default:
          return Internal("TwitterArchiveReader::ReadRecords: not a record file");
      }
      RAPPORT_RETURN_IF_ERROR(status);
    }
    if (!scanner.closed() && !cut) {
      ++context.counts().records;
      Line end{.text = {},
               .number = LineOfOffset(data, data.size()),
               .byte_offset = static_cast<int64_t>(data.size())};
      Reject(context, end, "the file ends before the array is closed; records may be missing",
             "the file is truncated; download the archive again");
    } else if (scanner.closed()) {
      std::string_view rest = Trim(data.substr(scanner.end()));
      while (!rest.empty() && (rest.front() == ';' || rest.front() == '\r' ||
                               rest.front() == '\n' || rest.front() == ' ')) {
        rest.remove_prefix(1);
      }
      if (!rest.empty()) {
        ++context.counts().records;
        const size_t at = data.size() - rest.size();
        Line after{.text = rest.substr(0, kMaxRawBytes),
                   .number = LineOfOffset(data, at),
                   .byte_offset = static_cast<int64_t>(at)};
        Reject(context, after,
               fmt::format("{} bytes of unexpected text after the array", rest.size()),
               "an X archive data file holds one array; remove what follows it");
      }
    }
    if (options_.progress) {
      options_.progress(static_cast<int64_t>(data.size()), static_cast<int64_t>(data.size()));
    }
    return Status::Ok();
  }

  Status Tweet(ReadContext& context, const Line& record, element root) {
    element tweet = Field(root, "tweet").value_or(root);
    std::string id_storage;
    std::string id(IdField(tweet, "id_str", &id_storage));
    if (id.empty()) id = std::string(IdField(tweet, "id", &id_storage));
    if (id.empty()) {
      Reject(context, record, "tweet without \"id_str\"", kDamagedHint);
      return Status::Ok();
    }
    std::string_view created = StringField(tweet, "created_at");
    std::optional<double> time = ParseTwitterTime(Trim(created));
    if (!time) {
      Reject(context, record,
             created.empty()
                 ? fmt::format("tweet {} without \"created_at\"", id)
                 : fmt::format("tweet {}: unparsable created_at \"{}\"", id, Shorten(created)),
             "X writes created_at like \"Fri Mar 06 13:02:05 +0000 2026\"");
      return Status::Ok();
    }
    std::string_view text = StringField(tweet, "full_text");
    if (text.empty()) text = StringField(tweet, "text");
    status_authors_.insert_or_assign(id, OwnerIdentity());

    std::optional<element> entities = Field(tweet, "entities");
    std::vector<Account> mentions;
    std::vector<std::string> mention_storage;  // ids written as numbers
    if (entities) {
      simdjson::dom::array list;
      if (std::optional<element> field = Field(*entities, "user_mentions");
          field && field->get_array().get(list) == simdjson::SUCCESS) {
        mention_storage.reserve(list.size());
        for (element mention : list) {
          mention_storage.emplace_back();
          Account account{.handle = Trim(StringField(mention, "screen_name")),
                          .id = Trim(IdField(mention, "id_str", &mention_storage.back())),
                          .name = StringField(mention, "name")};
          if (!account.empty()) mentions.push_back(account);
        }
      }
    }

    Event base;
    base.time = *time;
    base.actor = OwnerIdentity();
    base.actor_name = owner_name_;
    if (options_.keep_text) base.text = std::string(text);

    // A retweet: a share of the original author's tweet, named by the first mention.
    if (text.starts_with("RT @")) {
      Account author;
      if (!mentions.empty()) {
        author = mentions.front();
      } else {
        std::string_view handle = text.substr(4);
        size_t end = 0;
        while (end < handle.size() && end < 15 && IsHandleChar(handle[end])) ++end;
        author.handle = handle.substr(0, end);
      }
      if (author.empty()) {
        Reject(context, record,
               fmt::format("retweet {}: no user mention and no \"RT @name:\" names the author", id),
               kDamagedHint);
        return Status::Ok();
      }
      Event event = std::move(base);
      event.native_id = id;
      if (IsOwner(author.handle, author.id)) {
        event.kind = Kind::kPost;  // a retweet of one's own tweet reaches no one new
      } else {
        event.kind = Kind::kShare;
        event.targets = {Identify(author)};
        if (!author.name.empty()) event.target_names = {std::string(author.name)};
      }
      return Emit(context, record, std::move(event));
    }

    // A reply to someone else (a reply to oneself is a thread: no target).
    Account replied{.handle = Trim(StringField(tweet, "in_reply_to_screen_name")),
                    .id = Trim(IdField(tweet, "in_reply_to_user_id_str", &id_storage))};
    if (replied.id.empty()) replied.id = Trim(IdField(tweet, "in_reply_to_user_id", &id_storage));
    std::string reply_target;
    if (!replied.empty() && !IsOwner(replied.handle, replied.id)) {
      for (const Account& mention : mentions) {
        if ((!replied.handle.empty() && EqualsIgnoreCase(mention.handle, replied.handle)) ||
            (!replied.id.empty() && mention.id == replied.id)) {
          if (replied.handle.empty()) replied.handle = mention.handle;
          if (replied.id.empty()) replied.id = mention.id;
          replied.name = mention.name;
        }
      }
      reply_target = Identify(replied);
      std::string_view status_id = Trim(StringField(tweet, "in_reply_to_status_id_str"));
      if (!status_id.empty())
        status_authors_.insert_or_assign(std::string(status_id), reply_target);
    }

    // Mentions of others: not the owner, not the replied-to account, each once.
    std::vector<std::string> mentioned;
    std::vector<std::string> mentioned_names;
    for (const Account& mention : mentions) {
      if (IsOwner(mention.handle, mention.id)) continue;
      std::string identity = Identify(mention);
      if (EqualsIgnoreCase(identity, reply_target) ||
          (!replied.id.empty() && mention.id == replied.id)) {
        continue;
      }
      if (std::any_of(mentioned.begin(), mentioned.end(),
                      [&](const std::string& seen) { return EqualsIgnoreCase(seen, identity); })) {
        continue;
      }
      mentioned.push_back(std::move(identity));
      mentioned_names.emplace_back(mention.name);
    }

    // Quotes: links to another account's status.
    std::vector<std::string> quoted;
    if (entities) {
      simdjson::dom::array urls;
      if (std::optional<element> field = Field(*entities, "urls");
          field && field->get_array().get(urls) == simdjson::SUCCESS) {
        for (element url : urls) {
          std::optional<StatusLink> link = ParseStatusLink(StringField(url, "expanded_url"));
          if (!link || IsOwner(link->handle, {})) continue;
          std::string identity = fmt::format("@{}", link->handle);
          status_authors_.insert_or_assign(std::string(link->status_id), identity);
          if (std::none_of(quoted.begin(), quoted.end(), [&](const std::string& seen) {
                return EqualsIgnoreCase(seen, identity);
              })) {
            quoted.push_back(std::move(identity));
          }
        }
      }
    }

    bool emitted = false;
    auto emit = [&](Kind kind, std::vector<std::string> targets, std::vector<std::string> names,
                    std::string_view suffix) -> Status {
      Event event = base;  // copied: one tweet may yield several events
      event.kind = kind;
      event.targets = std::move(targets);
      event.target_names = std::move(names);
      event.native_id = emitted ? fmt::format("{}:{}", id, suffix) : id;
      // Each event beyond the first counts as a record of its own: records = emitted + rejected.
      if (emitted) ++context.counts().records;
      emitted = true;
      return Emit(context, record, std::move(event));
    };
    if (!reply_target.empty()) {
      std::vector<std::string> names;
      if (!replied.name.empty()) names.emplace_back(replied.name);
      RAPPORT_RETURN_IF_ERROR(emit(Kind::kReply, {reply_target}, std::move(names), "reply"));
    }
    if (!mentioned.empty()) {
      RAPPORT_RETURN_IF_ERROR(
          emit(Kind::kMention, std::move(mentioned), std::move(mentioned_names), "mention"));
    }
    if (!quoted.empty())
      RAPPORT_RETURN_IF_ERROR(emit(Kind::kShare, std::move(quoted), {}, "quote"));
    if (!emitted) RAPPORT_RETURN_IF_ERROR(emit(Kind::kPost, {}, {}, "post"));
    return Status::Ok();
  }

  Status Like(ReadContext& context, const Line& record, element root) {
    element like = Field(root, "like").value_or(root);
    std::string storage;
    std::string_view tweet_id = Trim(IdField(like, "tweetId", &storage));
    if (tweet_id.empty()) {
      Reject(context, record, "like without \"tweetId\"", kDamagedHint);
      return Status::Ok();
    }
    std::string target;
    if (std::optional<StatusLink> link = ParseStatusLink(StringField(like, "expandedUrl"))) {
      target = IsOwner(link->handle, {}) ? OwnerIdentity() : fmt::format("@{}", link->handle);
    } else if (auto known = status_authors_.find(std::string(tweet_id));
               known != status_authors_.end()) {
      target = known->second;
    }
    if (target.empty()) {
      Reject(context, record,
             fmt::format("like of tweet {}: the archive does not say whose tweet it was", tweet_id),
             "nothing to fix: X's like.js names only the tweet; a like is read when its link names "
             "the author or the owner replied to or quoted that tweet (read the whole folder)");
      return Status::Ok();
    }
    if (target == OwnerIdentity()) {
      Reject(context, record,
             fmt::format("like of the owner's own tweet {}: not an interaction with anyone else",
                         tweet_id),
             "nothing to fix");
      return Status::Ok();
    }
    Event event;
    event.time = SnowflakeTime(tweet_id).value_or(context.undated_time());
    event.kind = Kind::kLike;
    event.actor = OwnerIdentity();
    event.actor_name = owner_name_;
    event.targets = {std::move(target)};
    event.native_id = fmt::format("like:{}:{}", OwnerKey(), tweet_id);
    if (options_.keep_text) event.text = std::string(StringField(like, "fullText"));
    return Emit(context, record, std::move(event));
  }

  Status Follow(ReadContext& context, const Line& record, element root, bool follower) {
    const char* key = follower ? "follower" : "following";
    element item = Field(root, key).value_or(root);
    std::string storage;
    std::string_view account_id = Trim(IdField(item, "accountId", &storage));
    if (account_id.empty()) {
      Reject(context, record, fmt::format("{} without \"accountId\"", key), kDamagedHint);
      return Status::Ok();
    }
    if (IsOwner({}, account_id)) {
      Reject(context, record, fmt::format("{} {} is the owner's own account", key, account_id),
             "nothing to fix");
      return Status::Ok();
    }
    Event event;
    event.time = context.undated_time();
    event.kind = Kind::kFollow;
    std::string other = fmt::format("twitter:{}", account_id);
    if (follower) {
      event.actor = std::move(other);
      event.targets = {OwnerIdentity()};
    } else {
      event.actor = OwnerIdentity();
      event.actor_name = owner_name_;
      event.targets = {std::move(other)};
    }
    event.native_id = fmt::format("{}:{}:{}", key, OwnerKey(), account_id);
    return Emit(context, record, std::move(event));
  }

  // One conversation of direct-messages(-group).js; each messageCreate in it is a record.
  Status Conversation(ReadContext& context, const Line& record, element root, bool group) {
    element conversation = Field(root, "dmConversation").value_or(root);
    simdjson::dom::array messages;
    std::optional<element> field = Field(conversation, "messages");
    if (!field || field->get_array().get(messages) != simdjson::SUCCESS) {
      ++context.counts().records;
      Reject(context, record, "conversation without a \"messages\" array", kDamagedHint);
      return Status::Ok();
    }
    // Who takes part: from the conversation id ("<id>-<id>" for two people) and every entry.
    std::vector<std::string> participants;
    std::string storage;
    auto add = [&](std::string_view id) {
      id = Trim(id);
      if (!id.empty() &&
          std::find(participants.begin(), participants.end(), id) == participants.end()) {
        participants.emplace_back(id);
      }
    };
    auto add_all = [&](element entry, std::string_view key) {
      simdjson::dom::array ids;
      std::optional<element> list = Field(entry, key);
      if (!list || list->get_array().get(ids) != simdjson::SUCCESS) return;
      for (element id : ids) {
        std::string_view text;
        if (id.get_string().get(text) == simdjson::SUCCESS) add(text);
      }
    };
    if (!owner_id_.empty()) add(owner_id_);
    if (!group) {
      std::string_view conversation_id = StringField(conversation, "conversationId");
      size_t dash = conversation_id.find('-');
      if (dash != std::string_view::npos) {
        add(conversation_id.substr(0, dash));
        add(conversation_id.substr(dash + 1));
      }
    }
    for (element entry : messages) {
      simdjson::dom::object object;
      if (entry.get_object().get(object) != simdjson::SUCCESS) continue;
      for (simdjson::dom::key_value_pair item : object) {
        add(IdField(item.value, "senderId", &storage));
        add(IdField(item.value, "recipientId", &storage));
        add(IdField(item.value, "initiatingUserId", &storage));
        add_all(item.value, "participantsSnapshot");
        add_all(item.value, "userIds");
      }
    }

    for (element entry : messages) {
      simdjson::dom::object object;
      if (entry.get_object().get(object) != simdjson::SUCCESS) {
        ++context.counts().records;
        Reject(context, record, "conversation entry that is not an object", kDamagedHint);
        continue;
      }
      for (simdjson::dom::key_value_pair item : object) {
        std::string_view type = item.key;
        if (type == "joinConversation" || type == "participantsJoin" ||
            type == "participantsLeave" || type == "conversationNameUpdate") {
          continue;  // who is in the conversation, already used above; not an interaction
        }
        ++context.counts().records;
        Line where = Locate(record, IdField(item.value, "id", &storage));
        if (type != "messageCreate" && type != "welcomeMessageCreate") {
          Reject(context, where,
                 fmt::format("unknown conversation entry \"{}\": not read", Shorten(type)),
                 "tell the Rapport developers: X may have added a kind of entry");
          continue;
        }
        RAPPORT_RETURN_IF_ERROR(Message(context, where, item.value, participants));
      }
    }
    return Status::Ok();
  }

  // The record's position moved to the message with this id, when it can be found in the text.
  Line Locate(const Line& record, std::string_view id) {
    Line where = record;
    if (id.empty()) return where;
    size_t at = record.text.find(fmt::format("\"{}\"", id));
    if (at == std::string_view::npos) return where;
    where.number += std::count(record.text.begin(),
                               record.text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    where.byte_offset += static_cast<int64_t>(at);
    where.text = record.text.substr(at);
    return where;
  }

  Status Message(ReadContext& context, const Line& where, element message,
                 const std::vector<std::string>& participants) {
    std::string storage, sender_storage, recipient_storage;
    std::string id(Trim(IdField(message, "id", &storage)));
    std::string_view sender = Trim(IdField(message, "senderId", &sender_storage));
    std::string_view recipient = Trim(IdField(message, "recipientId", &recipient_storage));
    if (id.empty()) {
      Reject(context, where, "direct message without \"id\"", kDamagedHint);
      return Status::Ok();
    }
    if (sender.empty()) {
      Reject(context, where, fmt::format("direct message {} without \"senderId\"", id),
             kDamagedHint);
      return Status::Ok();
    }
    std::string_view created = Trim(StringField(message, "createdAt"));
    Result<double> time = ParseTime(created);
    if (created.empty() || !time.ok()) {
      Reject(context, where,
             fmt::format("direct message {}: unparsable createdAt \"{}\"", id, Shorten(created)),
             "X writes createdAt like \"2024-03-01T12:30:00.000Z\"");
      return Status::Ok();
    }
    Event event;
    event.time = *time;
    event.kind = Kind::kMessage;
    event.is_private = true;
    event.actor = IdIdentity(sender);
    if (sender == owner_id_) event.actor_name = owner_name_;
    if (!recipient.empty() && recipient != sender) {
      event.targets.push_back(IdIdentity(recipient));
    } else {
      for (const std::string& participant : participants) {
        if (participant != sender) event.targets.push_back(IdIdentity(participant));
      }
    }
    if (event.targets.empty()) {
      Reject(
          context, where,
          fmt::format("direct message {}: no recipient (the conversation names no one else)", id),
          kDamagedHint);
      return Status::Ok();
    }
    event.native_id = fmt::format("dm:{}", id);
    if (options_.keep_text) event.text = std::string(StringField(message, "text"));
    // Reactions to this message: likes from the reacting account to the sender.
    std::vector<Event> reactions;
    simdjson::dom::array list;
    if (std::optional<element> field = Field(message, "reactions");
        field && field->get_array().get(list) == simdjson::SUCCESS) {
      int index = 0;
      for (element reaction : list) {
        ++index;
        std::string reactor_storage;
        std::string_view reactor = Trim(IdField(reaction, "senderId", &reactor_storage));
        Result<double> when = ParseTime(Trim(StringField(reaction, "createdAt")));
        if (reactor.empty() || reactor == sender || !when.ok()) continue;
        Event like;
        like.time = *when;
        like.kind = Kind::kLike;
        like.is_private = true;
        like.actor = IdIdentity(reactor);
        like.targets = {event.actor};
        like.native_id = fmt::format("dm:{}:reaction:{}", id, index);
        reactions.push_back(std::move(like));
      }
    }
    RAPPORT_RETURN_IF_ERROR(Emit(context, where, std::move(event)));
    for (Event& like : reactions) {
      ++context.counts()
            .records;  // a reaction is a record of its own: records = emitted + rejected
      RAPPORT_RETURN_IF_ERROR(Emit(context, where, std::move(like)));
    }
    return Status::Ok();
  }

  const ReadOptions& options_;
  const EventCallback& on_event_;
  const RejectCallback& on_reject_;
  simdjson::dom::parser parser_;
  std::string owner_handle_;
  std::string owner_id_;
  std::string owner_name_;
  bool owner_announced_ = false;
  std::string scratch_;
  // Status id -> its author's identity, learned from the owner's tweets (replies, quotes, own
  // tweets), so that likes of those statuses have a target.
  std::unordered_map<std::string, std::string> status_authors_;
  std::unordered_set<std::string> hinted_;
  ReadCounts counts_;
};

Status UnknownFile(const std::string& name) {
  return InvalidArgument(fmt::format(
      "{}: not an X archive file Rapport reads (tweets.js, like.js, follower.js, following.js, "
      "direct-messages.js, direct-messages-group.js); give the archive folder",
      name));
}

Part PartOf(std::string_view data, const std::string& name) {
  Part part = PartFromYtdName(YtdName(data));
  return part != Part::kUnknown ? part : PartFromFileName(name);
}

}  // namespace

Result<ReadCounts> ReadTwitterArchivePath(const std::string& path, const ReadOptions& options,
                                          const EventCallback& on_event,
                                          const RejectCallback& on_reject) {
  namespace fs = std::filesystem;
  std::error_code error;
  TwitterArchiveReader reader(options, on_event, on_reject);
  auto learn = [&](const fs::path& folder) {
    for (const char* owner_file : {"account.js", "manifest.js"}) {
      fs::path file = folder / owner_file;
      if (!fs::is_regular_file(file, error)) continue;
      Result<std::string> data = ReadWholeFile(file.string());
      if (!data.ok()) continue;  // the owner is then learned elsewhere, or is "me"
      if (std::string_view(owner_file) == "account.js") {
        reader.LearnOwnerFromAccount(*data);
      } else {
        reader.LearnOwnerFromManifest(*data);
      }
    }
  };
  auto read = [&](Part part, const std::string& file) -> Status {
    RAPPORT_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(file));
    double undated = options.undated_time != 0 ? options.undated_time : ModificationTime(file);
    return reader.Read(part, data, file, undated);
  };

  if (!fs::is_directory(path, error)) {
    fs::path parent = fs::path(path).parent_path();
    if (parent.empty()) parent = ".";
    learn(parent);
    learn(parent.parent_path());
    RAPPORT_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(path));
    Part part = PartOf(data, path);
    if (part == Part::kAccount || part == Part::kManifest) {
      reader.AnnounceOwner();  // learned above from this very file
      return ReadCounts{};
    }
    if (part == Part::kUnknown) return UnknownFile(path);
    double undated = options.undated_time != 0 ? options.undated_time : ModificationTime(path);
    RAPPORT_RETURN_IF_ERROR(reader.Read(part, data, path, undated));
    return reader.counts();
  }

  fs::path folder = path;
  if (fs::is_directory(folder / "data", error)) folder /= "data";
  learn(folder);
  if (folder != fs::path(path)) learn(path);
  // Tweets first: they teach the authors of statuses the owner replied to or quoted, which the
  // likes need.
  const std::vector<std::pair<Part, std::vector<std::string>>> files = {
      {Part::kTweets, {"tweets", "tweet"}},
      {Part::kLikes, {"like"}},
      {Part::kFollowers, {"follower"}},
      {Part::kFollowing, {"following"}},
      {Part::kDirectMessages, {"direct-messages", "direct-message"}},
      {Part::kGroupMessages, {"direct-messages-group", "direct-message-group"}},
  };
  for (const auto& [part, stems] : files) {
    for (const std::string& stem : stems) {
      fs::path whole = folder / (stem + ".js");
      if (fs::is_regular_file(whole, error)) RAPPORT_RETURN_IF_ERROR(read(part, whole.string()));
      for (int n = 1;; ++n) {
        fs::path split = folder / fmt::format("{}-part{}.js", stem, n);
        if (!fs::is_regular_file(split, error)) break;
        RAPPORT_RETURN_IF_ERROR(read(part, split.string()));
      }
    }
  }
  return reader.counts();
}

Result<ReadCounts> ReadTwitterArchiveBuffer(std::string_view data, const std::string& name,
                                            const ReadOptions& options,
                                            const EventCallback& on_event,
                                            const RejectCallback& on_reject) {
  TwitterArchiveReader reader(options, on_event, on_reject);
  Part part = PartOf(data, name);
  if (part == Part::kAccount || part == Part::kManifest) {
    if (part == Part::kAccount) {
      reader.LearnOwnerFromAccount(data);
    } else {
      reader.LearnOwnerFromManifest(data);
    }
    reader.AnnounceOwner();
    return ReadCounts{};
  }
  if (part == Part::kUnknown) return UnknownFile(name);
  RAPPORT_RETURN_IF_ERROR(reader.Read(part, data, name, options.undated_time));
  return reader.counts();
}

}  // namespace rapport::ingest
