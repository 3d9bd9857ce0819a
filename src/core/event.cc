#include "rapport/core/event.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "rapport/core/text.h"

namespace rapport {
namespace {

constexpr std::array<std::string_view, kChannelCount> kChannelNames = {
    "twitter", "mastodon", "facebook",  "email", "blog", "sms",
    "phone",   "chat",     "in_person", "trade", "other"};
constexpr std::array<std::string_view, kKindCount> kKindNames = {
    "post",    "reply", "mention", "share",   "like",   "follow", "comment",
    "message", "email", "call",    "meeting", "favour", "rating"};

template <size_t N>
std::string JoinNames(const std::array<std::string_view, N>& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace

std::string_view ChannelName(Channel channel) { return kChannelNames[static_cast<int>(channel)]; }
std::string_view KindName(Kind kind) { return kKindNames[static_cast<int>(kind)]; }

// Both parsers try the canonical name as given first, without a copy: the store holds those, and
// loading 10^7 events parses two names an event.
std::optional<Channel> ParseChannel(std::string_view name) {
  for (int i = 0; i < kChannelCount; ++i) {
    if (kChannelNames[i] == name) return static_cast<Channel>(i);
  }
  std::string lower = AsciiLower(name);
  if (lower == "inperson" || lower == "in-person") return Channel::kInPerson;
  for (int i = 0; i < kChannelCount; ++i) {
    if (kChannelNames[i] == lower) return static_cast<Channel>(i);
  }
  return std::nullopt;
}

std::optional<Kind> ParseKind(std::string_view name) {
  for (int i = 0; i < kKindCount; ++i) {
    if (kKindNames[i] == name) return static_cast<Kind>(i);
  }
  std::string lower = AsciiLower(name);
  if (lower == "favor") return Kind::kFavour;
  for (int i = 0; i < kKindCount; ++i) {
    if (kKindNames[i] == lower) return static_cast<Kind>(i);
  }
  return std::nullopt;
}

std::string AllChannelNames() { return JoinNames(kChannelNames); }
std::string AllKindNames() { return JoinNames(kKindNames); }

bool DefaultPrivate(Channel channel, Kind kind) {
  switch (kind) {
    case Kind::kMessage:
    case Kind::kEmail:
    case Kind::kCall:
    case Kind::kMeeting:
    case Kind::kFavour:
      return true;
    default:
      break;
  }
  switch (channel) {
    case Channel::kEmail:
    case Channel::kSms:
    case Channel::kPhone:
    case Channel::kChat:
    case Channel::kInPerson:
      return true;
    default:
      return false;
  }
}

}  // namespace rapport
