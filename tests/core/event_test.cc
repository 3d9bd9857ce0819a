// Tests of the event model's names and defaults, and of EventLogFromEvents: time order, identity
// to person mapping, self-targets and duplicate targets dropped.
#include "rapport/core/event.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "rapport/core/event_log.h"

namespace rapport {
namespace {

using ::testing::ElementsAre;

TEST(CoreEventTest, EveryKindRoundTripsThroughItsName) {
  std::set<std::string_view> names;
  for (int k = 0; k < kKindCount; ++k) {
    const Kind kind = static_cast<Kind>(k);
    SCOPED_TRACE(KindName(kind));
    EXPECT_TRUE(names.insert(KindName(kind)).second) << "duplicate name";
    EXPECT_EQ(ParseKind(KindName(kind)), kind);
    std::string upper(KindName(kind));
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(ParseKind(upper), kind);
  }
  EXPECT_EQ(KindName(Kind::kFavour), "favour");
  EXPECT_EQ(KindName(Kind::kRating), "rating");
}

TEST(CoreEventTest, EveryChannelRoundTripsThroughItsName) {
  std::set<std::string_view> names;
  for (int c = 0; c < kChannelCount; ++c) {
    const Channel channel = static_cast<Channel>(c);
    SCOPED_TRACE(ChannelName(channel));
    EXPECT_TRUE(names.insert(ChannelName(channel)).second) << "duplicate name";
    EXPECT_EQ(ParseChannel(ChannelName(channel)), channel);
    std::string upper(ChannelName(channel));
    for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    EXPECT_EQ(ParseChannel(upper), channel);
  }
  EXPECT_EQ(ChannelName(Channel::kInPerson), "in_person");
}

TEST(CoreEventTest, AliasesAndMixedCase) {
  EXPECT_EQ(ParseKind("favor"), Kind::kFavour);
  EXPECT_EQ(ParseKind("Favor"), Kind::kFavour);
  EXPECT_EQ(ParseKind("FaVoUr"), Kind::kFavour);
  EXPECT_EQ(ParseKind("Email"), Kind::kEmail);
  EXPECT_EQ(ParseChannel("inperson"), Channel::kInPerson);
  EXPECT_EQ(ParseChannel("In-Person"), Channel::kInPerson);
  EXPECT_EQ(ParseChannel("TwItTeR"), Channel::kTwitter);
}

TEST(CoreEventTest, UnknownNamesAreRejected) {
  EXPECT_EQ(ParseKind("poke"), std::nullopt);
  EXPECT_EQ(ParseKind(""), std::nullopt);
  EXPECT_EQ(ParseKind("reply "), std::nullopt);
  EXPECT_EQ(ParseKind("favours"), std::nullopt);
  EXPECT_EQ(ParseChannel("pigeon"), std::nullopt);
  EXPECT_EQ(ParseChannel("in person"), std::nullopt);
  EXPECT_EQ(ParseChannel(""), std::nullopt);
}

TEST(CoreEventTest, AllNamesListsEveryName) {
  EXPECT_EQ(AllKindNames(),
            "post, reply, mention, share, like, follow, comment, message, email, call, meeting, "
            "favour, rating");
  EXPECT_EQ(AllChannelNames(),
            "twitter, mastodon, facebook, email, blog, sms, phone, chat, in_person, trade, other");
}

TEST(CoreEventTest, DefaultPrivate) {
  // Private kinds, whatever the channel.
  EXPECT_TRUE(DefaultPrivate(Channel::kTwitter, Kind::kMessage));
  EXPECT_TRUE(DefaultPrivate(Channel::kOther, Kind::kEmail));
  EXPECT_TRUE(DefaultPrivate(Channel::kPhone, Kind::kCall));
  EXPECT_TRUE(DefaultPrivate(Channel::kInPerson, Kind::kMeeting));
  EXPECT_TRUE(DefaultPrivate(Channel::kBlog, Kind::kFavour));
  // Private channels, whatever the kind.
  EXPECT_TRUE(DefaultPrivate(Channel::kSms, Kind::kReply));
  EXPECT_TRUE(DefaultPrivate(Channel::kChat, Kind::kMention));
  EXPECT_TRUE(DefaultPrivate(Channel::kEmail, Kind::kReply));
  // Public otherwise.
  EXPECT_FALSE(DefaultPrivate(Channel::kTwitter, Kind::kReply));
  EXPECT_FALSE(DefaultPrivate(Channel::kMastodon, Kind::kLike));
  EXPECT_FALSE(DefaultPrivate(Channel::kFacebook, Kind::kPost));
  EXPECT_FALSE(DefaultPrivate(Channel::kBlog, Kind::kComment));
  EXPECT_FALSE(DefaultPrivate(Channel::kTrade, Kind::kRating));
}

Event MakeEvent(double time, std::string actor, std::vector<std::string> targets,
                Kind kind = Kind::kMessage) {
  Event event;
  event.time = time;
  event.channel = Channel::kSms;
  event.kind = kind;
  event.actor = std::move(actor);
  event.targets = std::move(targets);
  return event;
}

TEST(CoreEventTest, EventLogFromEventsSortsAndMapsPeople) {
  std::vector<Event> events = {
      MakeEvent(300, "cat", {"ann"}), MakeEvent(100, "ann", {"bob", "cat"}),
      MakeEvent(200, "bob", {}, Kind::kPost),
      MakeEvent(100, "dan", {"ann"}),  // same time as the second: input order kept
  };
  events[1].is_private = true;
  events[1].duration = 60;
  events[1].effort = 2.5;
  events[1].valence = -0.5;
  const EventLog log = EventLogFromEvents(events);

  // People in order of first appearance in time order.
  EXPECT_THAT(log.person_name, ElementsAre("ann", "bob", "cat", "dan"));
  EXPECT_THAT(log.person_id, ElementsAre(1, 2, 3, 4));

  ASSERT_EQ(log.event_count(), 4u);
  EXPECT_THAT(log.time, ElementsAre(100, 100, 200, 300));
  EXPECT_THAT(log.event_id, ElementsAre(2, 4, 3, 1));  // input position plus one
  EXPECT_THAT(log.actor, ElementsAre(0, 3, 1, 2));
  EXPECT_THAT(log.target_offset, ElementsAre(0, 2, 3, 3, 4));
  EXPECT_THAT(log.targets, ElementsAre(1, 2, 0, 0));
  EXPECT_EQ(log.kind[2], Kind::kPost);
  EXPECT_EQ(log.channel[0], Channel::kSms);

  EXPECT_EQ(log.is_private[0], 1);
  EXPECT_EQ(log.is_private[1], 0);
  EXPECT_EQ(log.duration[0], 60);
  EXPECT_EQ(log.effort_override[0], 2.5);
  EXPECT_TRUE(std::isnan(log.effort_override[1]));
  EXPECT_EQ(log.valence[0], -0.5);
  EXPECT_EQ(log.valence[1], 1.0);
}

TEST(CoreEventTest, EventLogFromEventsDropsSelfAndDuplicateTargets) {
  const EventLog log = EventLogFromEvents({
      MakeEvent(10, "ann", {"bob", "ann", "bob", "cat", "cat"}),
      MakeEvent(20, "bob", {"bob"}),
  });
  EXPECT_THAT(log.person_name, ElementsAre("ann", "bob", "cat"));
  EXPECT_THAT(log.target_offset, ElementsAre(0, 2, 2));
  EXPECT_THAT(log.targets, ElementsAre(1, 2));
}

TEST(CoreEventTest, EmptyInputGivesAnEmptyLog) {
  const EventLog log = EventLogFromEvents({});
  EXPECT_EQ(log.event_count(), 0u);
  EXPECT_EQ(log.person_count(), 0u);
  EXPECT_THAT(log.target_offset, ElementsAre(0));
}

}  // namespace
}  // namespace rapport
