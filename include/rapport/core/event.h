// The event model: one interaction between identities, as every reader produces it and every
// later step consumes it (DESIGN.md, "Event model"). Plain data; no behaviour beyond names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rapport {

enum class Channel : uint8_t {
  kTwitter,
  kMastodon,
  kFacebook,
  kEmail,
  kBlog,
  kSms,
  kPhone,
  kChat,
  kInPerson,
  kTrade,  // marketplaces and trust networks (bitcoin-otc ratings)
  kOther,
};
inline constexpr int kChannelCount = 11;

enum class Kind : uint8_t {
  kPost,  // broadcast: builds no relationship, counts toward volume
  kReply,
  kMention,
  kShare,
  kLike,
  kFollow,
  kComment,
  kMessage,
  kEmail,
  kCall,
  kMeeting,
  kFavour,  // read a draft, promoted a book, checked in on someone
  kRating,  // a signed judgement of the target (valence carries the sign)
};
inline constexpr int kKindCount = 13;

// Lower-case names as written in files, the store and output ("in_person", "favour").
std::string_view ChannelName(Channel channel);
std::string_view KindName(Kind kind);
// Accepts the names above, case-insensitively; "favor" and "inperson" are accepted too.
std::optional<Channel> ParseChannel(std::string_view name);
std::optional<Kind> ParseKind(std::string_view name);
// Comma-separated lists of every name, for error messages and --help.
std::string AllChannelNames();
std::string AllKindNames();

// Whether an event of this channel and kind is private by default (only its targets could see
// it): messages, email, calls, sms, meetings and favours are; posts, replies, likes are not.
bool DefaultPrivate(Channel channel, Kind kind);

struct Event {
  double time = 0;  // seconds since 1970-01-01 UTC; fractions kept where the source has them
  Channel channel = Channel::kOther;
  Kind kind = Kind::kPost;
  std::string actor;                      // the identity that acted (docs/formats.md, "Identities")
  std::vector<std::string> targets;       // empty for a broadcast post
  std::string actor_name;                 // the actor's display name, when the source has one
  std::vector<std::string> target_names;  // display names parallel to targets (may be empty)
  bool is_private = false;
  double duration = 0;           // seconds, for calls and meetings; 0 when unknown
  std::optional<double> effort;  // overrides the kind's default effort when set
  double valence = 1.0;          // in [-1, 1]; negative for distrust (ratings)
  std::string source;            // where it came from (file name, "journal")
  std::string native_id;         // unique within source; the dedupe key with source
  std::string text;              // optional; kept only when the user asks
};

}  // namespace rapport
