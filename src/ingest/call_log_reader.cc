// Calls and SMS reader, two layouts (docs/formats-chat.md):
//  - a CSV of our design, header required, one call or text per line:
//      time,direction,other,duration,type[,name][,text]
//    streamed line by line like every CSV;
//  - the XML of the Android app "SMS Backup & Restore" (SyncTech): <smses> with <sms> and <mms>
//    elements, or <calls> with <call> elements. Parsed with pugixml, so the file is read whole.
// The phone's owner is the identity "me" (`rapport import --owner` says who that is); the other
// party is "tel:+<digits>" when the number looks like a phone number.
//
// Thread-safety: one read per thread; no shared state.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <memory>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <vector>

#include "archive_readers.h"
#include "rapport/core/text.h"
#include "rapport/ingest/line_reader.h"
#include "record.h"

namespace rapport::ingest {
namespace {

constexpr std::string_view kOwner = "me";

enum class Direction { kIn, kOut, kMissed, kRejected };

// The identity of a phone's other party: "tel:" + an optional '+' and the digits when `text` is a
// number written with spaces, dashes, dots or parentheses; an email address as it is; anything
// else (an alphanumeric sender such as "AMAZON", a name) as "phone:<text>".
std::string PhoneIdentity(std::string_view text) {
  text = Trim(text);
  std::string digits;
  bool plus = false;
  bool number = true;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c == '+' && digits.empty() && !plus) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')' && c != '\t') {
      number = false;
      break;
    }
  }
  if (number && !digits.empty()) return fmt::format("tel:{}{}", plus ? "+" : "", digits);
  if (text.find('@') != std::string_view::npos) return std::string(text);
  return fmt::format("phone:{}", text);
}

// pugixml decodes each half of a surrogate pair written as two character references
// ("&#55357;&#56832;", as SMS Backup & Restore writes emoji) into its own three bytes; this joins
// such pairs into the four-byte UTF-8 of the character.
void JoinSurrogates(std::string* text) {
  std::string& s = *text;
  if (s.find('\xED') == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    if (i + 5 < s.size() && b(i) == 0xED && b(i + 1) >= 0xA0 && b(i + 1) <= 0xAF &&
        (b(i + 2) & 0xC0) == 0x80 && b(i + 3) == 0xED && b(i + 4) >= 0xB0 && b(i + 4) <= 0xBF &&
        (b(i + 5) & 0xC0) == 0x80) {
      const uint32_t high = 0xD000u | ((b(i + 1) & 0x3Fu) << 6) | (b(i + 2) & 0x3Fu);
      const uint32_t low = 0xD000u | ((b(i + 4) & 0x3Fu) << 6) | (b(i + 5) & 0x3Fu);
      const uint32_t code = 0x10000u + ((high - 0xD800u) << 10) + (low - 0xDC00u);
      out.push_back(static_cast<char>(0xF0u | (code >> 18)));
      out.push_back(static_cast<char>(0x80u | ((code >> 12) & 0x3Fu)));
      out.push_back(static_cast<char>(0x80u | ((code >> 6) & 0x3Fu)));
      out.push_back(static_cast<char>(0x80u | (code & 0x3Fu)));
      i += 5;
    } else {
      out.push_back(s[i]);
    }
  }
  s = std::move(out);
}

// `text` as valid UTF-8: surrogate pairs joined, anything still invalid replaced by U+FFFD.
std::string CleanUtf8(std::string_view text) {
  std::string s(text);
  JoinSurrogates(&s);
  std::string out;
  std::string_view rest = s;
  while (true) {
    size_t bad = FindInvalidUtf8(rest);
    if (bad == std::string_view::npos) break;
    out.append(rest.substr(0, bad));
    out.append("\xEF\xBF\xBD");
    rest.remove_prefix(bad + 1);
  }
  if (out.empty()) return s;
  out.append(rest);
  return out;
}

