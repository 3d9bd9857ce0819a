// Tests of the log generator: deterministic by seed, exactly the requested number of events in
// time order, valid events, and the shape it promises (heavy-tailed activity, recurring contacts,
// answers, broadcasts, several channels).
#include "rapport/scenario/generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace rapport::scenario {
namespace {

std::vector<ingest::BinaryEvent> Generate(const GeneratorOptions& options) {
  std::vector<ingest::BinaryEvent> events;
  EXPECT_TRUE(GenerateEvents(options, [&](const ingest::BinaryEvent& event) {
                events.push_back(event);
                return Status::Ok();
              }).ok());
  return events;
}

GeneratorOptions Small(uint64_t seed) {
  GeneratorOptions options;
  options.people = 2000;
  options.events = 50000;
  options.seed = seed;
  return options;
}

TEST(GeneratorTest, SameSeedSameLogOtherSeedOtherLog) {
  const auto a = Generate(Small(1)), b = Generate(Small(1)), c = Generate(Small(2));
  ASSERT_EQ(a.size(), b.size());
  size_t differences = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].time, b[i].time);
    EXPECT_EQ(a[i].actor, b[i].actor);
    EXPECT_EQ(a[i].targets, b[i].targets);
    differences += a[i].actor != c[i].actor ? 1 : 0;
  }
  EXPECT_GT(differences, a.size() / 2);
}

TEST(GeneratorTest, ExactCountInTimeOrderAndValid) {
  const GeneratorOptions options = Small(3);
  const auto events = Generate(options);
  ASSERT_EQ(events.size(), options.events);
  const double end = options.start_time + options.years * 365.25 * 86400;
  for (size_t i = 0; i < events.size(); ++i) {
    if (i > 0) {
      EXPECT_LE(events[i - 1].time, events[i].time) << i;
    }
    EXPECT_GE(events[i].time, options.start_time);
    EXPECT_LE(events[i].time, end + 86400);
    EXPECT_LT(events[i].actor, options.people);
    EXPECT_LE(events[i].targets.size(), 6u);
    for (uint32_t target : events[i].targets) {
      EXPECT_NE(target, events[i].actor);
      EXPECT_LT(target, options.people);
    }
    EXPECT_EQ(events[i].targets.empty(), events[i].kind == Kind::kPost) << i;
  }
}

TEST(GeneratorTest, HeavyTailsRecurringTiesAnswersAndChannels) {
  const auto events = Generate(Small(4));
  std::map<uint32_t, int> by_actor;
  std::map<std::pair<uint32_t, uint32_t>, int> by_pair;
  std::set<Channel> channels;
  int posts = 0, answered = 0;
  std::set<std::tuple<uint32_t, uint32_t>> directed;
  for (const auto& event : events) {
    ++by_actor[event.actor];
    channels.insert(event.channel);
    posts += event.kind == Kind::kPost ? 1 : 0;
    for (uint32_t target : event.targets) {
      ++by_pair[{std::min(event.actor, target), std::max(event.actor, target)}];
      directed.insert({event.actor, target});
    }
  }
  for (const auto& [from, to] : directed) answered += directed.count({to, from}) ? 1 : 0;
  std::vector<int> counts;
  for (const auto& [actor, n] : by_actor) counts.push_back(n);
  std::sort(counts.rbegin(), counts.rend());
  int top = 0;
  for (size_t i = 0; i < counts.size() / 20; ++i) top += counts[i];
  EXPECT_GT(top, static_cast<int>(events.size()) / 5);  // the top 5% act > 20% of the time
  int repeated = 0;
  for (const auto& [pair, n] : by_pair) repeated += n >= 5 ? 1 : 0;
  EXPECT_GT(repeated, 500);                                    // recurring relationships
  EXPECT_GT(answered, static_cast<int>(directed.size()) / 5);  // reciprocity
  EXPECT_NEAR(posts, 0.08 * 50000 / 1.4, 0.04 * 50000);        // broadcasts
  EXPECT_GE(channels.size(), 8u);
}

TEST(GeneratorTest, RejectsTooFewPeople) {
  GeneratorOptions options;
  options.people = 1;
  EXPECT_FALSE(
      GenerateEvents(options, [](const ingest::BinaryEvent&) { return Status::Ok(); }).ok());
}

}  // namespace
}  // namespace rapport::scenario
