// Tests of AggregatePairs and BuildAdjacency on hand-made event logs, every expected value
// computed by hand from the effort table (DefaultConfig) and the decay 2^(-age / half-life).
#include "rapport/graph/pair_table.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "rapport/core/time.h"

namespace rapport::graph {
namespace {

using ::testing::ElementsAre;

// 2024-01-04T00:00:00Z, a Thursday: epoch weeks start on Thursdays (1970-01-01 was one), so this
// is the first second of a week.
constexpr double kWeekStart = 1704326400;
constexpr double kDay = kSecondsPerDay;
constexpr double kHalfLifeDays = 10;
constexpr double kAsOf = kWeekStart + 70 * kDay;

Event MakeEvent(double time, std::string actor, std::vector<std::string> targets, Kind kind,
                Channel channel = Channel::kSms) {
  Event event;
  event.time = time;
  event.channel = channel;
  event.kind = kind;
  event.actor = std::move(actor);
  event.targets = std::move(targets);
  return event;
}

PairTable Aggregate(const std::vector<Event>& events, double as_of = kAsOf) {
  return AggregatePairs(EventLogFromEvents(events), DefaultConfig().effort,
                        Decay{kHalfLifeDays, 14, 7}, as_of);
}

// The record of pair (u, v), failing the test when it is missing.
const PairRecord& Find(const PairTable& table, PersonIndex u, PersonIndex v) {
  for (const PairRecord& record : table.pairs) {
    if (record.u == u && record.v == v) return record;
  }
  ADD_FAILURE() << "no pair (" << u << ", " << v << ")";
  static const PairRecord kMissing;
  return kMissing;
}

TEST(GraphPairTableTest, EffortDecaysByHalfPerHalfLifeInEachDirection) {
  const PairTable table = Aggregate({
      MakeEvent(kAsOf - 2 * kHalfLifeDays * kDay, "ann", {"bob"}, Kind::kReply),
      MakeEvent(kAsOf - kHalfLifeDays * kDay, "ann", {"bob"}, Kind::kReply),
      MakeEvent(kAsOf, "bob", {"ann"}, Kind::kMessage),
  });
  ASSERT_EQ(table.pairs.size(), 1u);
  EXPECT_EQ(table.person_count, 2u);
  const PairRecord& pair = table.pairs[0];
  EXPECT_EQ(pair.u, 0u);  // ann
  EXPECT_EQ(pair.v, 1u);  // bob
  EXPECT_DOUBLE_EQ(pair.effort[0], 0.25 + 0.5);
  EXPECT_DOUBLE_EQ(pair.effort[1], 2);
  EXPECT_DOUBLE_EQ(pair.raw_effort[0], 2);
  EXPECT_DOUBLE_EQ(pair.raw_effort[1], 2);
  EXPECT_DOUBLE_EQ(pair.total_effort(), 2.75);
  EXPECT_EQ(pair.count[0], 2u);
  EXPECT_EQ(pair.count[1], 1u);
  EXPECT_EQ(pair.first, kAsOf - 20 * kDay);
  EXPECT_EQ(pair.last, kAsOf);
  EXPECT_EQ(pair.negative_effort, 0);
  EXPECT_EQ(pair.private_effort, 0);
  EXPECT_EQ(pair.favour_effort, 0);
  EXPECT_EQ(pair.channel_mask, 1u << static_cast<int>(Channel::kSms));
}

// recent_effort against a brute force: R(t) on a one-minute grid over the hold window, and at
// each event time, the maximum taken directly.
TEST(GraphPairTableTest, RecentEffortHoldsItsHighestValueOverTheHoldWindow) {
  const Decay decay{kHalfLifeDays, 14, 7};
  for (double last_event_days_ago : {0.0, 2.5, 6.9, 7.1, 20.0}) {
    std::vector<Event> events = {
        MakeEvent(kAsOf - 30 * kDay, "ann", {"bob"}, Kind::kMessage),
        MakeEvent(kAsOf - 9 * kDay, "bob", {"ann"}, Kind::kReply),
        MakeEvent(kAsOf - last_event_days_ago * kDay, "ann", {"bob"}, Kind::kCall),
    };
    const PairTable table =
        AggregatePairs(EventLogFromEvents(events), DefaultConfig().effort, decay, kAsOf);
    ASSERT_EQ(table.pairs.size(), 1u);
    const EffortConfig& effort = DefaultConfig().effort;
    auto recent_at = [&](double t) {
      double sum = 0;
      for (const Event& event : events) {
        if (event.time > t) continue;
        sum += EventEffort(effort, event.kind, 0, 0, false, 1.0) *
               std::exp2(-(t - event.time) / (decay.recent_half_life_days * kDay));
      }
      return sum;
    };
    double expected = 0;
    for (double t = kAsOf - decay.recent_hold_days * kDay; t <= kAsOf; t += 60) {
      expected = std::max(expected, recent_at(t));
    }
    for (const Event& event : events) {
      if (event.time >= kAsOf - decay.recent_hold_days * kDay) {
        expected = std::max(expected, recent_at(event.time));
      }
    }
    EXPECT_NEAR(table.pairs[0].recent_effort, expected, 1e-9 * expected) << last_event_days_ago;
  }
}

TEST(GraphPairTableTest, AWeekOfSilenceWithinTheHoldLeavesRecentEffortUnchanged) {
  const std::vector<Event> events = {
      MakeEvent(kAsOf - 20 * kDay, "ann", {"bob"}, Kind::kMessage),
      MakeEvent(kAsOf - 10 * kDay, "bob", {"ann"}, Kind::kMessage),
  };
  const Decay decay{kHalfLifeDays, 14, 7};
  const double before =
      AggregatePairs(EventLogFromEvents(events), DefaultConfig().effort, decay, kAsOf - 3 * kDay)
          .pairs[0]
          .recent_effort;
  const double after =
      AggregatePairs(EventLogFromEvents(events), DefaultConfig().effort, decay, kAsOf)
          .pairs[0]
          .recent_effort;
  // Silent from day -10: as of day -3 the hold reaches back to day -10 itself; as of day 0 it
  // starts at day -7, three days of decay later.
  EXPECT_DOUBLE_EQ(before, 2 + 2 * std::exp2(-10.0 / 14));
  EXPECT_NEAR(after, before * std::exp2(-3.0 / 14), 1e-12);
}

TEST(GraphPairTableTest, HalfLifeComesFromTheArgument) {
  const EventLog log =
      EventLogFromEvents({MakeEvent(kAsOf - 30 * kDay, "ann", {"bob"}, Kind::kMessage)});
  const PairTable table = AggregatePairs(log, DefaultConfig().effort, Decay{30, 14, 7}, kAsOf);
  ASSERT_EQ(table.pairs.size(), 1u);
  EXPECT_DOUBLE_EQ(table.pairs[0].effort[0], 1);
}

TEST(GraphPairTableTest, EffortIsSharedBySquareRootOfTheTargetCount) {
  Event email =
      MakeEvent(kAsOf, "ann", {"bob", "cat", "dan", "eve"}, Kind::kEmail, Channel::kEmail);
  email.is_private = true;
  const PairTable table = Aggregate({email});
  ASSERT_EQ(table.pairs.size(), 4u);
  for (PersonIndex target = 1; target <= 4; ++target) {
    SCOPED_TRACE(target);
    const PairRecord& pair = table.pairs[target - 1];
    EXPECT_EQ(pair.u, 0u);
    EXPECT_EQ(pair.v, target);
    EXPECT_DOUBLE_EQ(pair.effort[0], 2 / std::sqrt(4.0));
    EXPECT_DOUBLE_EQ(pair.effort[1], 0);
    EXPECT_DOUBLE_EQ(pair.raw_effort[0], 1);
    EXPECT_DOUBLE_EQ(pair.private_effort, 1);
    EXPECT_EQ(pair.count[0], 1u);
    EXPECT_EQ(pair.count[1], 0u);
    EXPECT_EQ(pair.channel_mask, 1u << static_cast<int>(Channel::kEmail));
  }
}

TEST(GraphPairTableTest, NegativeValenceIsNegativeEffortOnly) {
  Event distrust =
      MakeEvent(kAsOf - kHalfLifeDays * kDay, "cat", {"ann"}, Kind::kRating, Channel::kTrade);
  distrust.valence = -0.5;
  Event trust = MakeEvent(kAsOf, "ann", {"cat"}, Kind::kRating, Channel::kTrade);
  trust.valence = 0.5;
  const PairTable table = Aggregate({distrust, trust});
  ASSERT_EQ(table.pairs.size(), 1u);
  const PairRecord& pair = table.pairs[0];
  EXPECT_EQ(pair.u, 0u);  // cat, first to appear
  EXPECT_EQ(pair.v, 1u);  // ann
  // Rating effort 2, times |valence| 0.5, decayed one half-life: 0.5.
  EXPECT_DOUBLE_EQ(pair.negative_effort, 0.5);
  EXPECT_DOUBLE_EQ(pair.effort[0], 0);
  EXPECT_DOUBLE_EQ(pair.raw_effort[0], 0);
  EXPECT_DOUBLE_EQ(pair.effort[1], 1);
  EXPECT_EQ(pair.count[0], 1u);  // the negative event still counts as contact
  EXPECT_EQ(pair.count[1], 1u);
}

TEST(GraphPairTableTest, PrivateFavourChannelsAndContactTime) {
  Event favour =
      MakeEvent(kAsOf - kHalfLifeDays * kDay, "ann", {"bob"}, Kind::kFavour, Channel::kBlog);
  Event call = MakeEvent(kAsOf, "bob", {"ann"}, Kind::kCall, Channel::kPhone);
  call.duration = 1800;
  call.is_private = true;
  Event meeting = MakeEvent(kAsOf, "ann", {"bob"}, Kind::kMeeting, Channel::kInPerson);
  meeting.duration = 3600;
  Event reply = MakeEvent(kAsOf, "ann", {"bob"}, Kind::kReply, Channel::kTwitter);
  const PairTable table = Aggregate({favour, call, meeting, reply});
  ASSERT_EQ(table.pairs.size(), 1u);
  const PairRecord& pair = table.pairs[0];
  // Favour 6 decayed by half; meeting 4 + log2(2); reply 1.
  EXPECT_DOUBLE_EQ(pair.effort[0], 3 + 5 + 1);
  // Call 3 + log2(1 + 3).
  EXPECT_DOUBLE_EQ(pair.effort[1], 5);
  EXPECT_DOUBLE_EQ(pair.favour_effort, 3);
  // Only the call is marked private (is_private is the event's flag, not the kind's default).
  EXPECT_DOUBLE_EQ(pair.private_effort, 5);
  EXPECT_DOUBLE_EQ(pair.contact_seconds, 5400);
  EXPECT_EQ(pair.channel_mask, (1u << static_cast<int>(Channel::kBlog)) |
                                   (1u << static_cast<int>(Channel::kPhone)) |
                                   (1u << static_cast<int>(Channel::kInPerson)) |
                                   (1u << static_cast<int>(Channel::kTwitter)));
}

TEST(GraphPairTableTest, EffortOverrideAndPositiveValence) {
  Event overridden = MakeEvent(kAsOf, "ann", {"bob"}, Kind::kLike);
  overridden.effort = 3;
  Event half = MakeEvent(kAsOf, "bob", {"ann"}, Kind::kMessage);
  half.valence = 0.5;
  const PairTable table = Aggregate({overridden, half});
  ASSERT_EQ(table.pairs.size(), 1u);
  EXPECT_DOUBLE_EQ(table.pairs[0].effort[0], 3);
  EXPECT_DOUBLE_EQ(table.pairs[0].effort[1], 1);
}

TEST(GraphPairTableTest, ActiveDaysCountDistinctUtcDays) {
  const PairTable table = Aggregate({
      MakeEvent(kWeekStart + 1 * 3600, "ann", {"bob"}, Kind::kMessage),
      MakeEvent(kWeekStart + 5 * 3600, "bob", {"ann"}, Kind::kMessage),
      MakeEvent(kWeekStart + kDay - 1, "ann", {"bob"}, Kind::kLike),
      MakeEvent(kWeekStart + kDay, "ann", {"bob"}, Kind::kLike),
      MakeEvent(kWeekStart + 9 * kDay, "ann", {"bob"}, Kind::kLike),
  });
  ASSERT_EQ(table.pairs.size(), 1u);
  EXPECT_EQ(table.pairs[0].active_days, 3u);
}

TEST(GraphPairTableTest, ActiveWeeksNeedHalfAReplyOfUndecayedEffort) {
  const double week = kSecondsPerWeek;
  const PairTable table = Aggregate({
      // Week 0: two likes, 0.2: not active.
      MakeEvent(kWeekStart + kDay, "ann", {"bob"}, Kind::kLike),
      MakeEvent(kWeekStart + 2 * kDay, "bob", {"ann"}, Kind::kLike),
      // Week 1: one reply: active, however old (effort here is undecayed).
      MakeEvent(kWeekStart + week + kDay, "ann", {"bob"}, Kind::kReply),
      // Week 2: a like and a share, 0.6 in both directions together: active once.
      MakeEvent(kWeekStart + 2 * week, "ann", {"bob"}, Kind::kLike),
      MakeEvent(kWeekStart + 2 * week + kDay, "bob", {"ann"}, Kind::kShare),
      MakeEvent(kWeekStart + 2 * week + 2 * kDay, "bob", {"ann"}, Kind::kReply),
      // Weeks 3 and 4: 0.3 each side of the boundary; weeks do not add up.
      MakeEvent(kWeekStart + 4 * week - 3, "ann", {"bob"}, Kind::kLike),
      MakeEvent(kWeekStart + 4 * week - 2, "ann", {"bob"}, Kind::kLike),
      MakeEvent(kWeekStart + 4 * week - 1, "ann", {"bob"}, Kind::kLike),
      MakeEvent(kWeekStart + 4 * week, "ann", {"bob"}, Kind::kFollow),
      MakeEvent(kWeekStart + 4 * week + 1, "ann", {"bob"}, Kind::kLike),
  });
  ASSERT_EQ(table.pairs.size(), 1u);
  EXPECT_EQ(table.pairs[0].active_weeks, 2u);
}

TEST(GraphPairTableTest, ActiveWeekEffortIsSharedLikeEffort) {
  // An email to 16 people gives each 2 / 4 = 0.5: exactly the threshold. To 25 people, 0.4.
  std::vector<std::string> sixteen, twenty_five;
  for (int i = 0; i < 25; ++i) {
    (i < 16 ? sixteen : twenty_five).push_back("p" + std::to_string(i));
  }
  twenty_five.insert(twenty_five.begin(), sixteen.begin(), sixteen.end());
  const PairTable table = Aggregate({
      MakeEvent(kWeekStart, "ann", sixteen, Kind::kEmail, Channel::kEmail),
      MakeEvent(kWeekStart + kSecondsPerWeek, "bob", twenty_five, Kind::kEmail, Channel::kEmail),
  });
  // ann is 0, p0..p15 are 1..16, bob is 17, p16..p24 are 18..26.
  const PairRecord& ann_p0 = Find(table, 0, 1);
  EXPECT_DOUBLE_EQ(ann_p0.raw_effort[0], 0.5);
  EXPECT_EQ(ann_p0.active_weeks, 1u);
  const PairRecord& p0_bob = Find(table, 1, 17);
  EXPECT_DOUBLE_EQ(p0_bob.raw_effort[1], 0.4);
  EXPECT_EQ(p0_bob.active_weeks, 0u);
}

TEST(GraphPairTableTest, EventsAfterAsOfAreIgnored) {
  const PairTable table = Aggregate({
      MakeEvent(kAsOf - kDay, "ann", {"bob"}, Kind::kReply),
      MakeEvent(kAsOf + 1, "bob", {"ann"}, Kind::kMessage),
      MakeEvent(kAsOf + kDay, "cat", {"dan"}, Kind::kMessage),
  });
  ASSERT_EQ(table.pairs.size(), 1u);
  EXPECT_EQ(table.person_count, 4u);  // people exist even with no pair before as_of
  const PairRecord& pair = table.pairs[0];
  EXPECT_EQ(pair.count[0], 1u);
  EXPECT_EQ(pair.count[1], 0u);
  EXPECT_DOUBLE_EQ(pair.effort[1], 0);
  EXPECT_EQ(pair.last, kAsOf - kDay);
}

TEST(GraphPairTableTest, BroadcastPostsCreateNoPairs) {
  const PairTable table = Aggregate({
      MakeEvent(kAsOf - kDay, "ann", {}, Kind::kPost, Channel::kTwitter),
      MakeEvent(kAsOf, "bob", {}, Kind::kPost, Channel::kBlog),
  });
  EXPECT_TRUE(table.pairs.empty());
  EXPECT_EQ(table.person_count, 2u);
}

TEST(GraphPairTableTest, SelfTargetsCreateNoPairs) {
  const PairTable table = Aggregate({MakeEvent(kAsOf, "ann", {"ann"}, Kind::kMessage)});
  EXPECT_TRUE(table.pairs.empty());
}

// People a..e are indices 0..4; pairs appear in the order (0,1), (2,3), (0,2), (1,3), (0,4).
std::vector<Event> FivePeople() {
  return {
      MakeEvent(kAsOf, "a", {"b"}, Kind::kMessage), MakeEvent(kAsOf, "c", {"d"}, Kind::kMessage),
      MakeEvent(kAsOf, "c", {"a"}, Kind::kMessage), MakeEvent(kAsOf, "b", {"d"}, Kind::kLike),
      MakeEvent(kAsOf, "e", {"a"}, Kind::kLike),
  };
}

TEST(GraphPairTableTest, PairsAreSortedByUThenV) {
  const PairTable table = Aggregate(FivePeople());
  ASSERT_EQ(table.pairs.size(), 5u);
  std::vector<std::pair<PersonIndex, PersonIndex>> ends;
  for (const PairRecord& record : table.pairs) ends.emplace_back(record.u, record.v);
  EXPECT_THAT(ends, ElementsAre(std::pair{0u, 1u}, std::pair{0u, 2u}, std::pair{0u, 4u},
                                std::pair{1u, 3u}, std::pair{2u, 3u}));
  // Direction follows the actor: c -> a is v -> u of (0, 2); e -> a is v -> u of (0, 4).
  EXPECT_DOUBLE_EQ(table.pairs[1].effort[0], 0);
  EXPECT_DOUBLE_EQ(table.pairs[1].effort[1], 2);
  EXPECT_DOUBLE_EQ(table.pairs[2].effort[1], 0.1);
  EXPECT_DOUBLE_EQ(table.pairs[3].effort[0], 0.1);
}

// Every list sorted ascending, every pair index naming a record with both ends right.
void ExpectConsistent(const PairTable& table, const Adjacency& adjacency) {
  ASSERT_EQ(adjacency.offset.size(), table.person_count + 1);
  ASSERT_EQ(adjacency.neighbour.size(), adjacency.offset.back());
  ASSERT_EQ(adjacency.pair.size(), adjacency.offset.back());
  for (PersonIndex p = 0; p < table.person_count; ++p) {
    for (uint64_t i = adjacency.offset[p]; i < adjacency.offset[p + 1]; ++i) {
      if (i > adjacency.offset[p]) {
        EXPECT_LT(adjacency.neighbour[i - 1], adjacency.neighbour[i]);
      }
      const PairRecord& record = table.pairs.at(adjacency.pair[i]);
      const PersonIndex other = adjacency.neighbour[i];
      EXPECT_TRUE((record.u == p && record.v == other) || (record.v == p && record.u == other))
          << "person " << p << " entry " << i;
    }
  }
}

TEST(GraphPairTableTest, AdjacencyOfEveryPair) {
  const PairTable table = Aggregate(FivePeople());
  const Adjacency adjacency = BuildAdjacency(table, [](const PairRecord&) { return true; });
  EXPECT_THAT(adjacency.offset, ElementsAre(0, 3, 5, 7, 9, 10));
  EXPECT_THAT(adjacency.neighbour, ElementsAre(1, 2, 4, 0, 3, 0, 3, 1, 2, 0));
  EXPECT_THAT(adjacency.pair, ElementsAre(0, 1, 2, 0, 3, 1, 4, 3, 4, 2));
  EXPECT_EQ(adjacency.degree(0), 3u);
  EXPECT_EQ(adjacency.degree(4), 1u);
  ExpectConsistent(table, adjacency);
}

TEST(GraphPairTableTest, AdjacencyKeepsOnlyWhatThePredicateKeeps) {
  const PairTable table = Aggregate(FivePeople());
  const Adjacency adjacency =
      BuildAdjacency(table, [](const PairRecord& record) { return record.total_effort() >= 1; });
  // The two like-only pairs, (0, 4) and (1, 3), are gone.
  EXPECT_THAT(adjacency.offset, ElementsAre(0, 2, 3, 5, 6, 6));
  EXPECT_THAT(adjacency.neighbour, ElementsAre(1, 2, 0, 0, 3, 2));
  EXPECT_THAT(adjacency.pair, ElementsAre(0, 1, 0, 1, 4, 4));
  EXPECT_EQ(adjacency.degree(4), 0u);
  ExpectConsistent(table, adjacency);

  const Adjacency none = BuildAdjacency(table, [](const PairRecord&) { return false; });
  EXPECT_THAT(none.offset, ElementsAre(0, 0, 0, 0, 0, 0));
  EXPECT_TRUE(none.neighbour.empty());
}

TEST(GraphPairTableTest, AdjacencyListsStaySortedOnALargerGraph) {
  // A ring with chords, events in scrambled order.
  std::vector<Event> events;
  const int people = 40;
  for (int i = 0; i < people; ++i) {
    for (int step : {1, 7, 13}) {
      const int j = (i * 17 + step) % people;
      if (j == i) continue;
      events.push_back(MakeEvent(kAsOf - ((i * 31) % 11) * kDay, "p" + std::to_string(i),
                                 {"p" + std::to_string(j)}, Kind::kMessage));
    }
  }
  const PairTable table = Aggregate(events);
  for (size_t i = 1; i < table.pairs.size(); ++i) {
    const PairRecord& a = table.pairs[i - 1];
    const PairRecord& b = table.pairs[i];
    ASSERT_TRUE(a.u < b.u || (a.u == b.u && a.v < b.v)) << i;
    ASSERT_LT(b.u, b.v);
  }
  const Adjacency adjacency = BuildAdjacency(table, [](const PairRecord&) { return true; });
  EXPECT_EQ(adjacency.neighbour.size(), 2 * table.pairs.size());
  ExpectConsistent(table, adjacency);
}

}  // namespace
}  // namespace rapport::graph
