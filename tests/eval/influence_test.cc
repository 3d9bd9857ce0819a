// Tests of protocol 3 (influence.h): PageRank against a hand-computed example, in-degree counting
// distinct people, the loaders against counts taken independently from the files, and the three
// comparisons on the real data sets (when ../shared/data is there) with checks that could fail.
#include "rapport/eval/influence.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <set>
#include <sstream>
#include <string>

#include "rapport/core/time.h"
#include "rapport/score/scorer.h"
#include "scratch_dir.h"

namespace rapport::eval {
namespace {

constexpr double kStart = 1'600'000'000;
constexpr double kDay = kSecondsPerDay;

Event Message(double time, const std::string& actor, std::vector<std::string> targets,
              Kind kind = Kind::kMessage, double valence = 1.0) {
  Event event;
  event.time = time;
  event.channel = Channel::kChat;
  event.kind = kind;
  event.actor = actor;
  event.targets = std::move(targets);
  event.is_private = true;
  event.valence = valence;
  return event;
}

PersonIndex IndexOf(const EventLog& log, const std::string& name) {
  auto it = std::find(log.person_name.begin(), log.person_name.end(), name);
  EXPECT_NE(it, log.person_name.end()) << name;
  return static_cast<PersonIndex>(it - log.person_name.begin());
}

TEST(PageRankTest, HandComputedThreeNodes) {
  // 0 -> 1, 0 -> 2, 1 -> 2; 2 is dangling. With d = 0.85 and a = 0.05 = (1 - d) / 3:
  //   r0 = a + d r2 / 3,  r1 = a + d (r2 / 3 + r0 / 2),  r2 = a + d (r2 / 3 + r0 / 2 + r1),
  // whose solution is (800, 1140, 2109) / 4049.
  const std::vector<double> rank = PageRank(3, {{0, 1}, {0, 2}, {1, 2}});
  ASSERT_EQ(rank.size(), 3u);
  EXPECT_NEAR(rank[0], 800.0 / 4049, 1e-10);
  EXPECT_NEAR(rank[1], 1140.0 / 4049, 1e-10);
  EXPECT_NEAR(rank[2], 2109.0 / 4049, 1e-10);
}

TEST(PageRankTest, CycleIsUniformAndIsolatedPeopleGetTheFloor) {
  // A 3-cycle and two people without any arc (dangling, spread evenly).
  const std::vector<double> rank = PageRank(5, {{0, 1}, {1, 2}, {2, 0}});
  EXPECT_NEAR(std::accumulate(rank.begin(), rank.end(), 0.0), 1.0, 1e-12);
  EXPECT_NEAR(rank[0], rank[1], 1e-12);
  EXPECT_NEAR(rank[1], rank[2], 1e-12);
  EXPECT_NEAR(rank[3], rank[4], 1e-12);
  EXPECT_GT(rank[0], rank[3]);
  // The isolated ones receive only the jump and the dangling share: r = (1 - d + d D) / 5.
  const double dangling = rank[3] + rank[4];
  EXPECT_NEAR(rank[3], (0.15 + 0.85 * dangling) / 5, 1e-10);
}

TEST(InDegreeTest, CountsDistinctPeopleAtOrBeforeAsOf) {
  const std::vector<Event> events = {
      Message(kStart, "ann", {"bob"}),
      Message(kStart + kDay, "ann", {"bob"}),
      Message(kStart + 2 * kDay, "ann", {"bob"}),
      Message(kStart + 3 * kDay, "cat", {"bob"}),
      Message(kStart + 4 * kDay, "bob", {"ann"}),
      Message(kStart + 5 * kDay, "dan", {"bob", "ann"}),
      Message(kStart + 9 * kDay, "eve", {"bob"}),  // after as_of
  };
  const EventLog log = EventLogFromEvents(events);
  const Arcs arcs = InteractionArcs(log, kStart + 5 * kDay);
  EXPECT_EQ(arcs.size(), 5u);  // ann->bob, cat->bob, bob->ann, dan->bob, dan->ann
  EXPECT_TRUE(std::is_sorted(arcs.begin(), arcs.end()));
  const std::vector<double> in_degree = InDegree(log.person_count(), arcs);
  EXPECT_EQ(in_degree[IndexOf(log, "bob")], 3);  // ann (three times), cat, dan
  EXPECT_EQ(in_degree[IndexOf(log, "ann")], 2);  // bob, dan
  EXPECT_EQ(in_degree[IndexOf(log, "cat")], 0);
  EXPECT_EQ(in_degree[IndexOf(log, "eve")], 0);
}

TEST(ScorePeopleTest, ColumnsAreParallelToTheScoredPeople) {
  const std::vector<Event> events = {
      Message(kStart, "ann", {"bob"}), Message(kStart + kDay, "bob", {"ann"}),
      Message(kStart + 2 * kDay, "cat", {"ann"}), Message(kStart + 30 * kDay, "dan", {"ann"})};
  const EventLog log = EventLogFromEvents(events);
  const PeopleScores people = ScorePeople(log, DefaultConfig(), kStart + 10 * kDay);
  ASSERT_EQ(people.person.size(), 3u);  // dan comes later
  ASSERT_EQ(people.columns.size(), 4u);
  EXPECT_EQ(people.columns[0].name, kRapportScoreName);
  EXPECT_EQ(people.columns[3].name, kPageRankName);
  for (const ScoreColumn& column : people.columns) EXPECT_EQ(column.value.size(), 3u);
  EXPECT_TRUE(std::is_sorted(people.person.begin(), people.person.end()));
  const size_t ann = static_cast<size_t>(
      std::find(people.person.begin(), people.person.end(), IndexOf(log, "ann")) -
      people.person.begin());
  EXPECT_EQ(people.columns[2].value[ann], 2);  // bob and cat; dan is after as_of
}

TEST(KarateTest, LoaderMatchesTheFile) {
  const std::string path =
      std::string(RAPPORT_SHARED_DATA) + "/networkx-classic/karate_edges_weighted.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is not there";
  // Count independently: edges, the sum of weights, the nodes.
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  int edges = 0, weight_sum = 0;
  std::set<std::string> nodes;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream fields(line);
    std::string u, v, weight;
    std::getline(fields, u, ',');
    std::getline(fields, v, ',');
    std::getline(fields, weight, ',');
    ++edges;
    weight_sum += std::stoi(weight);
    nodes.insert(u);
    nodes.insert(v);
  }
  ASSERT_EQ(edges, 78);
  ASSERT_EQ(nodes.size(), 34u);

