#include "rapport/scenario/demo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "rapport/core/time.h"

namespace rapport::scenario {
namespace {

TEST(ScenarioDemoTest, SameOptionsSameEventsByteForByte) {
  EXPECT_EQ(DemoEventsCsv(BuildDemoEvents(DemoOptions{})),
            DemoEventsCsv(BuildDemoEvents(DemoOptions{})));
  DemoOptions other;
  other.seed = 7;
  EXPECT_NE(DemoEventsCsv(BuildDemoEvents(DemoOptions{})), DemoEventsCsv(BuildDemoEvents(other)));
}

TEST(ScenarioDemoTest, TheCastIsThereOnTheirChannels) {
  const DemoOptions options;
  const std::vector<Event> events = BuildDemoEvents(options);
  std::set<std::string> ids;
  std::set<Channel> sam_channels;
  std::set<Kind> lou_kinds;
  for (const Event& e : events) {
    EXPECT_LT(e.time, options.end_time);
    EXPECT_GE(e.time, options.end_time - options.weeks * kSecondsPerWeek);
    EXPECT_TRUE(ids.insert(e.native_id).second) << "duplicate native id " << e.native_id;
    EXPECT_EQ(std::count(e.targets.begin(), e.targets.end(), e.actor), 0);
    const bool sam = e.actor == kEmailPhoneFriend ||
                     std::count(e.targets.begin(), e.targets.end(), kEmailPhoneFriend) > 0;
    if (sam) sam_channels.insert(e.channel);
    if (e.actor == kLikeOnlyAcquaintance) lou_kinds.insert(e.kind);
  }
  EXPECT_EQ(sam_channels, (std::set<Channel>{Channel::kEmail, Channel::kPhone}));
  EXPECT_EQ(lou_kinds, (std::set<Kind>{Kind::kLike}));
  EXPECT_TRUE(std::is_sorted(events.begin(), events.end(),
                             [](const Event& a, const Event& b) { return a.time < b.time; }));
}

TEST(ScenarioDemoTest, SilenceRemovesOnlyThatPersonsRecentActions) {
  DemoOptions quiet;
  quiet.silent_person = kBlogger;
  quiet.silent_days = 7;
  const double from = quiet.end_time - 7 * kSecondsPerDay;
  const std::vector<Event> all = BuildDemoEvents(DemoOptions{});
  const std::vector<Event> some = BuildDemoEvents(quiet);
  auto count = [from](const std::vector<Event>& events, bool by_blogger) {
    return std::count_if(events.begin(), events.end(), [&](const Event& e) {
      return e.time >= from && (e.actor == kBlogger) == by_blogger;
    });
  };
  EXPECT_GT(count(all, true), 0);
  EXPECT_EQ(count(some, true), 0);
  EXPECT_EQ(count(some, false), count(all, false));  // others still write to her
}

TEST(ScenarioDemoTest, ExtraPostsAreBroadcastsOnly) {
  DemoOptions louder;
  louder.extra_posts_person = kBlogger;
  louder.extra_posts_multiple = 9;
  auto posts = [](const std::vector<Event>& events) {
    return std::count_if(events.begin(), events.end(), [](const Event& e) {
      return e.actor == kBlogger && e.kind == Kind::kPost && e.targets.empty();
    });
  };
  const auto before = posts(BuildDemoEvents(DemoOptions{}));
  const auto after = posts(BuildDemoEvents(louder));
  EXPECT_EQ(after, 10 * before);
}

}  // namespace
}  // namespace rapport::scenario