// A display name as given, or empty when unusable ("(Unknown)", invalid UTF-8).
std::string DisplayName(std::string_view text) {
  std::string name(Trim(text));
  JoinSurrogates(&name);
  if (name == "(Unknown)" || FindInvalidUtf8(name) != std::string_view::npos) return {};
  return name;
}

Result<std::string> ReadWholeFile(const std::string& path, std::FILE* file) {
  std::string data;
  char buffer[64 * 1024];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) data.append(buffer, got);
  if (std::ferror(file)) {
    return IoError(fmt::format("{}: read failed: {}", path, std::strerror(errno)));
  }
  return data;
}

// Whether the first non-blank character (after a byte order mark) is '<'.
bool LooksLikeXml(std::string_view head) {
  if (head.starts_with("\xEF\xBB\xBF")) head.remove_prefix(3);
  size_t start = head.find_first_not_of(" \t\r\n");
  return start != std::string_view::npos && head[start] == '<';
}

enum Column : int { kTime, kDirection, kOther, kDuration, kType, kName, kText, kColumnCount };
constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "time", "direction", "other", "duration", "type", "name", "text"};
constexpr std::string_view kValidColumns =
    "time, direction, other, type (required); duration, name, text (optional)";

// What the CSV and XML layouts share: the owner hint, display-name hints, dedupe keys.
class CallLog {
 public:
  explicit CallLog(ReadContext& context) : context_(context) {}

  // Emits `event` (actor, targets and channel set) with the key hash(`key`) + occurrence.
  Status Emit(const Line& line, Event&& event, std::string_view key) {
    const ReadOptions& options = context_.options();
    if (options.on_identity) {
      if (!owner_sent_) {
        owner_sent_ = true;
        IdentityHint hint;
        hint.identity = std::string(kOwner);
        hint.is_owner = true;
        options.on_identity(std::move(hint));
      }
      NameHint(event.actor, event.actor_name);
      for (size_t i = 0; i < event.target_names.size() && i < event.targets.size(); ++i) {
        NameHint(event.targets[i], event.target_names[i]);
      }
    }
    const uint64_t hash = HashContent(key);
    event.native_id = fmt::format("{:016x}-{}", hash, occurrences_.Next(hash));
    return context_.Emit(line, std::move(event), {});
  }

  // Fills actor and targets: the other parties to the owner for incoming, the reverse for
  // outgoing. `name` is the other party's display name (used when there is one other party).
  static void Orient(bool incoming, const std::vector<std::string>& others, const std::string& name,
                     Event* event) {
    const bool one = others.size() == 1 && !name.empty();
    if (incoming) {
      event->actor = others.front();
      if (one) event->actor_name = name;
      event->targets.push_back(std::string(kOwner));
    } else {
      event->actor = std::string(kOwner);
      event->targets = others;
      if (one) event->target_names.push_back(name);
    }
  }

 private:
  void NameHint(const std::string& identity, const std::string& name) {
    if (name.empty() || identity == kOwner) return;
    if (!named_.insert(identity + '\x1f' + name).second) return;
    IdentityHint hint;
    hint.identity = identity;
    hint.display_name = name;
    context_.options().on_identity(std::move(hint));
  }

  ReadContext& context_;
  bool owner_sent_ = false;
  std::set<std::string> named_;
  OccurrenceCounter occurrences_;
};

// The CSV layout.
class CsvCallReader {
 public:
  CsvCallReader(LineReader& lines, ReadContext& context)
      : lines_(lines), context_(context), log_(context) {}

  Status Run() {
    Line line;
    bool have_header = false;
    while (lines_.Next(&line)) {
      if (!line.too_long && Trim(line.text).empty()) continue;
      if (!have_header) {
        RAPPORT_RETURN_IF_ERROR(ReadHeader(line));
        have_header = true;
        continue;
      }
      if (!context_.BeginRecord(line)) continue;
      RAPPORT_RETURN_IF_ERROR(ReadRecord(line));
    }
    return lines_.status();
  }

