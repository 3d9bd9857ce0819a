// The WordPress WXR reader: a blog's export (WXR 1.0 to 1.2, RSS 2.0 with the wp:, dc:, content:
// extensions), parsed with pugixml. Records are the posts and pages (<item> with wp:post_type post
// or page) and the comments (<wp:comment> in any item). A published post or page is a public
// broadcast by its author; a comment is aimed at the post's author, a threaded reply at the
// parent comment's author, a pingback or trackback is a mention from the linking site. Spam and
// trashed comments and unpublished posts are counted and rejected with their reason. Attachments,
// menu items and other item types are not interactions and are not records. The rules, with
// examples, are in docs/formats.md ("WordPress (WXR)").
//
// Memory: pugixml needs the whole document, so a WXR file is read whole (exports are megabytes).
// Element names are matched with WordPress's fixed prefixes (wp:, dc:), as every exporter writes.
//
// Thread-safety: one read per thread; no shared state.
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "archive_readers.h"
#include "rapport/core/text.h"
#include "rapport/core/time.h"
#include "rapport/ingest/line_reader.h"
#include "record.h"

namespace rapport::ingest {
namespace {

constexpr size_t kRawBytes = 4096;  // how much of a rejected element's XML we keep

std::string_view TrimAll(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// The trimmed text of a child element (its first text or CDATA part), "" when absent.
std::string_view ChildText(const pugi::xml_node& node, const char* name) {
  return TrimAll(node.child(name).text().get());
}

// "https://Example.org/2007/11/ping/" -> {"https", "example.org"}; empty host when not a URL.
struct UrlRoot {
  std::string scheme;
  std::string host;
};
UrlRoot ParseUrlRoot(std::string_view url) {
  UrlRoot root;
  size_t colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0) return root;
  std::string_view rest = url.substr(colon + 3);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  host = host.substr(host.find('@') == std::string_view::npos ? 0 : host.find('@') + 1);
  if (host.empty() || host.find_first_of(" \t<>\"") != std::string_view::npos ||
      FindInvalidUtf8(host) != std::string_view::npos) {
    return root;
  }
  root.scheme = AsciiLower(url.substr(0, colon));
  root.host = AsciiLower(host);
  return root;
}

bool IsEmail(std::string_view email) {
  size_t at = email.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
         email.find_first_of(" \t<>(),") == std::string_view::npos;
}

// WordPress writes "0000-00-00 00:00:00" for unset GMT dates (drafts, old imports).
bool IsZeroDate(std::string_view text) { return text.empty() || text.starts_with("0000-00-00"); }

// A login as WordPress's sanitize_user keeps it: no angle brackets, trimmed.
std::string CleanLogin(std::string_view login) {
  std::string out;
  for (char c : login) {
    if (c != '<' && c != '>') out.push_back(c);
  }
  return std::string(TrimAll(out));
}

struct Person {
  std::string identity;
  std::string name;
};

class WxrReader {
 public:
  WxrReader(std::string name, std::string_view data, const ReadOptions& options,
            const EventCallback& on_event, const RejectCallback& on_reject)
      : name_(std::move(name)),
        data_(data),
        options_(options),
        on_event_(on_event),
        on_reject_(on_reject) {}

  Result<ReadCounts> Read();

 private:
  struct Post {
    std::string id;
    Person author;
  };

  void ReadAuthors(const pugi::xml_node& channel);
  Person AuthorOf(std::string_view login) const;
  Status ReadPost(const pugi::xml_node& item, const Post& post, std::string_view type);
  Status ReadComment(const pugi::xml_node& comment, const Post& post,
                     const std::unordered_map<std::string, Person>& commenters);
  // The commenter's identity: their email, else "wordpress:<name>"; empty when neither is given.
  static Person Commenter(const pugi::xml_node& comment);
  // A problem with the date: the GMT date, else the local one taken as UTC.
  std::optional<Problem> ParseDate(const pugi::xml_node& node, const char* gmt, const char* local,
                                   std::string_view what, double* out) const;
  Status Emit(const pugi::xml_node& node, Event&& event);
  void RejectNode(const pugi::xml_node& node, Problem problem);
  void Hint(const Person& person);
  int64_t LineAt(int64_t offset);
  int64_t OffsetOf(const pugi::xml_node& node) const;

