// The mbox reader: email in Unix mbox form (mboxo, mboxrd; LF or CRLF), parsed with GMime 3.
// Each message (a "From " separator line and what follows up to the next one) is one record. It
// becomes one event: an email from the From address to the To, Cc and Bcc addresses (private),
// or, for mailing-list traffic, a public post to the list or a reply to the author of the message
// it answers. Messages without a sender or a usable date are rejected with their byte offset.
// The rules, with examples, are in docs/formats.md ("Email (mbox)").
//
// Streaming: GMime parses one message at a time from the file (bodies stay on disk: the parser
// keeps offsets into the stream). Across the read we keep, per message, its Message-ID and author
// (to resolve replies) and the mailing-list addresses seen.
//
// Thread-safety: one read per thread; GMime is initialised once per process (std::call_once).
#include <fcntl.h>
#include <fmt/format.h>
#include <gmime/gmime.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "archive_readers.h"
#include "rapport/core/text.h"
#include "rapport/ingest/line_reader.h"
#include "record.h"

namespace rapport::ingest {
namespace {

constexpr size_t kRawHeaderBytes = 2048;  // how much of a rejected message's headers we keep
constexpr int64_t kProgressEveryBytes = 4 * 1024 * 1024;
constexpr std::string_view kSource = "email";

void InitGmimeOnce() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

// Owning handles for the GLib objects and strings of one read.
struct GObjectUnref {
  void operator()(void* object) const {
    if (object != nullptr) g_object_unref(object);
  }
};
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;
struct ParserOptionsFree {
  void operator()(GMimeParserOptions* options) const { g_mime_parser_options_free(options); }
};
struct GFree {
  void operator()(char* text) const { g_free(text); }
};
using GCharPtr = std::unique_ptr<char, GFree>;

// Where the bytes of the mbox are, for the line numbers and raw text of rejects. Offsets only grow
// during a read, so line numbers are counted incrementally.
class RawInput {
 public:
  virtual ~RawInput() = default;
  // Bytes [offset, offset + size) or fewer at the end of the input.
  virtual std::string Slice(int64_t offset, size_t size) = 0;

  // 1-based number of the line that starts at or contains `offset`.
  int64_t LineAt(int64_t offset) {
    if (offset < counted_offset_) {
      counted_offset_ = 0;
      counted_lines_ = 0;
    }
    while (counted_offset_ < offset) {
      size_t want = static_cast<size_t>(std::min<int64_t>(offset - counted_offset_, 64 * 1024));
      std::string chunk = Slice(counted_offset_, want);
      if (chunk.empty()) break;
      counted_lines_ += std::count(chunk.begin(), chunk.end(), '\n');
      counted_offset_ += static_cast<int64_t>(chunk.size());
    }
    return counted_lines_ + 1;
  }

 private:
  int64_t counted_offset_ = 0;
  int64_t counted_lines_ = 0;
};

class BufferInput final : public RawInput {
 public:
  explicit BufferInput(std::string_view data) : data_(data) {}
  std::string Slice(int64_t offset, size_t size) override {
    if (offset < 0 || static_cast<size_t>(offset) >= data_.size()) return {};
    return std::string(data_.substr(static_cast<size_t>(offset), size));
  }

 private:
  std::string_view data_;
};

class FileInput final : public RawInput {
 public:
  explicit FileInput(int fd) : fd_(fd) {}
  std::string Slice(int64_t offset, size_t size) override {
    std::string out(size, '\0');
    ssize_t got = ::pread(fd_, out.data(), size, static_cast<off_t>(offset));
    out.resize(got > 0 ? static_cast<size_t>(got) : 0);
    return out;
  }