 private:
  Status ReadHeader(const Line& line) {
    const std::string where = context_.Where(line);
    if (line.too_long || FindInvalidUtf8(line.text) != std::string_view::npos) {
      return InvalidArgument(fmt::format(
          "{}: the calls CSV header is too long or not UTF-8; the first line must name the "
          "columns: {}",
          where, kValidColumns));
    }
    if (auto problem = SplitFields(line.text)) {
      return InvalidArgument(
          fmt::format("{}: bad calls CSV header: {}; {}", where, problem->reason, problem->hint));
    }
    column_of_.fill(-1);
    for (size_t i = 0; i < fields_.size(); ++i) {
      std::string name = AsciiLower(Trim(fields_[i]));
      int found = -1;
      for (int c = 0; c < kColumnCount; ++c) {
        if (kColumnNames[c] == name) found = c;
      }
      if (found < 0) {
        return InvalidArgument(fmt::format(
            "{}: unknown column \"{}\" in the calls CSV header (column {}); valid columns: {}",
            where, Shorten(name), i + 1, kValidColumns));
      }
      if (column_of_[found] >= 0) {
        return InvalidArgument(
            fmt::format("{}: column \"{}\" appears twice in the calls CSV header", where, name));
      }
      column_of_[found] = static_cast<int>(i);
    }
    for (int required : {kTime, kDirection, kOther, kType}) {
      if (column_of_[required] < 0) {
        return InvalidArgument(fmt::format(
            "{}: missing required column \"{}\" in the calls CSV header; valid columns: {}", where,
            kColumnNames[required], kValidColumns));
      }
    }
    columns_ = fields_.size();
    return Status::Ok();
  }

  // SplitCsvLine, with fields_ trimmed to the fields of this line.
  std::optional<Problem> SplitFields(std::string_view text) {
    size_t count = 0;
    std::optional<Problem> problem = SplitCsvLine(text, &fields_, &count);
    fields_.resize(count);
    return problem;
  }

  std::string_view Field(Column column) const {
    int index = column_of_[column];
    return index < 0 ? std::string_view() : std::string_view(fields_[index]);
  }

  Status ReadRecord(const Line& line) {
    if (auto problem = SplitFields(line.text)) {
      context_.RejectLine(line, std::move(*problem));
      return Status::Ok();
    }
    if (fields_.size() != columns_) {
      context_.RejectLine(line,
                          {fmt::format("expected {} columns, found {}", columns_, fields_.size()),
                           "quote fields that contain commas"});
      return Status::Ok();
    }
    Event event;
    std::string key;
    if (auto problem = Parse(&event, &key)) {
      context_.RejectLine(line, std::move(*problem));
      return Status::Ok();
    }
    return log_.Emit(line, std::move(event), key);
  }