  Result<EventLog> log = LoadKarateLog(path);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->person_count(), nodes.size());
  EXPECT_EQ(log->event_count(), static_cast<size_t>(2 * weight_sum));
  EXPECT_EQ(log->time.back(), kKarateLastMeeting);
  const score::ScoreRun run = score::ScoreEvents(*log, DefaultConfig(), kKarateLastMeeting);
  ASSERT_EQ(run.pairs.pairs.size(), static_cast<size_t>(edges));
  for (const graph::PairRecord& record : run.pairs.pairs) {
    EXPECT_EQ(record.last, kKarateLastMeeting);   // every pair is current
    EXPECT_EQ(record.count[0], record.count[1]);  // mutual meetings
  }
  // Undirected, so in-degree is the degree: node 33 has 17 neighbours, node 0 has 16.
  const std::vector<double> in_degree =
      InDegree(log->person_count(), InteractionArcs(*log, kKarateLastMeeting));
  EXPECT_EQ(in_degree[IndexOf(*log, "33")], 17);
  EXPECT_EQ(in_degree[IndexOf(*log, "0")], 16);
}

TEST(KarateTest, WeightSetsTheNumberOfMonthlyMeetings) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Write("karate_small.csv", "u,v,weight\n0,1,3\n1,2,1\n");
  Result<EventLog> log = LoadKarateLog(path);
  ASSERT_TRUE(log.ok()) << log.status().message();
  EXPECT_EQ(log->event_count(), 8u);
  const score::ScoreRun run = score::ScoreEvents(*log, DefaultConfig(), kKarateLastMeeting);
  ASSERT_EQ(run.pairs.pairs.size(), 2u);
  const graph::PairRecord& heavy = run.pairs.pairs[0];  // 0-1
  EXPECT_EQ(heavy.count[0], 3u);
  EXPECT_DOUBLE_EQ(heavy.last - heavy.first, 2 * kKarateMeetingDays * kDay);
  EXPECT_DOUBLE_EQ(heavy.contact_seconds, 6 * kKarateMeetingSeconds);
}

