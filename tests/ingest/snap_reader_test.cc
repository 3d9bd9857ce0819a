// Tests of the SNAP edge-list reader, including the real CollegeMsg and bitcoin-otc files.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "ingest_test_util.h"
#include "rapport/ingest/reader.h"

namespace rapport::ingest {
namespace {

using testing::Collected;
using testing::ReadText;

ReadOptions UndatedAt(double time) {
  ReadOptions options;
  options.undated_time = time;
  return options;
}

ReadOptions AsTwitterReplies() {
  ReadOptions options;
  options.channel = Channel::kTwitter;
  options.kind = Kind::kReply;
  return options;
}

Collected Snap(std::string_view text, ReadOptions options = {}) {
  return ReadText(text, Format::kSnap, "graph.txt", options);
}

TEST(IngestSnapTest, ReadsTwoThreeAndFourColumns) {
  Collected out = Snap(
      "# Directed graph\n% comment\n\n1 2\n3\t4\t1082040961\n6,2,4,1289241911.72836\n7,8,-10,5\n",
      UndatedAt(1000));
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.events.size(), 4u);
  EXPECT_EQ(out.counts.records, 4);
  EXPECT_EQ(out.events[0].actor, "1");
  EXPECT_EQ(out.events[0].targets, (std::vector<std::string>{"2"}));
  EXPECT_EQ(out.events[0].time, 1000);
  EXPECT_EQ(out.events[0].kind, Kind::kMessage);
  EXPECT_EQ(out.events[0].channel, Channel::kOther);
  EXPECT_TRUE(out.events[0].is_private);
  EXPECT_EQ(out.events[1].time, 1082040961);
  EXPECT_EQ(out.events[2].kind, Kind::kRating);
  EXPECT_EQ(out.events[2].channel, Channel::kTrade);
  EXPECT_DOUBLE_EQ(out.events[2].valence, 0.4);
  EXPECT_DOUBLE_EQ(out.events[2].time, 1289241911.72836);
  EXPECT_EQ(out.events[3].valence, -1.0);
  EXPECT_EQ(out.events[0].source, "graph.txt");
}

TEST(IngestSnapTest, ChannelAndKindCanBeOverridden) {
  Collected out = Snap("1 2 5\n", AsTwitterReplies());
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].channel, Channel::kTwitter);
  EXPECT_EQ(out.events[0].kind, Kind::kReply);
  EXPECT_FALSE(out.events[0].is_private);
}

TEST(IngestSnapTest, UndatedEdgesGetTheFileTimeByDefault) {
  testing::ScratchDir dir;
  Collected out =
      testing::ReadPath(dir.Write("edges.txt", "1 2\n"), testing::WithFormat(Format::kSnap));
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_GT(out.events[0].time, 1.6e9);
}

TEST(IngestSnapTest, RejectsWithExactReasons) {
  Collected out = Snap("1,2,11,5\n1,2,x,5\n3 3 5\n1 2 3 4 5\n1 2 soon\n1,,2\n9 8\n4");
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.rejects.size(), 7u);
  EXPECT_EQ(out.rejects[0].reason, "bad rating \"11\": it must be a number between -10 and 10");
  EXPECT_EQ(out.rejects[1].reason, "bad rating \"x\": it must be a number between -10 and 10");
  EXPECT_EQ(out.rejects[2].reason, "actor is also a target");
  EXPECT_EQ(out.rejects[3].reason,
            "expected 2 to 4 columns (src dst, src dst time or src,dst,rating,time), found 5");
  EXPECT_EQ(out.rejects[4].reason, "unparsable time \"soon\" (expected YYYY-MM-DD)");
  EXPECT_EQ(out.rejects[5].reason, "empty column 2");
  EXPECT_EQ(out.rejects[6].reason,
            "expected 2 to 4 columns (src dst, src dst time or src,dst,rating,time), found 1; "
            "the file ends without a newline, so the last line looks truncated");
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(out.rejects[i].line, static_cast<int64_t>(i) + 1);
  EXPECT_EQ(out.rejects[6].line, 8);
  EXPECT_EQ(out.counts.emitted, 1);
  EXPECT_EQ(out.counts.records, 8);
}

std::set<std::pair<std::string, std::string>> Keys(const Collected& out) {
  std::set<std::pair<std::string, std::string>> keys;
  for (const Event& event : out.events) keys.emplace(event.source, event.native_id);
  return keys;
}

TEST(IngestSnapTest, CollegeMsgEmitsEveryLineWithDistinctStableKeys) {
  const std::string path = RAPPORT_SHARED_DATA "/collegemsg/CollegeMsg.txt";
  Result<Format> format = DetectFormat(path);
  ASSERT_TRUE(format.ok()) << format.status().ToString();
  EXPECT_EQ(*format, Format::kSnap);
  Collected first = testing::ReadPath(path);
  ASSERT_TRUE(first.status.ok()) << first.status.ToString();
  EXPECT_EQ(first.counts.records, 59835);
  EXPECT_EQ(first.counts.emitted, 59835);
  EXPECT_EQ(first.counts.rejected, 0);
  std::set<std::pair<std::string, std::string>> keys = Keys(first);
  EXPECT_EQ(keys.size(), 59835u);
  EXPECT_EQ(keys.begin()->first, "CollegeMsg.txt");
  Collected second = testing::ReadPath(path);
  EXPECT_EQ(Keys(second), keys);
  EXPECT_EQ(first.events.front().kind, Kind::kMessage);
  EXPECT_EQ(first.events.front().time, 1082040961);
}

TEST(IngestSnapTest, BitcoinOtcEmitsSignedRatings) {
  const std::string path = RAPPORT_SHARED_DATA "/bitcoin-otc/soc-sign-bitcoinotc.csv";
  Result<Format> format = DetectFormat(path);
  ASSERT_TRUE(format.ok()) << format.status().ToString();
  EXPECT_EQ(*format, Format::kSnap);
  Collected out = testing::ReadPath(path);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.counts.emitted, 35592);
  EXPECT_EQ(out.counts.rejected, 0);
  int negative = 0;
  for (const Event& event : out.events) {
    EXPECT_EQ(event.kind, Kind::kRating);
    EXPECT_EQ(event.channel, Channel::kTrade);
    if (event.valence < 0) ++negative;
  }
  EXPECT_EQ(negative, 3563);
  EXPECT_EQ(Keys(out).size(), 35592u);
}

}  // namespace
}  // namespace rapport::ingest