  std::optional<Problem> Parse(Event* event, std::string* key) const {
    if (auto problem = ParseTimeField(Field(kTime), &event->time)) return problem;
    if (event->time > 1e11) {
      return Problem{
          fmt::format("time {} is after the year 5000: milliseconds?", Shorten(Trim(Field(kTime)))),
          "give epoch seconds (divide milliseconds by 1000) or ISO 8601"};
    }
    const std::string direction_text = AsciiLower(Trim(Field(kDirection)));
    Direction direction;
    if (direction_text == "in" || direction_text == "incoming" || direction_text == "received") {
      direction = Direction::kIn;
    } else if (direction_text == "out" || direction_text == "outgoing" ||
               direction_text == "sent") {
      direction = Direction::kOut;
    } else if (direction_text == "missed") {
      direction = Direction::kMissed;
    } else if (direction_text == "rejected" || direction_text == "declined") {
      direction = Direction::kRejected;
    } else {
      return Problem{fmt::format("bad direction \"{}\"", Shorten(Trim(Field(kDirection)))),
                     "use in, out, missed or rejected"};
    }
    const std::string type = AsciiLower(Trim(Field(kType)));
    if (type == "call") {
      event->channel = Channel::kPhone;
      event->kind = Kind::kCall;
    } else if (type == "sms" || type == "mms") {
      event->channel = Channel::kSms;
      event->kind = Kind::kMessage;
      if (direction == Direction::kMissed || direction == Direction::kRejected) {
        return Problem{
            fmt::format("direction \"{}\" applies to calls, not to {}", direction_text, type),
            "use in or out for texts"};
      }
    } else {
      return Problem{fmt::format("unknown type \"{}\"", Shorten(Trim(Field(kType)))),
                     "use call, sms or mms"};
    }
    const std::string_view other_text = Trim(Field(kOther));
    if (other_text.empty()) {
      return Problem{"empty other", "give the other party's phone number or name"};
    }
    const std::string other = PhoneIdentity(other_text);
    if (other == kOwner || other_text == kOwner) {
      return Problem{"other is \"me\", the owner", "give the other party's number or name"};
    }
    if (event->kind == Kind::kCall && !Trim(Field(kDuration)).empty()) {
      if (auto problem = ParseNumberField("duration", Field(kDuration), &event->duration)) {
        return problem;
      }
      if (auto problem = CheckDuration(event->duration)) return problem;
    }
    if (direction == Direction::kMissed || direction == Direction::kRejected) event->duration = 0;
    event->is_private = true;
    CallLog::Orient(direction != Direction::kOut, {other}, std::string(Trim(Field(kName))), event);
    if (context_.options().keep_text) event->text = std::string(Field(kText));
    *key = fmt::format("csv\x1f{}\x1f{}\x1f{}\x1f{}", other, event->time, direction_text, type);
    return std::nullopt;
  }

  LineReader& lines_;
  ReadContext& context_;
  CallLog log_;
  std::array<int, kColumnCount> column_of_{};
  size_t columns_ = 0;
  std::vector<std::string> fields_;
};

// The SMS Backup & Restore layout.
class XmlCallReader {
 public:
  XmlCallReader(std::string_view data, ReadContext& context)
      : data_(data), context_(context), log_(context) {}

  Status Run() {
    pugi::xml_document document;
    pugi::xml_parse_result parsed =
        document.load_buffer(data_.data(), data_.size(), pugi::parse_default, pugi::encoding_utf8);
    // The end of the well-formed part: records that end after it may be cut short.
    const size_t good_end = parsed ? data_.size() : static_cast<size_t>(parsed.offset);
    bool found_root = false;
    for (pugi::xml_node root : document.children()) {
      if (root.type() != pugi::node_element) continue;
      const std::string_view root_name = root.name();
      if (root_name != "smses" && root_name != "calls") continue;
      found_root = true;
      for (pugi::xml_node node : root.children()) {
        if (node.type() != pugi::node_element) continue;
        Line line = Locate(node);
        if (!parsed &&
            (static_cast<size_t>(line.byte_offset) + static_cast<size_t>(line.length) > good_end ||
             !complete_)) {
          return RejectRest(parsed, &line);
        }
        ++context_.counts().records;
        RAPPORT_RETURN_IF_ERROR(ReadNode(node, line));
      }
    }
    if (!parsed) return RejectRest(parsed, nullptr);
    if (!found_root) {
      ++context_.counts().records;
      Line line = LineAt(0);
      line.text = data_.substr(0, kMaxRawBytes);
      context_.RejectLine(line, {"not an SMS Backup & Restore file: no <smses> or <calls> element",
                                 "give the XML that SMS Backup & Restore wrote, or use the "
                                 "calls CSV layout (docs/formats-chat.md)"});
    }
    return Status::Ok();
  }

