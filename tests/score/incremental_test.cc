// The score checkpoint: its bytes round-trip every field and are read in place, and damaged
// bytes (cut anywhere, pairs out of order, a pair or window event naming no person, another
// header, misaligned) are refused with DataLoss, never trusted. AggregateEvents from a checkpoint
// marks who is active as aggregating everything does.
#include "rapport/score/incremental.h"

#include <gtest/gtest.h>

#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "rapport/core/time.h"
#include "rapport/scenario/demo.h"

namespace rapport::score {
namespace {

ScoreCheckpoint SmallCheckpoint() {
  ScoreCheckpoint checkpoint;
  checkpoint.pairs.anchor = 1.7e9 + 0.25;
  checkpoint.person_id = {11, 12, 15, 20};
  checkpoint.active = {1, 0, 1, 1};
  for (const auto& [u, v] : {std::pair{0u, 2u}, {0u, 3u}, {2u, 3u}}) {
    graph::PairState state;
    graph::PairRecord& r = state.record;
    r.u = u;
    r.v = v;
    r.effort[0] = 1.5 * u + 0.1;
    r.effort[1] = 2.25 + v;
    r.raw_effort[0] = 3.0 + u;
    r.raw_effort[1] = 4.0 + v;
    r.negative_effort = 0.125;
    r.private_effort = 0.5 * v;
    r.favour_effort = 6.0;
    r.count[0] = 7 + u;
    r.count[1] = 8 + v;
    r.first = 1.6e9 + u;
    r.last = 1.69e9 + v;
    r.channel_mask = 0x15;
    r.active_days = 9;
    r.active_weeks = 4;
    r.contact_seconds = 3600.5;
    state.recent_sum = 0.75 + v;
    state.last_day = 19560 + u;
    state.last_week = 2794;
    state.week_effort = 0.3;
    checkpoint.pairs.pairs.push_back(state);
  }
  const std::vector<PersonIndex> one = {2}, two = {0, 2};
  checkpoint.window.Add(1.7e9 - 100, 0, Kind::kLike, one);
  checkpoint.window.Add(1.7e9 - 100, 3, Kind::kPost, {});
  checkpoint.window.Add(1.7e9, 3, Kind::kReply, two);
  return checkpoint;
}

template <typename T>
std::vector<T> Copy(std::span<const T> values) {
  return {values.begin(), values.end()};
}

TEST(ScoreCheckpointTest, BytesRoundTripEveryField) {
  const ScoreCheckpoint original = SmallCheckpoint();
  const std::string bytes = SerializedCheckpoint(original).Join();
  Result<ScoreCheckpointView> parsed = ParseCheckpoint(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  // Read in place: the view points into the bytes, not into a copy.
  EXPECT_GE(reinterpret_cast<const char*>(parsed->pairs.pairs.data()), bytes.data());
  EXPECT_LT(reinterpret_cast<const char*>(parsed->pairs.pairs.data()), bytes.data() + bytes.size());
  EXPECT_EQ(parsed->anchor(), original.anchor());
  EXPECT_EQ(Copy(parsed->person_id), original.person_id);
  EXPECT_EQ(Copy(parsed->active), original.active);
  ASSERT_EQ(parsed->pairs.pairs.size(), original.pairs.pairs.size());
  for (size_t i = 0; i < original.pairs.pairs.size(); ++i) {
    const graph::PairState& a = original.pairs.pairs[i];
    const graph::PairState& b = parsed->pairs.pairs[i];
    const graph::PairRecord &ra = a.record, &rb = b.record;
    EXPECT_EQ(std::tie(rb.u, rb.v, rb.effort[0], rb.effort[1], rb.raw_effort[0], rb.raw_effort[1],
                       rb.negative_effort, rb.private_effort, rb.favour_effort, rb.count[0],
                       rb.count[1], rb.first, rb.last, rb.channel_mask, rb.active_days,
                       rb.active_weeks, rb.contact_seconds),
              std::tie(ra.u, ra.v, ra.effort[0], ra.effort[1], ra.raw_effort[0], ra.raw_effort[1],
                       ra.negative_effort, ra.private_effort, ra.favour_effort, ra.count[0],
                       ra.count[1], ra.first, ra.last, ra.channel_mask, ra.active_days,
                       ra.active_weeks, ra.contact_seconds))
        << i;
    EXPECT_EQ(std::tie(b.recent_sum, b.last_day, b.last_week, b.week_effort),
              std::tie(a.recent_sum, a.last_day, a.last_week, a.week_effort))
        << i;
  }
  EXPECT_EQ(Copy(parsed->window.time), original.window.time);
  EXPECT_EQ(Copy(parsed->window.actor), original.window.actor);
  EXPECT_EQ(Copy(parsed->window.kind), original.window.kind);
  EXPECT_EQ(Copy(parsed->window.targets), original.window.targets);
  EXPECT_EQ(Copy(parsed->window.target_offset), original.window.target_offset);
}

// The header alone says how many pairs follow; anything else says none.
TEST(ScoreCheckpointTest, ThePairCountIsReadFromTheHeaderAlone) {
  const ScoreCheckpoint original = SmallCheckpoint();
  ASSERT_GT(original.pairs.pairs.size(), 1u);
  const std::string bytes = SerializedCheckpoint(original).Join();
  EXPECT_EQ(CheckpointPairCount(bytes), original.pairs.pairs.size());
  const std::string_view header(bytes.data(), SerializedCheckpoint::kHeaderBytes);
  EXPECT_EQ(CheckpointPairCount(header), original.pairs.pairs.size());
  EXPECT_EQ(CheckpointPairCount(header.substr(0, header.size() - 1)), 0u);
  EXPECT_EQ(CheckpointPairCount("RAPCKPT1" + std::string(bytes.substr(8))), 0u);
  EXPECT_EQ(CheckpointPairCount(""), 0u);
}

TEST(ScoreCheckpointTest, TheBytesAreTheHeaderThenEachArrayAsInMemory) {
  const ScoreCheckpoint original = SmallCheckpoint();
  const SerializedCheckpoint serialized(original);
  std::string joined;
  for (const std::string_view piece : serialized.pieces()) joined += piece;
  EXPECT_EQ(joined, serialized.Join());
  EXPECT_EQ(joined.size(), SerializedCheckpoint::kHeaderBytes + 4 * 8 +
                               3 * sizeof(graph::PairState) + 3 * 8 + 4 * 8 + 3 * 4 + 3 * 4 + 4 +
                               3);
}

TEST(ScoreCheckpointTest, DamagedBytesAreRefusedNeverTrusted) {
  const auto serialize = [](const ScoreCheckpoint& checkpoint) {
    return SerializedCheckpoint(checkpoint).Join();
  };
  const std::string bytes = serialize(SmallCheckpoint());
  for (size_t length = 0; length < bytes.size(); ++length) {
    const std::string cut = bytes.substr(0, length);
    Result<ScoreCheckpointView> parsed = ParseCheckpoint(cut);
    ASSERT_FALSE(parsed.ok()) << "cut at " << length;
    EXPECT_EQ(parsed.status().code(), StatusCode::kDataLoss);
  }
  ScoreCheckpoint unordered = SmallCheckpoint();
  std::swap(unordered.pairs.pairs[0], unordered.pairs.pairs[1]);
  EXPECT_FALSE(ParseCheckpoint(serialize(unordered)).ok());
  ScoreCheckpoint beyond = SmallCheckpoint();
  beyond.pairs.pairs[2].record.v = 4;  // 4 people: indices 0-3
  EXPECT_FALSE(ParseCheckpoint(serialize(beyond)).ok());
  ScoreCheckpoint late = SmallCheckpoint();
  late.window.time.back() = late.anchor() + 1;  // a window event after the anchor
  EXPECT_FALSE(ParseCheckpoint(serialize(late)).ok());
  ScoreCheckpoint stray = SmallCheckpoint();
  stray.window.targets.back() = 4;  // a window target beyond the people
  EXPECT_FALSE(ParseCheckpoint(serialize(stray)).ok());
  std::string other_header = bytes;
  other_header[7] = '3';
  Result<ScoreCheckpointView> other = ParseCheckpoint(other_header);
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("rapport score --full"), std::string::npos);
  // A checkpoint in the layout of an earlier version is told apart from a damaged one.
  std::string earlier = bytes;
  earlier[7] = '1';
  EXPECT_NE(ParseCheckpoint(earlier).status().message().find("earlier version"), std::string::npos);
  EXPECT_FALSE(ParseCheckpoint(bytes + "x").ok());
  std::string misaligned = "x" + bytes;
  EXPECT_FALSE(ParseCheckpoint(std::string_view(misaligned).substr(1)).ok());
}

TEST(ScoreCheckpointTest, ContinuedAggregatesEqualAggregatingEveryEvent) {
  const Config config = DefaultConfig();
  const EventLog log = EventLogFromEvents(scenario::BuildDemoEvents({}));
  const double as_of = log.time.back();
  const double earlier = as_of - 60 * kSecondsPerDay;
  // A checkpoint from a scoring 60 days before, continued to as_of.
  ScoreCheckpoint checkpoint;
  checkpoint.pairs.anchor = CheckpointAnchor(config.tie, earlier);
  AggregateEvents(log, config, earlier, nullptr, &checkpoint);
  const ScoreCheckpointView view = ViewOf(checkpoint);
  ASSERT_TRUE(WhyNotContinue(view, config.tie, as_of, log.person_id).empty());
  EXPECT_FALSE(WhyNotContinue(view, config.tie, earlier - kSecondsPerDay, log.person_id).empty());
  const EventAggregates continued = AggregateEvents(log, config, as_of, &view);
  const EventAggregates whole = AggregateEvents(log, config, as_of);
  EXPECT_EQ(continued.active, whole.active);
  // The volume score from the checkpoint's window events and the new ones: the same to the bit.
  ASSERT_EQ(continued.volume.size(), whole.volume.size());
  for (size_t p = 0; p < whole.volume.size(); ++p) {
    EXPECT_EQ(continued.volume[p].raw, whole.volume[p].raw) << p;
    EXPECT_EQ(continued.volume[p].engagers, whole.volume[p].engagers) << p;
  }
  EXPECT_GT(checkpoint.window.size(), 100u);
  ASSERT_EQ(continued.pairs.pairs.size(), whole.pairs.pairs.size());
  size_t continued_pairs = 0;  // pairs with contacts after the anchor: continuation mattered
  for (size_t i = 0; i < whole.pairs.pairs.size(); ++i) {
    EXPECT_NEAR(continued.pairs.pairs[i].total_effort(), whole.pairs.pairs[i].total_effort(),
                1e-12 * whole.pairs.pairs[i].total_effort());
    EXPECT_EQ(continued.pairs.pairs[i].active_weeks, whole.pairs.pairs[i].active_weeks);
    continued_pairs += whole.pairs.pairs[i].last > checkpoint.anchor();
  }
  EXPECT_GT(continued_pairs, 50u);
  // People not in the checkpoint, or in another order, stop it.
  std::vector<int64_t> reordered = log.person_id;
  std::swap(reordered[0], reordered[1]);
  EXPECT_FALSE(WhyNotContinue(view, config.tie, as_of, reordered).empty());
}

}  // namespace
}  // namespace rapport::score