TEST(KarateTest, BadLineIsNamed) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Write("karate_bad.csv", "u,v,weight\n0,1,3\n1,2,x\n");
  Result<EventLog> log = LoadKarateLog(path);
  ASSERT_FALSE(log.ok());
  EXPECT_EQ(log.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(log.status().message().find("line 3"), std::string::npos) << log.status().message();
}

TEST(LeadersTest, UnknownLeaderIsAnError) {
  const EventLog log = EventLogFromEvents({Message(kStart, "ann", {"bob"})});
  Result<LeaderTable> table = RunLeaders(log, DefaultConfig(), "tiny", {"ann", "zed"});
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), StatusCode::kNotFound);
  EXPECT_NE(table.status().message().find("zed"), std::string::npos);
}

TEST(FutureTrustTest, NetTrustSumsRatingsReceivedInTheSpan) {
  const std::vector<Event> events = {
      Message(kStart, "ann", {"bob"}, Kind::kRating, 0.5),
      Message(kStart + 10 * kDay, "cat", {"bob"}, Kind::kRating, -0.3),
      Message(kStart + 11 * kDay, "ann", {"bob"}, Kind::kRating, 1.0),
      Message(kStart + 12 * kDay, "bob", {"ann"}),  // a message, not a rating
  };
  const EventLog log = EventLogFromEvents(events);
  const TrustReceived after = NetTrustReceived(log, kStart + kDay, kStart + 100 * kDay);
  EXPECT_NEAR(after.net[IndexOf(log, "bob")], -3 + 10, 1e-12);
  EXPECT_EQ(after.ratings[IndexOf(log, "bob")], 2u);
  EXPECT_EQ(after.ratings[IndexOf(log, "ann")], 0u);
  const TrustReceived before = NetTrustReceived(log, -1, kStart);
  EXPECT_NEAR(before.net[IndexOf(log, "bob")], 5, 1e-12);
}

TEST(StaticEdgeLogTest, SkipsAndCountsSelfLoops) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Write("static_edges.txt", "0 1\n1 1\n1 0\n2 0\n0 1\n");
  Result<StaticEdgeLog> edges = LoadStaticEdgeLog(path);
  ASSERT_TRUE(edges.ok()) << edges.status().message();
  EXPECT_EQ(edges->arcs, 4);
  EXPECT_EQ(edges->self_loops, 1);
  EXPECT_EQ(edges->log.event_count(), 4u);
  EXPECT_EQ(edges->log.person_count(), 3u);
  EXPECT_EQ(edges->log.kind.front(), Kind::kEmail);

  const std::string bad = scratch.Write("static_edges_bad.txt", "0 1\n2\n");
  Result<StaticEdgeLog> failed = LoadStaticEdgeLog(bad);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("line 2"), std::string::npos);
}

