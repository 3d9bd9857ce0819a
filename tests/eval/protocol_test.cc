// Tests of the evaluation protocols: the time split leaks nothing from after the cut, labels come
// from after the cut only, and protocol 2 produces a well-formed table on a generated log and on
// CollegeMsg (when ../shared/data is there). No measured AUC is hard-coded: the checks are
// structure, AUCs within [0, 1], and rapport's tie strength above chance.
#include "rapport/eval/protocol.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <string>

#include "rapport/core/time.h"
#include "rapport/eval/metrics.h"
#include "scratch_dir.h"

namespace rapport::eval {
namespace {

constexpr double kStart = 1'600'000'000;
constexpr double kDay = kSecondsPerDay;

Event Message(double time, const std::string& actor, const std::string& target,
              Kind kind = Kind::kMessage, double valence = 1.0) {
  Event event;
  event.time = time;
  event.channel = Channel::kChat;
  event.kind = kind;
  event.actor = actor;
  event.targets = {target};
  event.is_private = true;
  event.valence = valence;
  return event;
}

// Pairs before the cut (day 50): ann-bob, ann-cat, bob-dan. After it: ann-bob again, eve-fay.
std::vector<Event> SplitEvents() {
  return {Message(kStart + 1 * kDay, "ann", "bob"),  Message(kStart + 2 * kDay, "bob", "ann"),
          Message(kStart + 10 * kDay, "ann", "cat"), Message(kStart + 20 * kDay, "bob", "dan"),
          Message(kStart + 60 * kDay, "ann", "bob"), Message(kStart + 70 * kDay, "eve", "fay")};
}

TEST(TimeSplitTest, LabelsComeFromAfterTheCut) {
  const EventLog log = EventLogFromEvents(SplitEvents());
  const TimeSplit split = SplitAt(log, DefaultConfig(), kStart + 50 * kDay, LabelRule::kAnyContact);
  ASSERT_EQ(split.features.pairs.pairs.size(), 3u);  // eve-fay exists only after the cut
  for (size_t i = 0; i < split.labels.size(); ++i) {
    const graph::PairRecord& record = split.features.pairs.pairs[i];
    const std::string u = log.person_name[record.u], v = log.person_name[record.v];
    const bool ann_bob = (u == "ann" && v == "bob") || (u == "bob" && v == "ann");
    EXPECT_EQ(split.labels[i], ann_bob ? 1 : 0) << u << "-" << v;
  }
}

TEST(TimeSplitTest, ChangingEventsAfterTheCutLeavesFeaturesUnchanged) {
  const double cut = kStart + 50 * kDay;
  std::vector<Event> changed = SplitEvents();
  changed.erase(changed.begin() + 4);  // drop the later ann-bob message
  changed.push_back(Message(kStart + 55 * kDay, "ann", "cat", Kind::kCall));
  changed.push_back(Message(kStart + 80 * kDay, "dan", "bob", Kind::kFavour));
  changed.push_back(Message(kStart + 81 * kDay, "cat", "dan"));
  const TimeSplit original =
      SplitAt(EventLogFromEvents(SplitEvents()), DefaultConfig(), cut, LabelRule::kAnyContact);
  const TimeSplit altered =
      SplitAt(EventLogFromEvents(changed), DefaultConfig(), cut, LabelRule::kAnyContact);

  ASSERT_EQ(original.features.pairs.pairs.size(), altered.features.pairs.pairs.size());
  const std::vector<ScoreColumn> before = CandidateScores(original.features);
  const std::vector<ScoreColumn> after = CandidateScores(altered.features);
  ASSERT_EQ(before.size(), after.size());
  for (size_t c = 0; c < before.size(); ++c) {
    EXPECT_EQ(before[c].name, after[c].name);
    EXPECT_EQ(before[c].value, after[c].value) << before[c].name;
  }
  EXPECT_EQ(original.features.ties.features, altered.features.ties.features);
  // The labels did change: the later events are what they are made of.
  EXPECT_NE(original.labels, altered.labels);
}

TEST(TimeSplitTest, PositiveRatingRuleIgnoresDistrust) {
  std::vector<Event> events = {Message(kStart, "ann", "bob", Kind::kRating, 0.5),
                               Message(kStart + kDay, "cat", "dan", Kind::kRating, 0.5),
                               Message(kStart + 30 * kDay, "bob", "ann", Kind::kRating, -0.8),
                               Message(kStart + 31 * kDay, "dan", "cat", Kind::kRating, 0.3)};
  const EventLog log = EventLogFromEvents(events);
  const TimeSplit split =
      SplitAt(log, DefaultConfig(), kStart + 10 * kDay, LabelRule::kPositiveRating);
  ASSERT_EQ(split.labels.size(), 2u);
  for (size_t i = 0; i < split.labels.size(); ++i) {
    const bool ann_bob = log.person_name[split.features.pairs.pairs[i].u] == "ann";
    EXPECT_EQ(split.labels[i], ann_bob ? 0 : 1);
  }
}

TEST(CommonNeighboursTest, CountsSharedContacts) {
  // ann-bob share cat and dan; ann-cat share bob; cat-dan share bob.
  const std::vector<Event> events = {Message(kStart, "ann", "bob"), Message(kStart, "ann", "cat"),
                                     Message(kStart, "ann", "dan"), Message(kStart, "bob", "cat"),
                                     Message(kStart, "bob", "dan")};
  const EventLog log = EventLogFromEvents(events);
  const score::ScoreRun run = score::ScoreEvents(log, DefaultConfig(), kStart);
  const std::vector<double> common = CommonNeighbours(run.pairs);
  for (size_t i = 0; i < run.pairs.pairs.size(); ++i) {
    const std::string u = log.person_name[run.pairs.pairs[i].u];
    const std::string v = log.person_name[run.pairs.pairs[i].v];
    const double expected = (u == "ann" && v == "bob") ? 2 : 1;
    EXPECT_EQ(common[i], expected) << u << "-" << v;
  }
}

// A log where some relationships are kept up (regular, reciprocated messages over the whole
// span) and others were brief (a few one-way messages early on), plus random noise.
std::vector<Event> GeneratedLog() {
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> jitter(0, kDay);
  std::vector<Event> events;
  const double span_days = 180;
  for (int p = 0; p < 40; ++p) {
    const std::string a = "k" + std::to_string(p), b = "k" + std::to_string(p + 100);
    for (double day = 0; day < span_days; day += 4) {
      events.push_back(Message(kStart + day * kDay + jitter(random), a, b));
      if (std::bernoulli_distribution(0.6)(random)) {
        events.push_back(Message(kStart + (day + 1) * kDay + jitter(random), b, a));
      }
    }
  }
  for (int p = 0; p < 60; ++p) {
    const std::string a = "f" + std::to_string(p), b = "f" + std::to_string(p + 100);
    const double start = std::uniform_real_distribution<double>(0, 90)(random);
    for (int m = 0; m < 2; ++m) {
      events.push_back(Message(kStart + (start + m) * kDay + jitter(random), a, b));
    }
    // Some brief contacts happen to resume: labels are not a pure function of the type.
    if (p % 6 == 0) events.push_back(Message(kStart + 170 * kDay + jitter(random), b, a));
  }
  return events;
}

// Rows: the two rapport rows, the combination, eight single features, and in protocol 2 the
// partner's volume.
void ExpectWellFormed(const EvalTable& table, size_t rows) {
  ASSERT_EQ(table.rows.size(), rows);
  EXPECT_EQ(table.rows.front().score, kTieStrengthName);
  EXPECT_EQ(table.rows[1].score, kFittedName);
  EXPECT_EQ(table.rows[2].score, kCombinedName);
  // Both rapport rows are compared with the best single feature, the fitted one also with the
  // combination.
  ASSERT_EQ(table.comparisons.size(), 3u);
  for (const Comparison& c : table.comparisons) EXPECT_LE(c.low, c.high) << c.score;
  for (int i : {0, 1}) {
    EXPECT_NE(table.comparisons[i].baseline, kTieStrengthName);
    EXPECT_FALSE(IsFittedRow(table.comparisons[i].baseline));
  }
  EXPECT_EQ(table.comparisons[2].score, kFittedName);
  EXPECT_EQ(table.comparisons[2].baseline, kCombinedName);
  EXPECT_GT(table.pairs, 0u);
  EXPECT_GT(table.positives, 0u);
  EXPECT_LT(table.positives, table.pairs);
  for (const MetricRow& row : table.rows) {
    EXPECT_GE(row.roc_auc, 0.0) << row.score;
    EXPECT_LE(row.roc_auc, 1.0) << row.score;
    EXPECT_GE(row.average_precision, 0.0) << row.score;
    EXPECT_LE(row.average_precision, 1.0) << row.score;
  }
  EXPECT_GT(table.rows.front().roc_auc, 0.5);

  const std::string markdown = MarkdownTable(table);
  EXPECT_EQ(std::count(markdown.begin(), markdown.end(), '\n'),
            2 + static_cast<std::ptrdiff_t>(rows));
  EXPECT_EQ(markdown.rfind("| score | ROC AUC | AP | pairs | positives |\n", 0), 0u);
  EXPECT_NE(markdown.find(std::string("| ") + kTieStrengthName + " | "), std::string::npos);
  EXPECT_NE(Reading(table).find("ROC AUC"), std::string::npos);
}

TEST(PairedBootstrapTest, IntervalBracketsTheDifferenceAndExcludesZeroForAClearWinner) {
  std::mt19937_64 random(3);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> good, poor;
  std::vector<uint8_t> labels;
  for (int i = 0; i < 2000; ++i) {
    const uint8_t label = i % 4 == 0 ? 1 : 0;
    labels.push_back(label);
    good.push_back(2.0 * label + noise(random));
    poor.push_back(0.3 * label + noise(random));
  }
  const Comparison c = PairedBootstrap("good", good, "poor", poor, labels, 300, 1);
  EXPECT_NEAR(c.difference, RocAuc(good, labels) - RocAuc(poor, labels), 1e-12);
  EXPECT_LE(c.low, c.difference);
  EXPECT_GE(c.high, c.difference);
  EXPECT_GT(c.low, 0.0);
  const Comparison same = PairedBootstrap("a", good, "b", good, labels, 100, 1);
  EXPECT_EQ(same.low, 0.0);
  EXPECT_EQ(same.high, 0.0);
}

TEST(CombinedBaselineTest, CombinesWhatEachColumnCarriesAlone) {
  std::mt19937_64 random(11);
  std::normal_distribution<double> normal;
  const size_t n = 2000;
  std::vector<ScoreColumn> singles{{"a", {}}, {"b", {}}};
  std::vector<uint8_t> labels;
  std::vector<uint32_t> selected;
  for (uint32_t i = 0; i < n; ++i) {
    const double a = normal(random), b = normal(random);
    singles[0].value.push_back(a);
    singles[1].value.push_back(b);
    labels.push_back(a + b + 0.3 * normal(random) > 0 ? 1 : 0);
    selected.push_back(i);
  }
  const std::vector<double> combined = CombinedBaseline(singles, selected, labels);
  ASSERT_EQ(combined.size(), n);
  const double best_single =
      std::max(RocAuc(singles[0].value, labels), RocAuc(singles[1].value, labels));
  EXPECT_GT(RocAuc(combined, labels), best_single + 0.05);
}

TEST(CombinedBaselineTest, NoiseStaysAtChanceBecauseEveryRowIsPredictedOutOfFold) {
  // Twenty columns of noise over 150 rows: a fit that saw its own rows would rank them well.
  std::mt19937_64 random(12);
  std::normal_distribution<double> normal;
  std::vector<ScoreColumn> singles(20);
  std::vector<uint8_t> labels;
  std::vector<uint32_t> selected;
  for (uint32_t i = 0; i < 150; ++i) {
    for (ScoreColumn& column : singles) column.value.push_back(normal(random));
    labels.push_back(i % 3 == 0 ? 1 : 0);
    selected.push_back(i);
  }
  EXPECT_NEAR(RocAuc(CombinedBaseline(singles, selected, labels), labels), 0.5, 0.12);
}

TEST(LastingProtocolTest, GeneratedLog) {
  const EventLog log = EventLogFromEvents(GeneratedLog());
  const EvalTable table =
      RunLasting(log, DefaultConfig(), "generated", LabelRule::kAnyContact, false);
  ExpectWellFormed(table, 12);
  EXPECT_EQ(table.rows.back().score, kPartnerVolumeName);
  EXPECT_EQ(table.pairs, 100u);
}

TEST(LastingProtocolTest, PartnerVolumeIsTheLessActivePersonsVolumeScore) {
  const EventLog log = EventLogFromEvents(GeneratedLog());
  const score::ScoreRun run = score::ScoreEvents(log, DefaultConfig(), log.time.back());
  const std::vector<double> column = LessActivePartnerVolume(run);
  ASSERT_EQ(column.size(), run.pairs.pairs.size());
  std::vector<double> volume(log.person_count(), -1);
  for (const score::PersonScore& person : run.people) volume[person.index] = person.volume_score;
  int unequal = 0;
  for (size_t i = 0; i < column.size(); ++i) {
    const graph::PairRecord& record = run.pairs.pairs[i];
    ASSERT_GE(volume[record.u], 1) << "everyone with a pair is scored";
    EXPECT_EQ(column[i], std::min(volume[record.u], volume[record.v]));
    unequal += volume[record.u] != volume[record.v] ? 1 : 0;
  }
  EXPECT_GT(unequal, 0) << "the two partners' scores differ somewhere, so min is tested";
}

TEST(LastingProtocolTest, OneDirectionOnlySelectsOneWayPairs) {
  const EventLog log = EventLogFromEvents(GeneratedLog());
  const EvalTable all =
      RunLasting(log, DefaultConfig(), "generated", LabelRule::kAnyContact, false);
  const EvalTable one_way =
      RunLasting(log, DefaultConfig(), "generated", LabelRule::kAnyContact, true);
  EXPECT_EQ(one_way.pairs, 60u);  // the brief contacts, written one way only before the cut
  EXPECT_LT(one_way.pairs, all.pairs);
}

TEST(LastingProtocolTest, CollegeMsg) {
  const std::string path = std::string(RAPPORT_SHARED_DATA) + "/collegemsg/CollegeMsg.txt";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not there";
  Result<EventLog> log = LoadSnapLog(path);
  ASSERT_TRUE(log.ok()) << log.status().message();
  ExpectWellFormed(RunLasting(*log, DefaultConfig(), "CollegeMsg", LabelRule::kAnyContact, false),
                   12);
}

TEST(LoadersTest, ContactRecordsBecomeMutualMeetings) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Write("contacts.dat", "100\t1\t2\n120\t1\t2\n120\t2\t3\n");
  Result<EventLog> log = LoadContactLog(path);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->event_count(), 6u);
  const graph::PairTable table =
      graph::AggregatePairs(*log, DefaultConfig().effort, graph::Decay{}, 120);
  ASSERT_EQ(table.pairs.size(), 2u);
  const graph::PairRecord& first = table.pairs[0];  // persons "1" and "2"
  EXPECT_NEAR(first.raw_effort[0] + first.raw_effort[1], 2 * kContactEffort, 1e-12);
  EXPECT_EQ(first.raw_effort[0], first.raw_effort[1]);
  EXPECT_DOUBLE_EQ(first.contact_seconds, 2 * kContactSeconds);
}

TEST(LoadersTest, BadContactLineNamesTheLine) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Write("bad_contacts.dat", "100\t1\t2\nnot a contact\n");
  Result<EventLog> log = LoadContactLog(path);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(log.status().message().find("line 2"), std::string::npos);
}

TEST(LoadersTest, PairListSkipsHeader) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Write("pairs.csv", "i j w\n3 28 2\n3 106 1\n");
  Result<IdentityPairs> pairs = LoadIdentityPairs(path);
  ASSERT_TRUE(pairs.ok()) << pairs.status().message();
  EXPECT_EQ(*pairs, (IdentityPairs{{"3", "28"}, {"3", "106"}}));
}

}  // namespace
}  // namespace rapport::eval