 private:
  int fd_;
};

struct Address {
  std::string email;  // lower-cased bare address
  std::string name;   // display name (UTF-8), may be empty
};

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view TrimAll(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string ValidUtf8OrEmpty(const char* text) {
  if (text == nullptr) return {};
  std::string_view view = TrimAll(text);
  if (FindInvalidUtf8(view) != std::string_view::npos) return {};
  return std::string(view);
}

// An address we accept as an identity: local@domain, no spaces, valid UTF-8.
bool IsUsableAddress(std::string_view email) {
  size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == email.size()) return false;
  for (char c : email) {
    if (IsSpace(c) || c == '<' || c == '>' || c == '(' || c == ')' || c == ',') return false;
  }
  return FindInvalidUtf8(email) == std::string_view::npos;
}

// A display name worth keeping: not empty and not an address in disguise ("'a@b.org'").
std::string CleanName(std::string name, std::string_view email) {
  if (name.find('@') != std::string::npos || AsciiLower(name) == email) return {};
  return name;
}

void AddAddresses(InternetAddressList* list, std::vector<Address>* out) {
  if (list == nullptr) return;
  const int length = internet_address_list_length(list);
  for (int i = 0; i < length; ++i) {
    InternetAddress* address = internet_address_list_get_address(list, i);
    if (INTERNET_ADDRESS_IS_GROUP(address)) {
      AddAddresses(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address)), out);
      continue;
    }
    if (!INTERNET_ADDRESS_IS_MAILBOX(address)) continue;
    std::string email = AsciiLower(
        ValidUtf8OrEmpty(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))));
    if (!IsUsableAddress(email)) continue;
    std::string name = CleanName(ValidUtf8OrEmpty(internet_address_get_name(address)), email);
    out->push_back({std::move(email), std::move(name)});
  }
}

// Pipermail (Mailman's archiver) hides addresses as "user at example.org (Name)". Returns the
// address when the decoded header has that form and no '@' at all.
std::optional<Address> ParseObfuscatedAddress(std::string_view header) {
  header = TrimAll(header);
  if (header.find('@') != std::string_view::npos) return std::nullopt;
  size_t at = header.find(" at ");
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  std::string_view local = header.substr(0, at);
  std::string_view rest = TrimAll(header.substr(at + 4));
  size_t domain_end = 0;
  while (domain_end < rest.size() && !IsSpace(rest[domain_end]) && rest[domain_end] != '(') {
    ++domain_end;
  }
  std::string_view domain = rest.substr(0, domain_end);
  rest = TrimAll(rest.substr(domain_end));
  std::string_view name;
  if (!rest.empty()) {
    if (rest.front() != '(' || rest.back() != ')') return std::nullopt;
    name = TrimAll(rest.substr(1, rest.size() - 2));
  }
  if (local.find(' ') != std::string_view::npos || domain.empty()) return std::nullopt;
  Address address;
  address.email = AsciiLower(fmt::format("{}@{}", local, domain));
  if (!IsUsableAddress(address.email)) return std::nullopt;
  if (FindInvalidUtf8(name) == std::string_view::npos) {
    address.name = CleanName(std::string(name), address.email);
  }
  return address;
}

// The addresses of one header, de-obfuscating pipermail's form when GMime found none.
std::vector<Address> HeaderAddresses(GMimeMessage* message, GMimeAddressType type,
                                     const char* header, bool* obfuscated) {
  std::vector<Address> out;
  AddAddresses(g_mime_message_get_addresses(message, type), &out);
  if (out.empty()) {
    const char* value = g_mime_object_get_header(GMIME_OBJECT(message), header);
    if (value != nullptr) {
      if (std::optional<Address> address = ParseObfuscatedAddress(value)) {
        out.push_back(std::move(*address));
        *obfuscated = true;
      }
    }
  }
  return out;
}