TEST(DepartmentsTest, AHubIsSingledOutByInDegree) {
  // Department 1: ten people who all write to h1 and get an answer; department 2: ten people in
  // a ring. In-degree concentrates department 1 on h1.
  std::vector<Event> events;
  DepartmentLabels labels;
  for (int i = 0; i < 10; ++i) {
    const std::string member = fmt::format("a{}", i), ring = fmt::format("b{}", i);
    const std::string next = fmt::format("b{}", (i + 1) % 10);
    events.push_back(Message(kStart + i * 3600, member, {"h1"}));
    events.push_back(Message(kStart + i * 3600 + 60, "h1", {member}));
    events.push_back(Message(kStart + i * 3600, ring, {next}));
    labels.emplace_back(member, 1);
    labels.emplace_back(ring, 2);
  }
  labels.emplace_back("h1", 1);
  const EventLog log = EventLogFromEvents(events);
  Result<DepartmentTable> table = RunDepartments(log, DefaultConfig(), "synthetic", labels);
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_EQ(table->people, 21u);
  EXPECT_EQ(table->departments, 2u);
  EXPECT_EQ(table->measured_departments, 2u);
  ASSERT_EQ(table->rows.size(), 4u);
  for (const DepartmentRow& row : table->rows) {
    EXPECT_GE(row.mean_top_share, 0.1 - 1e-12) << row.score;
    EXPECT_LE(row.mean_top_share, 1.0) << row.score;
  }
  EXPECT_GT(table->rows[2].mean_top_share, 0.15);  // in-degree: h1 holds far more than 10%
  EXPECT_EQ(table->rho.size(), 4u);
  EXPECT_EQ(table->rho[1][2], table->rho[2][1]);
  EXPECT_NE(MarkdownTable(*table).find("| in-degree |"), std::string::npos);

  Result<DepartmentTable> unlabelled = RunDepartments(log, DefaultConfig(), "synthetic", {});
  ASSERT_FALSE(unlabelled.ok());
  EXPECT_EQ(unlabelled.status().code(), StatusCode::kNotFound);
}

TEST(InfluenceProtocolTest, RealData) {
  const std::string data = RAPPORT_SHARED_DATA;
  if (!std::filesystem::exists(data + "/email-eu-core/email-Eu-core.txt")) {
    GTEST_SKIP() << data << " is not there";
  }
  Result<InfluenceReport> report = RunInfluence(data, DefaultConfig());
  ASSERT_TRUE(report.ok()) << report.status().message();

  const LeaderTable& karate = report->karate;
  EXPECT_EQ(karate.people, 34u);
  ASSERT_EQ(karate.rows.size(), 4u);
  for (const LeaderRow& row : karate.rows) {
    ASSERT_EQ(row.rank.size(), 2u);
    EXPECT_GE(row.rank[0], 1);
    EXPECT_LE(row.rank[0], 34);
  }
  // Degree (17 and 16) puts both leaders at the top by construction of the club.
  EXPECT_EQ(karate.rows[2].rank, (std::vector<int>{2, 1}));
  EXPECT_TRUE(karate.rows[2].all_in_top2);

  const FutureTrustTable& bitcoin = report->bitcoin;
  EXPECT_GT(bitcoin.people, 1000u);
  EXPECT_GT(bitcoin.rated_after, 100u);
  EXPECT_LT(bitcoin.rated_after, bitcoin.people);
  ASSERT_EQ(bitcoin.rows.size(), 5u);
  for (const CorrelationRow& row : bitcoin.rows) {
    EXPECT_GE(row.rho_all, -1.0) << row.score;
    EXPECT_LE(row.rho_all, 1.0) << row.score;
    EXPECT_FALSE(std::isnan(row.rho_rated)) << row.score;
  }

  const DepartmentTable& email = report->email;
  EXPECT_EQ(report->email_self_loops, 642);  // counted with awk '$1 == $2'
  EXPECT_EQ(email.people, 986u);             // the nodes of the non-self-loop arcs
  EXPECT_EQ(email.unlabelled, 0u);
  ASSERT_EQ(email.rows.size(), 4u);
  EXPECT_GT(email.measured_departments, 20u);

  std::cout << "## karate\n\n"
            << MarkdownTable(karate) << "\nReading: " << Reading(karate) << "\n\n## bitcoin\n\n"
            << MarkdownTable(bitcoin) << "\nReading: " << Reading(bitcoin) << "\n\n## email\n\n"
            << MarkdownTable(email) << "\nReading: " << Reading(email) << "\n\nseconds "
            << report->seconds << "\n";
}

}  // namespace
}  // namespace rapport::eval