 private:
  // One reject for what follows the parse error (from `from` when given, else the error).
  Status RejectRest(const pugi::xml_parse_result& parsed, const Line* from) {
    ++context_.counts().records;
    const size_t error_at = std::min(static_cast<size_t>(parsed.offset), data_.size());
    Line line = from != nullptr ? *from : LineAt(error_at);
    Line error_line = LineAt(error_at);
    line.text = data_.substr(static_cast<size_t>(line.byte_offset), kMaxRawBytes);
    const char* what = parsed ? "the record is cut short" : parsed.description();
    context_.RejectLine(
        line, {fmt::format("XML error at line {}: {}; this record and the rest of the file are "
                           "not read",
                           error_line.number, what),
               "the backup is damaged or cut short: make it again, or repair the XML there"});
    return Status::Ok();
  }

  // The line holding byte `offset` (lines counted incrementally: offsets only grow).
  Line LineAt(size_t offset) {
    if (offset < counted_) {
      counted_ = 0;
      line_number_ = 1;
    }
    offset = std::min(offset, data_.size());
    for (size_t i = counted_; i < offset; ++i) line_number_ += data_[i] == '\n' ? 1 : 0;
    counted_ = offset;
    Line line;
    line.number = line_number_;
    line.byte_offset = static_cast<int64_t>(offset);
    return line;
  }

  // The record's position and source text: the element from '<' to the end of its start tag,
  // or to its end tag when it has children. Sets complete_ to whether that end was found.
  Line Locate(pugi::xml_node node) {
    ptrdiff_t at = node.offset_debug();
    size_t start = at < 0 ? 0 : static_cast<size_t>(at);
    if (start > 0 && start <= data_.size() && data_[start - 1] == '<') --start;
    start = std::min(start, data_.size());
    Line line = LineAt(start);
    // Find the end of the start tag, skipping quoted attribute values.
    size_t i = start;
    char quote = 0;
    for (; i < data_.size(); ++i) {
      const char c = data_[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        break;
      }
    }
    complete_ = i < data_.size();
    size_t end = complete_ ? i + 1 : data_.size();
    if (complete_ && data_[i - 1] != '/') {
      const std::string close = fmt::format("</{}>", node.name());
      size_t found = data_.find(close, end);
      complete_ = found != std::string_view::npos;
      end = complete_ ? found + close.size() : data_.size();
    }
    line.length = static_cast<int64_t>(end - start);
    line.text = data_.substr(start, std::min<size_t>(end - start, kMaxRawBytes));
    return line;
  }

  void Reject(const Line& line, std::string reason, std::string hint) {
    context_.RejectLine(line, {std::move(reason), std::move(hint)});
  }