// The message ids in angle brackets in a Message-ID, In-Reply-To or References header, without
// the brackets; a Message-ID written without brackets is taken whole.
std::vector<std::string> MessageIds(const char* header, bool bare_allowed) {
  std::vector<std::string> ids;
  if (header == nullptr) return ids;
  std::string_view text = header;
  size_t pos = 0;
  while ((pos = text.find('<', pos)) != std::string_view::npos) {
    size_t end = text.find('>', pos + 1);
    if (end == std::string_view::npos) break;
    std::string id;
    for (char c : text.substr(pos + 1, end - pos - 1)) {
      if (!IsSpace(c)) id.push_back(c);
    }
    if (!id.empty() && FindInvalidUtf8(id) == std::string::npos) ids.push_back(std::move(id));
    pos = end + 1;
  }
  if (ids.empty() && bare_allowed) {
    std::string_view bare = TrimAll(text);
    if (!bare.empty() && bare.find_first_of(" \t<>") == std::string_view::npos &&
        FindInvalidUtf8(bare) == std::string_view::npos) {
      ids.emplace_back(bare);
    }
  }
  return ids;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool ParseDigits(std::string_view text, size_t min, size_t max, int* out) {
  if (text.size() < min || text.size() > max) return false;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

// The date of a Unix From_ line, "From sender Thu Jan 15 13:22:25 2015" (asctime form, possibly
// with a zone name or offset before or after the year), taken as UTC: From_ lines carry the
// delivering host's local time and rarely its zone.
std::optional<double> FromLineTime(std::string_view marker) {
  std::vector<std::string_view> tokens;
  size_t pos = 0;
  while (pos < marker.size()) {
    while (pos < marker.size() && IsSpace(marker[pos])) ++pos;
    size_t end = pos;
    while (end < marker.size() && !IsSpace(marker[end])) ++end;
    if (end > pos) tokens.push_back(marker.substr(pos, end - pos));
    pos = end;
  }
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::optional<double> found;
  for (size_t i = 1; i + 3 < tokens.size(); ++i) {  // tokens[0] is "From"
    std::string month_name = AsciiLower(tokens[i]);
    auto month = std::find(kMonths.begin(), kMonths.end(), month_name);
    if (month == kMonths.end()) continue;
    int day = 0, hour = 0, minute = 0, second = 0, year = 0;
    if (!ParseDigits(tokens[i + 1], 1, 2, &day) || day < 1 || day > 31) continue;
    std::string_view clock = tokens[i + 2];
    if (clock.size() != 5 && clock.size() != 8) continue;
    if (clock[2] != ':' || !ParseDigits(clock.substr(0, 2), 2, 2, &hour) ||
        !ParseDigits(clock.substr(3, 2), 2, 2, &minute)) {
      continue;
    }
    if (clock.size() == 8 && (clock[5] != ':' || !ParseDigits(clock.substr(6), 2, 2, &second))) {
      continue;
    }
    if (hour > 23 || minute > 59 || second > 60) continue;
    bool has_year = ParseDigits(tokens[i + 3], 4, 4, &year);
    if (!has_year && i + 4 < tokens.size()) has_year = ParseDigits(tokens[i + 4], 4, 4, &year);
    if (!has_year || year < 1970) continue;
    const int64_t days = DaysFromCivil(year, month - kMonths.begin() + 1, day);
    found = static_cast<double>(days * 86400 + hour * 3600 + minute * 60 + second);
  }
  return found;
}

// The list address of a List-Post header ("<mailto:list@example.org>" or "NO").
std::string ListPostAddress(const char* header) {
  if (header == nullptr) return {};
  std::string lower = AsciiLower(header);
  size_t mailto = lower.find("mailto:");
  if (mailto == std::string::npos) return {};
  size_t start = mailto + 7;
  size_t end = lower.find_first_of(">?, \t\r\n", start);
  std::string address = lower.substr(start, end == std::string::npos ? end : end - start);
  return IsUsableAddress(address) ? address : std::string();
}

class MboxReader {
 public:
  MboxReader(std::string name, const ReadOptions& options, const EventCallback& on_event,
             const RejectCallback& on_reject, RawInput* raw, int64_t total_bytes)
      : name_(std::move(name)),
        options_(options),
        on_event_(on_event),
        on_reject_(on_reject),
        raw_(raw),
        total_bytes_(total_bytes) {}

  // Reads every message of `stream` (which starts at byte 0 of the input).
  Result<ReadCounts> Read(GMimeStream* stream);

 private:
  struct Message {
    int64_t offset = 0;
    std::string marker;  // the From_ line, without "\r"
  };

  Status ReadMessage(GMimeMessage* message, const Message& where);
  void Reject(const Message& where, std::string reason, std::string hint);
  void Hint(const Address& address);
  std::string Where(int64_t offset) {
    return fmt::format("{}, line {}", name_, raw_->LineAt(offset));
  }

  std::string name_;
  const ReadOptions& options_;
  const EventCallback& on_event_;
  const RejectCallback& on_reject_;
  RawInput* raw_;
  int64_t total_bytes_;
  ReadCounts counts_;
  int64_t last_progress_ = 0;
  // Message-ID -> the author's address, to resolve replies.
  std::unordered_map<std::string, std::string> authors_;
  // Mailing-list addresses seen in List-Post / X-BeenThere headers.
  std::unordered_set<std::string> lists_;
  // Content hash -> occurrences, for messages without a Message-ID.
  OccurrenceCounter occurrences_;
  std::set<std::pair<std::string, std::string>> hinted_;
};

Result<ReadCounts> MboxReader::Read(GMimeStream* stream) {
  std::unique_ptr<GMimeParserOptions, ParserOptionsFree> parser_options(
      g_mime_parser_options_new());
  // Undeclared 8-bit header text: UTF-8 if it is valid, else Windows-1252 (a superset of Latin-1).
  const char* fallback[] = {"UTF-8", "windows-1252", nullptr};
  g_mime_parser_options_set_fallback_charsets(parser_options.get(), fallback);
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MBOX);
  g_mime_parser_set_respect_content_length(parser.get(), FALSE);

  bool first = true;
  while (true) {
    GPtr<GMimeMessage> message(g_mime_parser_construct_message(parser.get(), parser_options.get()));
    if (!message) break;
    Message where;
    where.offset = g_mime_parser_get_mbox_marker_offset(parser.get());
    GCharPtr marker(g_mime_parser_get_mbox_marker(parser.get()));
    if (marker) where.marker = std::string(TrimAll(marker.get()));
    if (first && where.offset > 0) {
      // GMime skips whatever precedes the first From_ line; count it rather than lose it.
      std::string head = raw_->Slice(0, static_cast<size_t>(where.offset));
      if (!TrimAll(head).empty()) {
        ++counts_.records;
        Message start;
        Reject(start, fmt::format("{} bytes before the first \"From \" line", where.offset),
               "an mbox file starts with a \"From sender date\" line; this text belongs to no "
               "message (is the file an mbox, or was its start cut off?)");
      }
    }
    first = false;
    ++counts_.records;
    RAPPORT_RETURN_IF_ERROR(ReadMessage(message.get(), where));
    if (options_.progress && where.offset - last_progress_ >= kProgressEveryBytes) {
      last_progress_ = where.offset;
      options_.progress(where.offset, total_bytes_);
    }
  }
  if (first) {
    std::string head = raw_->Slice(0, 4096);
    if (!TrimAll(head).empty()) {
      std::string_view line = TrimAll(std::string_view(head).substr(0, head.find('\n')));
      return InvalidArgument(fmt::format(
          "{}: not an mbox file: no line starts with \"From \" (the first line is \"{}\"); an "
          "mbox holds messages each introduced by a \"From sender date\" line",
          name_, Shorten(line)));
    }
  }
  if (options_.progress) options_.progress(total_bytes_, total_bytes_);
  return counts_;
}

void MboxReader::Reject(const Message& where, std::string reason, std::string hint) {
  ++counts_.rejected;
  if (!on_reject_) return;
  ::rapport::ingest::Reject reject;
  reject.file = name_;
  reject.byte_offset = where.offset;
  reject.line = raw_->LineAt(where.offset);
  reject.reason = std::move(reason);
  reject.hint = std::move(hint);
  // The From_ line and the headers, up to the blank line that ends them or about 2 KiB.
  std::string raw = raw_->Slice(where.offset, kRawHeaderBytes);
  size_t lf = raw.find("\n\n");
  size_t crlf = raw.find("\r\n\r\n");
  if (crlf != std::string::npos && (lf == std::string::npos || crlf < lf)) {
    raw.resize(crlf + 2);  // keep the last header's "\r\n"
  } else if (lf != std::string::npos) {
    raw.resize(lf + 1);
  }
  reject.raw = std::move(raw);
  on_reject_(std::move(reject));
}

void MboxReader::Hint(const Address& address) {
  if (!options_.on_identity || address.name.empty()) return;
  if (!hinted_.emplace(address.email, address.name).second) return;
  IdentityHint hint;
  hint.identity = address.email;
  hint.display_name = address.name;
  options_.on_identity(std::move(hint));
}

Status MboxReader::ReadMessage(GMimeMessage* message, const Message& where) {
  GMimeObject* object = GMIME_OBJECT(message);
  bool obfuscated = false;
  std::vector<Address> from =
      HeaderAddresses(message, GMIME_ADDRESS_TYPE_FROM, "From", &obfuscated);
  if (from.empty()) {
    const char* header = g_mime_object_get_header(object, "From");
    if (header == nullptr) {
      GMimeHeaderList* headers = g_mime_object_get_header_list(object);
      const bool looks_like_body = headers == nullptr || g_mime_header_list_get_count(headers) == 0;
      Reject(where, "no From header",
             looks_like_body
                 ? "this \"From \" line starts no headers: it is probably a line of a message "
                   "body that the program writing the mbox did not quote as \">From \" (mboxo); "
                   "it and the lines after it are counted as one message"
                 : "every message needs a From header naming its sender");
    } else {
      Reject(where, fmt::format("no sender address in the From header \"{}\"", Shorten(header)),
             "the From header must hold an address such as \"Name <user@example.org>\"");
    }
    return Status::Ok();
  }
  Event event;
  event.channel = Channel::kEmail;
  event.actor = from.front().email;
  event.actor_name = from.front().name;

  // Time: the Date header, else the From_ line's date.
  const char* date_header = g_mime_object_get_header(object, "Date");
  GDateTime* date = g_mime_message_get_date(message);
  if (date != nullptr) {
    event.time = static_cast<double>(g_date_time_to_unix(date));
  } else {
    std::optional<double> from_line = FromLineTime(where.marker);
    if (!from_line) {
      std::string reason;
      if (date_header == nullptr) {
        reason = "no Date header";
      } else if (TrimAll(date_header).empty()) {
        reason = "empty Date header";
      } else {
        reason = fmt::format("unparsable Date \"{}\"", Shorten(TrimAll(date_header)));
      }
      Reject(where, reason + ", and no date on the \"From \" line",
             "give the message a Date header such as \"Date: Tue, 31 Mar 2015 10:00:00 +0200\"");
      return Status::Ok();
    }
    event.time = *from_line;
  }

  // Mailing-list traffic: list headers, a pipermail archive, or a list address among recipients.
  std::string list_post = ListPostAddress(g_mime_object_get_header(object, "List-Post"));
  if (!list_post.empty()) lists_.insert(list_post);
  const char* been_there = g_mime_object_get_header(object, "X-BeenThere");
  if (been_there != nullptr) {
    std::string address = AsciiLower(TrimAll(been_there));
    if (IsUsableAddress(address)) lists_.insert(address);
  }
  const char* precedence = g_mime_object_get_header(object, "Precedence");
  bool is_list = obfuscated || !list_post.empty() || been_there != nullptr ||
                 g_mime_object_get_header(object, "List-Id") != nullptr ||
                 g_mime_object_get_header(object, "X-Mailing-List") != nullptr ||
                 g_mime_object_get_header(object, "Mailing-List") != nullptr ||
                 (precedence != nullptr && AsciiLower(TrimAll(precedence)) == "list");

  std::vector<Address> to = HeaderAddresses(message, GMIME_ADDRESS_TYPE_TO, "To", &obfuscated);
  std::vector<Address> recipients = to;
  for (GMimeAddressType type : {GMIME_ADDRESS_TYPE_CC, GMIME_ADDRESS_TYPE_BCC}) {
    AddAddresses(g_mime_message_get_addresses(message, type), &recipients);
  }
  for (const Address& address : recipients) {
    if (lists_.count(address.email) != 0) is_list = true;
  }
  Hint(from.front());

  // The parent: the first message named by In-Reply-To, else the last known one in References.
  std::vector<std::string> parents =
      MessageIds(g_mime_object_get_header(object, "In-Reply-To"), false);
  std::vector<std::string> references =
      MessageIds(g_mime_object_get_header(object, "References"), false);
  parents.insert(parents.end(), references.rbegin(), references.rend());
  const bool is_reply = !parents.empty();
  const std::string* parent_author = nullptr;
  for (const std::string& id : parents) {
    auto found = authors_.find(id);
    if (found != authors_.end()) {
      parent_author = &found->second;
      break;
    }
  }

  auto add_target = [&](const Address& address) {
    if (address.email == event.actor || lists_.count(address.email) != 0) return;
    if (std::find(event.targets.begin(), event.targets.end(), address.email) !=
        event.targets.end()) {
      return;
    }
    event.targets.push_back(address.email);
    event.target_names.push_back(address.name);
    Hint(address);
  };
  if (is_list) {
    // A list message is public. Its list address is not a person: a reply goes to the parent's
    // author (or, when the parent is not in this file, to the people in To), else it is a post.
    event.is_private = false;
    if (parent_author != nullptr) {
      if (*parent_author != event.actor) {
        event.targets.push_back(*parent_author);
        event.target_names.emplace_back();
      }
    } else if (is_reply) {
      for (const Address& address : to) add_target(address);
    }
    event.kind = event.targets.empty() ? Kind::kPost : Kind::kReply;
  } else {
    event.kind = Kind::kEmail;
    event.is_private = true;
    for (const Address& address : recipients) add_target(address);
    if (event.targets.empty()) {
      Reject(where,
             recipients.empty() ? std::string("no recipients: To, Cc and Bcc are empty")
                                : std::string("sent only to the sender (a note to self)"),
             recipients.empty()
                 ? "a personal message needs a To, Cc or Bcc address; mailing-list mail is "
                   "recognised by its List-Id or List-Post header"
                 : "a message to oneself is no interaction; nothing to import");
      return Status::Ok();
    }
  }
  if (std::all_of(event.target_names.begin(), event.target_names.end(),
                  [](const std::string& name) { return name.empty(); })) {
    event.target_names.clear();
  }

  // Dedupe key: the Message-ID, else a hash of From, Date and Subject with an occurrence count.
  event.source = std::string(kSource);
  std::vector<std::string> ids = MessageIds(g_mime_object_get_header(object, "Message-ID"), true);
  if (!ids.empty()) {
    event.native_id = ids.front();
    authors_.emplace(event.native_id, event.actor);
  } else {
    const char* subject = g_mime_object_get_header(object, "Subject");
    std::string content = fmt::format("{}\x1f{}\x1f{}", event.actor,
                                      date_header != nullptr ? TrimAll(date_header) : where.marker,
                                      subject != nullptr ? subject : "");
    uint64_t hash = HashContent(content);
    event.native_id = fmt::format("hash:{:016x}-{}", hash, occurrences_.Next(hash));
  }
  if (options_.keep_text) event.text = ValidUtf8OrEmpty(g_mime_message_get_subject(message));

  ++counts_.emitted;
  if (!on_event_) return Status::Ok();
  Status status = on_event_(std::move(event));
  if (!status.ok()) return status.WithContext(Where(where.offset));
  return Status::Ok();
}

}  // namespace