  std::string name_;
  std::string_view data_;
  const ReadOptions& options_;
  const EventCallback& on_event_;
  const RejectCallback& on_reject_;
  ReadCounts counts_;
  std::string source_ = "wordpress";
  std::string blog_host_;
  std::unordered_map<std::string, Person> authors_;  // login -> identity and display name
  OccurrenceCounter occurrences_;
  std::set<std::pair<std::string, std::string>> hinted_;
  int64_t counted_offset_ = 0;
  int64_t counted_lines_ = 0;
};

int64_t WxrReader::LineAt(int64_t offset) {
  offset = std::clamp<int64_t>(offset, 0, static_cast<int64_t>(data_.size()));
  if (offset < counted_offset_) {
    counted_offset_ = 0;
    counted_lines_ = 0;
  }
  counted_lines_ += std::count(data_.begin() + counted_offset_, data_.begin() + offset, '\n');
  counted_offset_ = offset;
  return counted_lines_ + 1;
}

int64_t WxrReader::OffsetOf(const pugi::xml_node& node) const {
  // offset_debug points at the element name; step back to its '<'.
  ptrdiff_t offset = node.offset_debug();
  if (offset <= 0) return 0;
  return static_cast<int64_t>(offset) - 1;
}

void WxrReader::RejectNode(const pugi::xml_node& node, Problem problem) {
  ++counts_.rejected;
  if (!on_reject_) return;
  Reject reject;
  reject.file = name_;
  reject.byte_offset = OffsetOf(node);
  reject.line = LineAt(reject.byte_offset);
  reject.reason = std::move(problem.reason);
  reject.hint = std::move(problem.hint);
  std::ostringstream xml;
  node.print(xml, "", pugi::format_raw);
  std::string raw = std::move(xml).str();
  if (raw.size() > kRawBytes) {
    size_t cut = kRawBytes;
    while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
    raw.resize(cut);
  }
  reject.raw = std::move(raw);
  on_reject_(std::move(reject));
}

void WxrReader::Hint(const Person& person) {
  if (!options_.on_identity || person.name.empty() || person.identity.empty()) return;
  if (!hinted_.emplace(person.identity, person.name).second) return;
  IdentityHint hint;
  hint.identity = person.identity;
  hint.display_name = person.name;
  options_.on_identity(std::move(hint));
}

Status WxrReader::Emit(const pugi::xml_node& node, Event&& event) {
  event.source = source_;
  if (event.target_names.size() != event.targets.size() ||
      std::all_of(event.target_names.begin(), event.target_names.end(),
                  [](const std::string& name) { return name.empty(); })) {
    event.target_names.clear();
  }
  ++counts_.emitted;
  if (!on_event_) return Status::Ok();
  Status status = on_event_(std::move(event));
  if (status.ok()) return status;
  return status.WithContext(fmt::format("{}, line {}", name_, LineAt(OffsetOf(node))));
}

void WxrReader::ReadAuthors(const pugi::xml_node& channel) {
  for (pugi::xml_node author : channel.children("wp:author")) {
    std::string login = CleanLogin(ChildText(author, "wp:author_login"));
    if (login.empty() || FindInvalidUtf8(login) != std::string::npos) continue;
    std::string email = AsciiLower(ChildText(author, "wp:author_email"));
    std::string display(ChildText(author, "wp:author_display_name"));
    if (FindInvalidUtf8(display) != std::string::npos) display.clear();
    Person person;
    person.identity = IsEmail(email) && FindInvalidUtf8(email) == std::string::npos
                          ? email
                          : fmt::format("wordpress:{}", login);
    person.name = display;
    authors_[login] = person;
  }
  // One author: the blog is theirs. Several: we cannot tell which of them is the user.
  const bool single = authors_.size() == 1;
  if (!options_.on_identity) return;
  for (const auto& [login, person] : authors_) {
    IdentityHint hint;
    hint.identity = person.identity;
    hint.display_name = person.name;
    hint.is_owner = single;
    std::string login_identity = fmt::format("wordpress:{}", login);
    if (login_identity != person.identity) {
      hint.same_as = login_identity;
      hint.reason = "WordPress WXR: an author's login and email (wp:author)";
    }
    hinted_.emplace(person.identity, person.name);
    options_.on_identity(std::move(hint));
    if (single && login_identity != person.identity) {
      IdentityHint owner;
      owner.identity = login_identity;
      owner.is_owner = true;
      options_.on_identity(std::move(owner));
    }
  }
}

Person WxrReader::AuthorOf(std::string_view login) const {
  std::string clean = CleanLogin(login);
  if (clean.empty() || FindInvalidUtf8(clean) != std::string::npos) return {};
  auto found = authors_.find(clean);
  if (found != authors_.end()) return found->second;
  return {fmt::format("wordpress:{}", clean), ""};
}

Person WxrReader::Commenter(const pugi::xml_node& comment) {
  Person person;
  std::string_view name = ChildText(comment, "wp:comment_author");
  if (FindInvalidUtf8(name) == std::string_view::npos) person.name = std::string(name);
  std::string email = AsciiLower(ChildText(comment, "wp:comment_author_email"));
  if (IsEmail(email) && FindInvalidUtf8(email) == std::string::npos) {
    person.identity = std::move(email);
  } else if (!person.name.empty()) {
    person.identity = fmt::format("wordpress:{}", person.name);
  }
  return person;
}

std::optional<Problem> WxrReader::ParseDate(const pugi::xml_node& node, const char* gmt,
                                            const char* local, std::string_view what,
                                            double* out) const {
  std::string_view field = gmt;
  std::string_view text = ChildText(node, gmt);
  if (IsZeroDate(text)) {
    field = local;
    text = ChildText(node, local);
  }
  if (IsZeroDate(text)) {
    return Problem{fmt::format("{} has no date ({} and {} are empty or zero)", what, gmt, local),
                   "WordPress writes \"YYYY-MM-DD HH:MM:SS\" dates; re-export the site"};
  }
  if (std::optional<Problem> problem = ParseTimeField(text, out)) {
    return Problem{fmt::format("{}: bad {}: {}", what, field, problem->reason), problem->hint};
  }
  return std::nullopt;
}

Status WxrReader::ReadPost(const pugi::xml_node& item, const Post& post, std::string_view type) {
  ++counts_.records;
  std::string_view status = ChildText(item, "wp:status");
  if (status != "publish") {
    RejectNode(item, {fmt::format("{} with status \"{}\": not published, not imported", type,
                                  Shorten(status)),
                      "only published posts and pages are imported; drafts, scheduled (future), "
                      "pending, private and trashed ones are counted here and skipped"});
    return Status::Ok();
  }
  if (post.author.identity.empty()) {
    RejectNode(item, {fmt::format("{} without an author (dc:creator is empty)", type),
                      "each item names its author's login in dc:creator"});
    return Status::Ok();
  }
  Event event;
  if (std::optional<Problem> problem =
          ParseDate(item, "wp:post_date_gmt", "wp:post_date", type, &event.time)) {
    RejectNode(item, std::move(*problem));
    return Status::Ok();
  }
  std::string_view title = ChildText(item, "title");
  event.channel = Channel::kBlog;
  event.kind = Kind::kPost;
  event.actor = post.author.identity;
  event.actor_name = post.author.name;
  event.is_private = false;
  if (!post.id.empty()) {
    event.native_id = fmt::format("post:{}", post.id);
  } else {
    uint64_t hash = HashContent(fmt::format("{}\x1f{}\x1f{}", event.time, event.actor, title));
    event.native_id = fmt::format("post:hash:{:016x}-{}", hash, occurrences_.Next(hash));
  }
  if (options_.keep_text && FindInvalidUtf8(title) == std::string_view::npos) {
    event.text = std::string(title);
  }
  return Emit(item, std::move(event));
}

Status WxrReader::ReadComment(const pugi::xml_node& comment, const Post& post,
                              const std::unordered_map<std::string, Person>& commenters) {
  ++counts_.records;
  std::string_view approved = ChildText(comment, "wp:comment_approved");
  if (approved == "spam") {
    RejectNode(comment, {"spam comment: not imported",
                         "WordPress marked it as spam; approve it in WordPress and export again "
                         "if it is not"});
    return Status::Ok();
  }
  if (approved == "trash" || approved == "post-trashed") {
    RejectNode(comment, {"trashed comment: not imported",
                         "it was deleted in WordPress; restore it and export again to keep it"});
    return Status::Ok();
  }
  if (approved != "1" && approved != "0") {
    RejectNode(comment, {fmt::format("unknown comment_approved \"{}\"", Shorten(approved)),
                         "WordPress writes 1 (approved), 0 (pending), spam or trash"});
    return Status::Ok();
  }
  std::string_view type = ChildText(comment, "wp:comment_type");
  const bool is_ping = type == "pingback" || type == "trackback" || type == "webmention";
  if (!is_ping && !type.empty() && type != "comment" && type != "review") {
    RejectNode(comment, {fmt::format("comment_type \"{}\" is not a comment, pingback or "
                                     "trackback: not imported",
                                     Shorten(type)),
                         "plugins store notes (such as order notes) as comments; they are no "
                         "interaction between people"});
    return Status::Ok();
  }

  Event event;
  if (std::optional<Problem> problem =
          ParseDate(comment, "wp:comment_date_gmt", "wp:comment_date", "comment", &event.time)) {
    RejectNode(comment, std::move(*problem));
    return Status::Ok();
  }
  event.channel = Channel::kBlog;
  event.is_private = false;
  if (is_ping) {
    // The actor is the linking site (its scheme and host): a site is stable where the linking
    // post's URL is not, and the URL is never merged with a person.
    UrlRoot root = ParseUrlRoot(ChildText(comment, "wp:comment_author_url"));
    if (root.host.empty()) {
      RejectNode(comment, {fmt::format("{} without a source URL (comment_author_url)", type),
                           "a pingback or trackback is attributed to the site that links here"});
      return Status::Ok();
    }
    if (root.host == blog_host_) {
      RejectNode(comment, {fmt::format("self-{}: a link between two posts of this blog", type),
                           "WordPress pings its own posts when one links another; that is no "
                           "interaction and is not imported"});
      return Status::Ok();
    }
    event.kind = Kind::kMention;
    event.actor = fmt::format("{}://{}/", root.scheme, root.host);
  } else {
    Person commenter = Commenter(comment);
    if (commenter.identity.empty()) {
      RejectNode(comment, {"comment without author name or email",
                           "an anonymous comment cannot be attributed to anyone"});
      return Status::Ok();
    }
    event.actor = commenter.identity;
    event.actor_name = commenter.name;
    event.kind = Kind::kComment;
    std::string_view parent = ChildText(comment, "wp:comment_parent");
    if (!parent.empty() && parent != "0") {
      // A threaded reply: to the parent's author when the parent is in this item, else to the
      // post's author.
      event.kind = Kind::kReply;
      auto found = commenters.find(std::string(parent));
      if (found != commenters.end() && !found->second.identity.empty() &&
          found->second.identity != event.actor) {
        event.targets.push_back(found->second.identity);
        event.target_names.push_back(found->second.name);
      }
      // Replying to oneself addresses the post's author, as a comment.
      if (found != commenters.end() && found->second.identity == event.actor) {
        event.kind = Kind::kComment;
      }
    }
    Hint(commenter);
  }
  if (event.targets.empty() && !post.author.identity.empty() &&
      post.author.identity != event.actor) {
    event.targets.push_back(post.author.identity);
    event.target_names.push_back(post.author.name);
  }
  // The post's author commenting on their own post, with no one else addressed: a broadcast.
  if (event.targets.empty()) event.kind = Kind::kPost;

  std::string_view id = ChildText(comment, "wp:comment_id");
  std::string_view content = ChildText(comment, "wp:comment_content");
  if (!id.empty() && FindInvalidUtf8(id) == std::string_view::npos) {
    event.native_id =
        fmt::format("comment:{}:{}", post.id.empty() ? std::string("0") : post.id, id);
  } else {
    uint64_t hash = HashContent(fmt::format("{}\x1f{}\x1f{}", event.time, event.actor, content));
    event.native_id = fmt::format("comment:hash:{:016x}-{}", hash, occurrences_.Next(hash));
  }
  if (options_.keep_text && FindInvalidUtf8(content) == std::string_view::npos) {
    event.text = std::string(content);
  }
  return Emit(comment, std::move(event));
}

Result<ReadCounts> WxrReader::Read() {
  pugi::xml_document document;
  pugi::xml_parse_result parsed =
      document.load_buffer(data_.data(), data_.size(), pugi::parse_default, pugi::encoding_auto);
  if (!parsed) {
    const auto offset = static_cast<int64_t>(parsed.offset);
    return DataLoss(fmt::format(
        "{}: malformed XML at byte {} (line {}): {}; nothing was imported from this file (a WXR "
        "file is read whole; re-export it, or fix the XML at that place)",
        name_, offset, LineAt(offset), parsed.description()));
  }
  pugi::xml_node channel = document.child("rss").child("channel");
  if (!channel) {
    return InvalidArgument(
        fmt::format("{}: not a WordPress WXR export: no <rss><channel> element; export the site "
                    "with Tools > Export in WordPress",
                    name_));
  }
  UrlRoot blog = ParseUrlRoot(ChildText(channel, "link"));
  if (blog.host.empty()) blog = ParseUrlRoot(ChildText(channel, "wp:base_blog_url"));
  if (!blog.host.empty()) {
    blog_host_ = blog.host;
    source_ = fmt::format("wordpress:{}", blog.host);
  }
  ReadAuthors(channel);

  for (pugi::xml_node item : channel.children("item")) {
    Post post;
    post.id = std::string(ChildText(item, "wp:post_id"));
    if (FindInvalidUtf8(post.id) != std::string::npos) post.id.clear();
    post.author = AuthorOf(ChildText(item, "dc:creator"));
    std::string_view type = ChildText(item, "wp:post_type");
    // Posts and pages are records; attachments, menu items, blocks, revisions and custom types
    // are site furniture, not interactions, and are not counted.
    if (type == "post" || type == "page") RAPPORT_RETURN_IF_ERROR(ReadPost(item, post, type));
    if (!item.child("wp:comment")) continue;
    std::unordered_map<std::string, Person> commenters;
    for (pugi::xml_node comment : item.children("wp:comment")) {
      std::string id(ChildText(comment, "wp:comment_id"));
      if (!id.empty()) commenters.emplace(std::move(id), Commenter(comment));
    }
    for (pugi::xml_node comment : item.children("wp:comment")) {
      RAPPORT_RETURN_IF_ERROR(ReadComment(comment, post, commenters));
    }
  }
  if (options_.progress) {
    options_.progress(static_cast<int64_t>(data_.size()), static_cast<int64_t>(data_.size()));
  }
  return counts_;
}

}  // namespace

Result<ReadCounts> ReadWxrPath(const std::string& path, const ReadOptions& options,
                               const EventCallback& on_event, const RejectCallback& on_reject) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return InvalidArgument(
        fmt::format("{}: is a folder; the WordPress reader reads one WXR (.xml) file", path));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (errno == ENOENT) return NotFound(fmt::format("{}: no such file", path));
    return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  if (file.bad()) return IoError(fmt::format("{}: read failed", path));
  return ReadWxrBuffer(data, path, options, on_event, on_reject);
}

Result<ReadCounts> ReadWxrBuffer(std::string_view data, const std::string& name,
                                 const ReadOptions& options, const EventCallback& on_event,
                                 const RejectCallback& on_reject) {
  WxrReader reader(name, data, options, on_event, on_reject);
  return reader.Read();
}

}  // namespace rapport::ingest
