// PairAggregator, the partitioned and parallel aggregation, against a serial verifier: a map
// from each pair to its contacts, each list put in time order by a stable sort, folded with
// PairFolder. Events arrive shuffled, with repeated times, over enough people for several
// partitions; every field of every record must be equal.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/graph/pair_table.h"

namespace rapport::graph {
namespace {

constexpr double kStart = 1700000000;
constexpr double kAsOf = kStart + 400 * 86400.0;

struct TestEvent {
  double time;
  PersonIndex actor;
  Kind kind;
  Channel channel;
  bool is_private;
  double duration, effort_override, valence;
  std::vector<PersonIndex> targets;
};

// Skewed people (low indices act more) writing mostly to near neighbours, times on a coarse grid
// so that many contacts share a time, a few events after as_of, some self-targets, all in random
// order.
std::vector<TestEvent> RandomEvents(size_t people, size_t count, uint64_t seed) {
  std::mt19937_64 random(seed);
  auto person = [&] {
    const double x = std::uniform_real_distribution<double>(0, 1)(random);
    return static_cast<PersonIndex>(std::pow(x, 2.5) * static_cast<double>(people));
  };
  std::vector<TestEvent> events(count);
  for (TestEvent& event : events) {
    event.time = kStart + 86400.0 * static_cast<double>(random() % 420);  // to 20 days after as_of
    event.actor = person();
    event.kind = static_cast<Kind>(random() % kKindCount);
    event.channel = static_cast<Channel>(random() % kChannelCount);
    event.is_private = random() % 3 == 0;
    event.duration = static_cast<double>(random() % 5000);
    event.effort_override =
        random() % 7 == 0 ? 0.25 * static_cast<double>(random() % 9) : std::nan("");
    event.valence = random() % 11 == 0 ? -1.0 : 1.0;
    const size_t targets = 1 + random() % 3;
    for (size_t t = 0; t < targets; ++t) {
      // Mostly a near neighbour, so that pairs repeat; wrapping around makes some targets
      // smaller than their actor.
      event.targets.push_back(
          random() % 5 == 0 ? person()
                            : static_cast<PersonIndex>((event.actor + random() % 6) % people));
    }
  }
  return events;
}

EventContacts ContactsOf(const TestEvent& event) {
  return {event.time,     event.actor,           event.kind,    event.channel, event.is_private,
          event.duration, event.effort_override, event.valence, event.targets};
}

PairTable SerialAggregate(const std::vector<TestEvent>& events, size_t people,
                          const EffortConfig& effort, const Decay& decay) {
  std::map<std::pair<PersonIndex, PersonIndex>, std::vector<ContactFacts>> contacts;
  for (const TestEvent& event : events) {
    if (event.time > kAsOf) continue;
    const double base = EventEffort(effort, event.kind, event.duration, event.effort_override,
                                    !std::isnan(event.effort_override), event.valence);
    for (PersonIndex target : event.targets) {
      if (target == event.actor) continue;
      const PersonIndex u = std::min(event.actor, target), v = std::max(event.actor, target);
      ContactFacts facts;
      facts.time = event.time;
      facts.per_target = base / std::sqrt(static_cast<double>(event.targets.size()));
      facts.duration = event.duration;
      facts.kind = event.kind;
      facts.channel = event.channel;
      facts.from_u = event.actor == u;
      facts.negative = event.valence < 0;
      facts.is_private = event.is_private;
      contacts[{u, v}].push_back(facts);
    }
  }
  PairTable table;
  table.person_count = people;
  const PairFolder::Rates rates(decay, kAsOf);
  for (auto& [pair, list] : contacts) {
    std::stable_sort(list.begin(), list.end(),
                     [](const ContactFacts& a, const ContactFacts& b) { return a.time < b.time; });
    PairFolder folder(rates, pair.first, pair.second);
    for (const ContactFacts& facts : list) folder.Add(facts);
    table.pairs.push_back(folder.Finish());
  }
  return table;
}

// Every field of every record equal, except that the decayed sums may differ by a relative
// `decayed_tolerance` (0: equal too).
void ExpectRecords(const PairTable& expected, const PairTable& actual,
                   double decayed_tolerance = 0) {
  ASSERT_EQ(expected.person_count, actual.person_count);
  ASSERT_EQ(expected.pairs.size(), actual.pairs.size());
  const auto near = [decayed_tolerance](double a, double b) {
    return a == b || std::abs(a - b) <= decayed_tolerance * std::abs(a);
  };
  for (size_t i = 0; i < expected.pairs.size(); ++i) {
    const PairRecord& a = expected.pairs[i];
    const PairRecord& b = actual.pairs[i];
    ASSERT_EQ(a.u, b.u) << i;
    ASSERT_EQ(a.v, b.v) << i;
    for (int d = 0; d < 2; ++d) {
      ASSERT_TRUE(near(a.effort[d], b.effort[d])) << i << ": " << a.effort[d] << " " << b.effort[d];
      ASSERT_EQ(a.raw_effort[d], b.raw_effort[d]) << i;
      ASSERT_EQ(a.count[d], b.count[d]) << i;
    }
    ASSERT_TRUE(near(a.recent_effort, b.recent_effort))
        << i << ": " << a.recent_effort << " " << b.recent_effort;
    ASSERT_TRUE(near(a.negative_effort, b.negative_effort)) << i;
    ASSERT_TRUE(near(a.private_effort, b.private_effort)) << i;
    ASSERT_TRUE(near(a.favour_effort, b.favour_effort)) << i;
    ASSERT_EQ(a.first, b.first) << i;
    ASSERT_EQ(a.last, b.last) << i;
    ASSERT_EQ(a.channel_mask, b.channel_mask) << i;
    ASSERT_EQ(a.active_days, b.active_days) << i;
    ASSERT_EQ(a.active_weeks, b.active_weeks) << i;
    ASSERT_EQ(a.contact_seconds, b.contact_seconds) << i;
  }
}

// One chunk's census of `events`.
PairAggregator::Census CensusOf(const std::vector<TestEvent>& events, size_t begin, size_t end) {
  PairAggregator::Census census;
  for (size_t e = begin; e < end; ++e) census.Add(events[e].actor, events[e].targets);
  return census;
}

TEST(GraphPairAggregatorTest, ShuffledEventsOverManyPartitionsMatchTheSerialVerifier) {
  const size_t people = 40000;  // 16 bits: 16 partitions
  const std::vector<TestEvent> events = RandomEvents(people, 150000, 5);
  const EffortConfig effort = DefaultConfig().effort;
  const Decay decay{30, 14, 7};
  // The census counts the events after as_of too: their room stays empty and is closed up.
  const PairAggregator::Census census = CensusOf(events, 0, events.size());
  PairAggregator aggregator(people, effort, decay, kAsOf, {&census, 1});
  for (const TestEvent& event : events) aggregator.Add(0, ContactsOf(event));
  const PairTable table = std::move(aggregator).Finish().value();
  const PairTable expected = SerialAggregate(events, people, effort, decay);
  ExpectRecords(expected, table);
  // The comparison covered pairs with many contacts, some of them at equal times.
  size_t busy = 0;
  for (const PairRecord& record : table.pairs) busy += record.count[0] + record.count[1] >= 5;
  EXPECT_GT(busy, 1000u);
  EXPECT_GT(table.pairs.back().u, people / 2);  // the last partitions were filled too
}

TEST(GraphPairAggregatorTest, ChunksFilledInParallelEqualOneChunkOverTheWhole) {
  const size_t people = 20000;
  const std::vector<TestEvent> events = RandomEvents(people, 60000, 13);
  const EffortConfig effort = DefaultConfig().effort;
  const PairAggregator::Census whole_census = CensusOf(events, 0, events.size());
  PairAggregator whole(people, effort, Decay{}, kAsOf, {&whole_census, 1});
  for (const TestEvent& event : events) whole.Add(0, ContactsOf(event));
  // Four consecutive stretches of different lengths, one of them empty, filled by the threads
  // in whatever order they run.
  const std::vector<size_t> cuts = {0, 7000, 7000, 41000, events.size()};
  std::vector<PairAggregator::Census> census;
  for (size_t k = 0; k + 1 < cuts.size(); ++k)
    census.push_back(CensusOf(events, cuts[k], cuts[k + 1]));
  PairAggregator chunked(people, effort, Decay{}, kAsOf, census);
  const auto chunks = static_cast<int64_t>(census.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t k = 0; k < chunks; ++k) {
    for (size_t e = cuts[k]; e < cuts[k + 1]; ++e) chunked.Add(k, ContactsOf(events[e]));
  }
  EXPECT_EQ(chunked.contact_count(), whole.contact_count());
  EXPECT_GT(whole.contact_count(), 80000u);
  ExpectRecords(std::move(whole).Finish().value(), std::move(chunked).Finish().value());
}

// Aggregates the events after resume's anchor (all without one) up to as_of.
PairTable AggregateAfter(const std::vector<TestEvent>& events, size_t people, const Decay& decay,
                         double as_of, IncrementalFold incremental) {
  std::vector<TestEvent> after;
  for (const TestEvent& event : events) {
    if (incremental.resume == nullptr || event.time > incremental.resume->anchor) {
      after.push_back(event);
    }
  }
  const PairAggregator::Census census = CensusOf(after, 0, after.size());
  PairAggregator aggregator(people, DefaultConfig().effort, decay, as_of, {&census, 1});
  for (const TestEvent& event : after) aggregator.Add(0, ContactsOf(event));
  return std::move(aggregator).Finish(incremental).value();
}

TEST(GraphPairAggregatorTest, FoldsResumedFromCheckpointsEqualOneFoldOfEveryEvent) {
  const size_t people = 20000;
  const std::vector<TestEvent> events = RandomEvents(people, 80000, 17);
  const Decay decay{30, 14, 7};
  const double hold = decay.recent_hold_days * 86400;
  // Scored as of day 200 (paused 7 days before), then day 300 from that checkpoint (paused
  // again), then as of kAsOf (day 400) from the second.
  PairCheckpoint first{kStart + 200 * 86400.0 - hold, {}};
  AggregateAfter(events, people, decay, kStart + 200 * 86400.0, {nullptr, &first});
  PairCheckpoint second{kStart + 300 * 86400.0 - hold, {}};
  const PairCheckpointView first_view = ViewOf(first);
  AggregateAfter(events, people, decay, kStart + 300 * 86400.0, {&first_view, &second});
  const PairCheckpointView second_view = ViewOf(second);
  const PairTable resumed = AggregateAfter(events, people, decay, kAsOf, {&second_view, nullptr});
  // The decayed sums carried from an anchor by one factor, not contact by contact: within
  // relative 1e-12.
  ExpectRecords(SerialAggregate(events, people, DefaultConfig().effort, decay), resumed, 1e-12);

  // A checkpoint holds the pairs met by its anchor, no others, and grows.
  EXPECT_GT(first.pairs.size(), 1000u);
  EXPECT_GT(second.pairs.size(), first.pairs.size());
  for (const PairState& state : second.pairs) ASSERT_LE(state.record.first, second.anchor);
  EXPECT_LT(second.pairs.size(), resumed.pairs.size());
  // Pairs whose contacts straddle the second anchor were compared.
  size_t straddling = 0;
  for (const PairRecord& record : resumed.pairs) {
    straddling += record.first <= second.anchor && record.last > second.anchor;
  }
  EXPECT_GT(straddling, 500u);
}

TEST(GraphPairAggregatorTest, OnePersonAndNoPairsGiveAnEmptyTable) {
  const std::vector<PersonIndex> self = {0};
  PairAggregator::Census census;
  census.Add(0, self);
  PairAggregator aggregator(1, DefaultConfig().effort, Decay{}, kAsOf, {&census, 1});
  aggregator.Add(0, {kStart, 0, Kind::kMessage, Channel::kEmail, false, 0, std::nan(""), 1, self});
  EXPECT_EQ(aggregator.contact_count(), 0u);
  const PairTable table = std::move(aggregator).Finish().value();
  EXPECT_TRUE(table.pairs.empty());
  EXPECT_EQ(table.person_count, 1u);
}

// Chunks of `events` cut at `cuts`, filled in parallel, spilling to a file in `directory` what
// does not fit in `keep_in_memory_bytes`. Chunks of odd number are ended as they finish, the
// others by Finish. *spilled: the room for contacts in the file.
Result<PairTable> AggregateSpilled(const std::vector<TestEvent>& events,
                                   const std::vector<size_t>& cuts, size_t people,
                                   const std::string& directory, uint64_t keep_in_memory_bytes = 0,
                                   uint64_t* spilled = nullptr) {
  std::vector<PairAggregator::Census> census;
  for (size_t k = 0; k + 1 < cuts.size(); ++k) {
    census.push_back(CensusOf(events, cuts[k], cuts[k + 1]));
  }
  RAPPORT_ASSIGN_OR_RETURN(PairAggregator::ContactSpill spill,
                           PairAggregator::ContactSpill::Create(directory, keep_in_memory_bytes));
  PairAggregator aggregator(people, DefaultConfig().effort, Decay{}, kAsOf, census,
                            std::move(spill));
  EXPECT_TRUE(aggregator.spilling());
  if (spilled != nullptr) *spilled = aggregator.spill_capacity();
  const auto chunks = static_cast<int64_t>(census.size());
  std::vector<Status> ended(census.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t k = 0; k < chunks; ++k) {
    for (size_t e = cuts[k]; e < cuts[k + 1]; ++e) aggregator.Add(k, ContactsOf(events[e]));
    if (k % 2 == 1) ended[k] = aggregator.EndChunk(k);
  }
  for (const Status& status : ended) RAPPORT_RETURN_IF_ERROR(status);
  return std::move(aggregator).Finish();
}

TEST(GraphPairAggregatorTest, ContactsSpilledToAFileGiveTheRecordsOfContactsInMemory) {
  // 15 bits of people: 8 partitions; about 5,000 contacts a chunk's slice of a partition, so
  // that each slice is written as two full buffers and a part of one.
  const size_t people = 20000;
  const std::vector<TestEvent> events = RandomEvents(people, 150000, 23);
  const std::vector<size_t> cuts = {0, 40000, 40000, 110000, events.size()};
  const PairAggregator::Census whole_census = CensusOf(events, 0, events.size());
  PairAggregator whole(people, DefaultConfig().effort, Decay{}, kAsOf, {&whole_census, 1});
  for (const TestEvent& event : events) whole.Add(0, ContactsOf(event));
  EXPECT_FALSE(whole.spilling());
  const uint64_t contacts = whole.contact_count();
  const PairTable expected = std::move(whole).Finish().value();
  EXPECT_GT(expected.pairs.size(), 50000u);
  EXPECT_GT(expected.pairs.back().u, people * 7 / 8);  // the last partition was filled too
  // Every partition in the file, then the first ones in memory and the rest in the file.
  // (Low indices act more: the first partitions are the large ones.)
  for (const uint64_t keep_in_memory_bytes : {uint64_t{0}, contacts * 32 * 9 / 10}) {
    uint64_t spilled_room = 0;
    Result<PairTable> spilled = AggregateSpilled(events, cuts, people, testing::TempDir(),
                                                 keep_in_memory_bytes, &spilled_room);
    ASSERT_TRUE(spilled.ok()) << spilled.status().message();
    ExpectRecords(expected, *spilled);
    if (keep_in_memory_bytes == 0) {
      EXPECT_GE(spilled_room, contacts);  // the census counts the events after as_of too
    } else {
      EXPECT_GT(spilled_room, 0u);
      EXPECT_LT(spilled_room, contacts / 2);
    }
  }
}

TEST(GraphPairAggregatorTest, ASpillDirectoryThatCannotBeWrittenIsAnErrorThatNamesIt) {
  const Result<PairAggregator::ContactSpill> spill =
      PairAggregator::ContactSpill::Create(testing::TempDir() + "/no-such-directory");
  ASSERT_FALSE(spill.ok());
  EXPECT_EQ(spill.status().code(), StatusCode::kIo);
  EXPECT_NE(spill.status().message().find("cannot create a file for the contacts in"),
            std::string::npos);
  EXPECT_NE(spill.status().message().find("no-such-directory"), std::string::npos);
}

TEST(GraphPairAggregatorTest, AFullDiskWhileSpillingIsAnErrorNotALoss) {
  // A file size limit of 64 KiB stands in for a full disk: writes beyond it fail with EFBIG.
  rlimit before{};
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &before), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = before;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::vector<TestEvent> events = RandomEvents(20000, 60000, 29);
  const Result<PairTable> spilled =
      AggregateSpilled(events, {0, 30000, events.size()}, 20000, testing::TempDir());
  setrlimit(RLIMIT_FSIZE, &before);
  std::signal(SIGXFSZ, old_handler);
  ASSERT_FALSE(spilled.ok());
  EXPECT_EQ(spilled.status().code(), StatusCode::kIo);
  EXPECT_NE(spilled.status().message().find("cannot write the contacts"), std::string::npos)
      << spilled.status().message();
}

TEST(GraphPairAggregatorDeathTest, AChunkBeyondItsCensusStopsRatherThanOverwrite) {
  const std::vector<PersonIndex> one = {1};
  const PairAggregator::Census empty;
  EXPECT_DEATH(
      {
        PairAggregator aggregator(2, DefaultConfig().effort, Decay{}, kAsOf, {&empty, 1});
        aggregator.Add(0, {kStart, 0, Kind::kMessage, Channel::kEmail, false, 0, 0, 1, one});
      },
      "more contacts than its census");
}

}  // namespace
}  // namespace rapport::graph