  // The date attribute: milliseconds since 1970. Rejects and returns false when unusable.
  bool ParseDate(pugi::xml_node node, const Line& line, double* seconds) {
    std::string_view text = Trim(node.attribute("date").value());
    int64_t millis = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), millis);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || millis < 0) {
      Reject(line,
             text.empty() ? std::string("missing date")
                          : fmt::format("bad date \"{}\": not milliseconds since 1970",
                                        Shorten(CleanUtf8(text))),
             "date is milliseconds since 1970-01-01 UTC, such as 1700000000000");
      return false;
    }
    *seconds = static_cast<double>(millis) / 1000.0;
    return true;
  }

  // The identities of an address attribute ("+1555...", several joined by '~' for groups).
  static std::vector<std::string> Addresses(std::string_view text) {
    std::vector<std::string> out;
    while (true) {
      size_t tilde = text.find('~');
      std::string_view part = Trim(text.substr(0, tilde));
      if (!part.empty() && part != "insert-address-token") {
        std::string identity = PhoneIdentity(part);
        if (std::find(out.begin(), out.end(), identity) == out.end()) out.push_back(identity);
      }
      if (tilde == std::string_view::npos) break;
      text.remove_prefix(tilde + 1);
    }
    return out;
  }

  // Rejects numbers that are absent, hidden or not UTF-8. Returns whether they are usable.
  bool CheckNumber(const Line& line, std::string_view attribute, std::string_view text,
                   const std::vector<std::string>& identities) {
    text = Trim(text);
    if (text.empty()) {
      Reject(line, fmt::format("missing {}", attribute),
             fmt::format("every record needs the other party's {}", attribute));
      return false;
    }
    if (text == "-1" || text == "-2" || text == "-3") {
      Reject(line,
             fmt::format("{} {} is Android's mark of a hidden or unknown caller: no one to link "
                         "it to",
                         attribute, text),
             "nothing to fix: the record has no other party");
      return false;
    }
    if (FindInvalidUtf8(text) != std::string_view::npos || identities.empty()) {
      Reject(line, fmt::format("unusable {} \"{}\"", attribute, Shorten(CleanUtf8(text))),
             "give a phone number, UTF-8 encoded");
      return false;
    }
    if (std::find(identities.begin(), identities.end(), kOwner) != identities.end()) {
      Reject(line, fmt::format("{} is \"me\", the owner", attribute),
             "give the other party's number");
      return false;
    }
    return true;
  }

  Status ReadNode(pugi::xml_node node, const Line& line) {
    const std::string_view name = node.name();
    if (name == "sms") return ReadSms(node, line);
    if (name == "mms") return ReadMms(node, line);
    if (name == "call") return ReadCall(node, line);
    Reject(line, fmt::format("unknown element <{}>", Shorten(CleanUtf8(name))),
           "SMS Backup & Restore writes <sms>, <mms> and <call> elements");
    return Status::Ok();
  }

  // SMS types: 1 received, 2 sent; 3 draft, 4 outbox, 5 failed, 6 queued were never delivered.
  static std::optional<Problem> TextType(std::string_view element, std::string_view attribute,
                                         std::string_view type, bool* incoming) {
    if (type == "1") {
      *incoming = true;
      return std::nullopt;
    }
    if (type == "2") {
      *incoming = false;
      return std::nullopt;
    }
    const char* not_sent = type == "3"   ? "a draft"
                           : type == "4" ? "in the outbox"
                           : type == "5" ? "failed"
                           : type == "6" ? "queued"
                                         : nullptr;
    if (not_sent != nullptr) {
      return Problem{fmt::format("{} {}={} is {}, never delivered: skipped", element, attribute,
                                 type, not_sent),
                     "nothing to fix: only received (1) and sent (2) texts are interactions"};
    }
    return Problem{
        fmt::format("unknown {} {} \"{}\"", element, attribute, Shorten(CleanUtf8(type))),
        fmt::format("{} is 1 (received) or 2 (sent)", attribute)};
  }

  Status ReadSms(pugi::xml_node node, const Line& line) {
    const std::string_view address = node.attribute("address").value();
    std::vector<std::string> others = Addresses(address);
    if (!CheckNumber(line, "address", address, others)) return Status::Ok();
    Event event;
    if (!ParseDate(node, line, &event.time)) return Status::Ok();
    bool incoming = false;
    const std::string_view type = Trim(node.attribute("type").value());
    if (auto problem = TextType("sms", "type", type, &incoming)) {
      Reject(line, std::move(problem->reason), std::move(problem->hint));
      return Status::Ok();
    }
    event.channel = Channel::kSms;
    event.kind = Kind::kMessage;
    event.is_private = true;
    CallLog::Orient(incoming, others, DisplayName(node.attribute("contact_name").value()), &event);
    if (context_.options().keep_text) event.text = CleanUtf8(node.attribute("body").value());
    return log_.Emit(line, std::move(event),
                     fmt::format("sms\x1f{}\x1f{}\x1f{}", Trim(address),
                                 Trim(node.attribute("date").value()), type));
  }

  // MMS: msg_box 1 received, 2 sent. The sender is the <addr> of type 137 (from); recipients
  // are types 151 (to), 130 (cc), 129 (bcc). The text is that of the text/plain parts.
  Status ReadMms(pugi::xml_node node, const Line& line) {
    const std::string_view address = node.attribute("address").value();
    Event event;
    bool incoming = false;
    const std::string_view box = Trim(node.attribute("msg_box").value());
    std::vector<std::string> from;
    std::vector<std::string> to;
    for (pugi::xml_node addr : node.child("addrs").children("addr")) {
      std::vector<std::string> identities = Addresses(addr.attribute("address").value());
      const std::string_view type = Trim(addr.attribute("type").value());
      auto& list = type == "137" ? from : to;
      if (type != "137" && type != "151" && type != "130" && type != "129") continue;
      for (std::string& identity : identities) {
        if (std::find(list.begin(), list.end(), identity) == list.end()) list.push_back(identity);
      }
    }
    std::vector<std::string> all = Addresses(address);
    if (!CheckNumber(line, "address", address, all)) return Status::Ok();
    if (!ParseDate(node, line, &event.time)) return Status::Ok();
    if (auto problem = TextType("mms", "msg_box", box, &incoming)) {
      Reject(line, std::move(problem->reason), std::move(problem->hint));
      return Status::Ok();
    }
    // A received MMS is from its sender to the owner (the owner's own number is among the "to"
    // addresses and cannot be told apart, so other recipients are not targets); a sent one is
    // from the owner to every recipient.
    std::vector<std::string> others;
    if (incoming) {
      others = from.empty() ? all : from;
      others.resize(1);
    } else {
      others = to.empty() ? all : to;
    }
    event.channel = Channel::kSms;
    event.kind = Kind::kMessage;
    event.is_private = true;
    // A group's contact_name lists every member ("Maya Lin, Omar Haddad"): no one's name.
    CallLog::Orient(
        incoming, others,
        all.size() == 1 ? DisplayName(node.attribute("contact_name").value()) : std::string(),
        &event);
    if (context_.options().keep_text) {
      std::string text;
      for (pugi::xml_node part : node.child("parts").children("part")) {
        if (std::string_view(part.attribute("ct").value()) != "text/plain") continue;
        if (!text.empty()) text.push_back('\n');
        text += part.attribute("text").value();
      }
      event.text = CleanUtf8(text);
    }
    return log_.Emit(line, std::move(event),
                     fmt::format("mms\x1f{}\x1f{}\x1f{}", Trim(address),
                                 Trim(node.attribute("date").value()), box));
  }

  // Call types: 1 incoming, 2 outgoing, 3 missed, 4 voicemail, 5 rejected, 6 refused (blocked),
  // 7 answered on another device.
  Status ReadCall(pugi::xml_node node, const Line& line) {
    const std::string_view number = node.attribute("number").value();
    std::vector<std::string> others = Addresses(number);
    if (!CheckNumber(line, "number", number, others)) return Status::Ok();
    others.resize(1);
    Event event;
    if (!ParseDate(node, line, &event.time)) return Status::Ok();
    const std::string_view type = Trim(node.attribute("type").value());
    bool incoming = true;
    bool answered = true;
    if (type == "1" || type == "7") {
    } else if (type == "2") {
      incoming = false;
    } else if (type == "3" || type == "4" || type == "5") {
      answered = false;
    } else if (type == "6") {
      Reject(line,
             "call type 6 (refused: a blocked number) is no interaction the owner took part in: "
             "skipped",
             "nothing to fix");
      return Status::Ok();
    } else {
      Reject(line, fmt::format("unknown call type \"{}\"", Shorten(CleanUtf8(type))),
             "type is 1 (incoming), 2 (outgoing), 3 (missed), 4 (voicemail), 5 (rejected), "
             "6 (refused) or 7 (answered elsewhere)");
      return Status::Ok();
    }
    const std::string_view duration = Trim(node.attribute("duration").value());
    if (answered && !duration.empty()) {
      if (auto problem = ParseNumberField("duration", duration, &event.duration)) {
        problem->reason = CleanUtf8(problem->reason);
        Reject(line, std::move(problem->reason), std::move(problem->hint));
        return Status::Ok();
      }
      if (auto problem = CheckDuration(event.duration)) {
        Reject(line, std::move(problem->reason), std::move(problem->hint));
        return Status::Ok();
      }
    }
    event.channel = Channel::kPhone;
    event.kind = Kind::kCall;
    event.is_private = true;
    CallLog::Orient(incoming, others, DisplayName(node.attribute("contact_name").value()), &event);
    return log_.Emit(line, std::move(event),
                     fmt::format("call\x1f{}\x1f{}\x1f{}", Trim(number),
                                 Trim(node.attribute("date").value()), type));
  }

  std::string_view data_;
  ReadContext& context_;
  CallLog log_;
  size_t counted_ = 0;
  int64_t line_number_ = 1;
  bool complete_ = true;
};