Result<ReadCounts> ReadMboxPath(const std::string& path, const ReadOptions& options,
                                const EventCallback& on_event, const RejectCallback& on_reject) {
  InitGmimeOnce();
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return NotFound(fmt::format("{}: no such file", path));
    return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  if (S_ISDIR(info.st_mode)) {
    return InvalidArgument(fmt::format(
        "{}: is a folder; the mbox reader reads one mbox file (Maildir folders are not supported)",
        path));
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  // The stream owns `fd`; a second descriptor serves line numbers and raw text of rejects.
  GPtr<GMimeStream> stream(g_mime_stream_fs_new(fd));
  int raw_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw_fd < 0) return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  FileInput raw(raw_fd);
  MboxReader reader(path, options, on_event, on_reject, &raw, static_cast<int64_t>(info.st_size));
  Result<ReadCounts> counts = reader.Read(stream.get());
  ::close(raw_fd);
  return counts;
}

Result<ReadCounts> ReadMboxBuffer(std::string_view data, const std::string& name,
                                  const ReadOptions& options, const EventCallback& on_event,
                                  const RejectCallback& on_reject) {
  InitGmimeOnce();
  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(data.data(), data.size()));
  BufferInput raw(data);
  MboxReader reader(name, options, on_event, on_reject, &raw, static_cast<int64_t>(data.size()));
  return reader.Read(stream.get());
}

}  // namespace rapport::ingest