Status ReadLines(ByteSource* source, int64_t size, const std::string& name,
                 const ReadOptions& options, const EventCallback& on_event,
                 const RejectCallback& on_reject, ReadCounts* counts) {
  const int64_t block =
      std::clamp<int64_t>(size + 1, 4096, static_cast<int64_t>(LineReader::kDefaultBlockBytes));
  LineReader lines(source, size, options.progress, options.max_line_bytes,
                   static_cast<size_t>(block));
  ReadContext context(name, options, on_event, on_reject, 0);
  Status status = CsvCallReader(lines, context).Run();
  *counts = context.counts();
  return status;
}

Result<ReadCounts> ReadXml(std::string_view data, const std::string& name,
                           const ReadOptions& options, const EventCallback& on_event,
                           const RejectCallback& on_reject) {
  ReadContext context(name, options, on_event, on_reject, 0);
  RAPPORT_RETURN_IF_ERROR(XmlCallReader(data, context).Run());
  if (options.progress) {
    options.progress(static_cast<int64_t>(data.size()), static_cast<int64_t>(data.size()));
  }
  return context.counts();
}

}  // namespace

Result<ReadCounts> ReadCallLogPath(const std::string& path, const ReadOptions& options,
                                   const EventCallback& on_event, const RejectCallback& on_reject) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                       &std::fclose);
  if (!file) {
    if (errno == ENOENT) return NotFound(fmt::format("{}: no such file", path));
    return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  char head[512];
  const size_t got = std::fread(head, 1, sizeof head, file.get());
  if (std::ferror(file.get()) || std::fseek(file.get(), 0, SEEK_SET) != 0) {
    return IoError(fmt::format("{}: read failed: {}", path, std::strerror(errno)));
  }
  if (LooksLikeXml(std::string_view(head, got))) {
    RAPPORT_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(path, file.get()));
    return ReadXml(data, path, options, on_event, on_reject);
  }
  std::fseek(file.get(), 0, SEEK_END);
  const long size = std::ftell(file.get());
  std::fseek(file.get(), 0, SEEK_SET);
  FileSource source(file.get(), path);
  ReadCounts counts;
  RAPPORT_RETURN_IF_ERROR(ReadLines(&source, size < 0 ? 0 : static_cast<int64_t>(size), path,
                                    options, on_event, on_reject, &counts));
  return counts;
}

Result<ReadCounts> ReadCallLogBuffer(std::string_view data, const std::string& name,
                                     const ReadOptions& options, const EventCallback& on_event,
                                     const RejectCallback& on_reject) {
  if (LooksLikeXml(data.substr(0, 512))) {
    return ReadXml(data, name, options, on_event, on_reject);
  }
  BufferSource source(data);
  ReadCounts counts;
  RAPPORT_RETURN_IF_ERROR(ReadLines(&source, static_cast<int64_t>(data.size()), name, options,
                                    on_event, on_reject, &counts));
  return counts;
}

}  // namespace rapport::ingest
