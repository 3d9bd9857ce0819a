// Tests of the binary event format: a round trip keeps every field, damaged records are rejected
// with their byte offset while reading goes on, a cut-short tail and a wrong magic are reported,
// unsorted files come back sorted, and ReadFile/import read the format like any other.
#include "rapport/ingest/binary_events.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rapport/ingest/reader.h"
#include "scratch_dir.h"

namespace rapport::ingest {
namespace {

BinaryEvent MakeEvent(double time, uint32_t actor, std::vector<uint32_t> targets) {
  BinaryEvent event;
  event.time = time;
  event.actor = actor;
  event.targets = std::move(targets);
  event.channel = Channel::kEmail;
  event.kind = Kind::kEmail;
  event.is_private = true;
  return event;
}

// Each test's files go to a scratch directory of its own, removed after it.
class BinaryEventsTest : public ::testing::Test {
 protected:
  std::string WriteEvents(const std::string& name, const std::vector<BinaryEvent>& events) {
    const std::string path = scratch_.Path(name);
    Result<BinaryEventWriter> writer = BinaryEventWriter::Open(path);
    EXPECT_TRUE(writer.ok());
    for (const BinaryEvent& event : events) EXPECT_TRUE(writer->Write(event).ok());
    EXPECT_TRUE(writer->Close().ok());
    return path;
  }

  test::ScratchDir scratch_;
};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST_F(BinaryEventsTest, RoundTripKeepsEveryField) {
  BinaryEvent call = MakeEvent(1700000000.25, 7, {3});
  call.channel = Channel::kPhone;
  call.kind = Kind::kCall;
  call.duration = 125.5f;
  call.valence = -0.5f;
  call.has_effort = true;
  call.effort = 2.75f;
  BinaryEvent post = MakeEvent(1700000100, 4, {});
  post.channel = Channel::kTwitter;
  post.kind = Kind::kPost;
  post.is_private = false;
  const std::vector<BinaryEvent> written = {call, post, MakeEvent(1700000200, 1, {2, 3, 9})};
  const std::string path = WriteEvents("round.bin", written);
  // Header 32 bytes; records 28 + 4 (effort), 24, 24 + 12.
  EXPECT_EQ(std::filesystem::file_size(path), 32u + 32u + 24u + 36u);
  std::vector<BinaryEvent> read;
  Result<BinaryReadCounts> counts = ReadBinaryEvents(
      path,
      [&](const BinaryEvent& event) {
        read.push_back(event);
        return Status::Ok();
      },
      [](BinaryReject&&) { ADD_FAILURE() << "unexpected reject"; });
  ASSERT_TRUE(counts.ok()) << counts.status().message();
  EXPECT_EQ(counts->accepted, 3u);
  ASSERT_EQ(read.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(read[i].time, written[i].time);
    EXPECT_EQ(read[i].actor, written[i].actor);
    EXPECT_EQ(read[i].targets, written[i].targets);
    EXPECT_EQ(read[i].channel, written[i].channel);
    EXPECT_EQ(read[i].kind, written[i].kind);
    EXPECT_EQ(read[i].is_private, written[i].is_private);
    EXPECT_EQ(read[i].duration, written[i].duration);
    EXPECT_EQ(read[i].valence, written[i].valence);
    EXPECT_EQ(read[i].has_effort, written[i].has_effort);
    if (read[i].has_effort) {
      EXPECT_EQ(read[i].effort, written[i].effort);
    }
  }
  // The writer patched the event count into the header.
  const std::string bytes = ReadAll(path);
  uint64_t count = 0;
  std::memcpy(&count, bytes.data() + 16, 8);
  EXPECT_EQ(count, 3u);
}

TEST_F(BinaryEventsTest, DamagedRecordsAreRejectedWithTheirOffsetAndReadingGoesOn) {
  const std::string path = WriteEvents(
      "damaged.bin",
      {MakeEvent(10, 1, {2}), MakeEvent(20, 2, {1}), MakeEvent(30, 3, {4}), MakeEvent(40, 4, {3})});
  std::string bytes = ReadAll(path);
  // Records of one target are 28 bytes: record k starts at 32 + 28 (k - 1).
  bytes[60 + 12] = 99;  // record 2: channel 99
  const double nan = std::nan("");
  std::memcpy(bytes.data() + 88, &nan, 8);  // record 3: time NaN
  bytes.resize(bytes.size() - 5);           // record 4 cut short
  std::vector<BinaryReject> rejects;
  std::vector<double> times;
  Result<BinaryReadCounts> counts = ReadBinaryBuffer(
      bytes, "damaged.bin",
      [&](const BinaryEvent& event) {
        times.push_back(event.time);
        return Status::Ok();
      },
      [&](BinaryReject&& reject) { rejects.push_back(std::move(reject)); });
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->records, 4u);
  EXPECT_EQ(counts->accepted, 1u);
  EXPECT_EQ(counts->rejected, 3u);
  EXPECT_EQ(times, std::vector<double>{10});
  ASSERT_EQ(rejects.size(), 3u);
  EXPECT_EQ(rejects[0].offset, 60u);
  EXPECT_NE(rejects[0].reason.find("unknown channel number 99"), std::string::npos);
  EXPECT_EQ(rejects[1].offset, 88u);
  EXPECT_NE(rejects[1].reason.find("time"), std::string::npos);
  EXPECT_EQ(rejects[2].offset, 116u);
  EXPECT_NE(rejects[2].reason.find("cut short"), std::string::npos);
}

TEST_F(BinaryEventsTest, AWrongMagicOrVersionFailsTheWholeFile) {
  Result<BinaryReadCounts> text = ReadBinaryBuffer(
      "time,channel\n", "x.bin", [](const BinaryEvent&) { return Status::Ok(); },
      [](BinaryReject&&) {});
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("RAPBIN01"), std::string::npos);
  std::string bytes = ReadAll(WriteEvents("version.bin", {MakeEvent(1, 1, {2})}));
  bytes[8] = 9;
  Result<BinaryReadCounts> version = ReadBinaryBuffer(
      bytes, "v.bin", [](const BinaryEvent&) { return Status::Ok(); }, [](BinaryReject&&) {});
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.status().message().find("version 9"), std::string::npos);
}

TEST_F(BinaryEventsTest, ARangeReadsTheRecordsThatStartInIt) {
  // Record sizes: 28, 36 (an effort override and two targets), 28, 28 bytes.
  BinaryEvent with_effort = MakeEvent(20, 2, {1, 3});
  with_effort.has_effort = true;
  with_effort.effort = 2.5f;
  const std::string path = WriteEvents("range.bin", {MakeEvent(10, 1, {2}), with_effort,
                                                     MakeEvent(30, 3, {1}), MakeEvent(40, 4, {5})});
  std::vector<uint64_t> offsets;
  ASSERT_TRUE(ReadBinaryEvents(
                  path,
                  [&](const BinaryEvent& event) {
                    offsets.push_back(event.offset);
                    return Status::Ok();
                  },
                  [](BinaryReject&&) { ADD_FAILURE(); })
                  .ok());
  EXPECT_EQ(offsets, (std::vector<uint64_t>{32, 60, 96, 124}));
  // From the second record up to the fourth: the second and the third.
  std::vector<double> times;
  Result<BinaryReadCounts> counts = ReadBinaryEventRange(
      path, offsets[1], offsets[3],
      [&](const BinaryEvent& event) {
        times.push_back(event.time);
        return Status::Ok();
      },
      [](BinaryReject&&) { ADD_FAILURE(); });
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(times, (std::vector<double>{20, 30}));
  EXPECT_EQ(counts->accepted, 2u);
  EXPECT_EQ(counts->next_offset, offsets[3]);  // where the next stretch starts
  // An open end reads to the end of the file.
  times.clear();
  ASSERT_TRUE(ReadBinaryEventRange(
                  path, offsets[2], UINT64_MAX,
                  [&](const BinaryEvent& event) {
                    times.push_back(event.time);
                    return Status::Ok();
                  },
                  [](BinaryReject&&) { ADD_FAILURE(); })
                  .ok());
  EXPECT_EQ(times, (std::vector<double>{30, 40}));
}

TEST_F(BinaryEventsTest, ARecordStartFoundFromAnyByteIsTheNextRecord) {
  // Records of 28 to 60 bytes (1 to 8 targets, some with an effort override), people numbers
  // like those of a large log.
  std::vector<BinaryEvent> events;
  for (uint32_t i = 0; i < 3000; ++i) {
    std::vector<uint32_t> targets;
    for (uint32_t t = 0; t <= i % 8; ++t)
      targets.push_back(1000000 + (i * 7919 + t * 104729) % 9000000);
    BinaryEvent event = MakeEvent(1.5e9 + i * 61.0, 17 + i % 5, targets);
    event.has_effort = i % 3 == 0;
    event.effort = 1.5f;
    events.push_back(event);
  }
  const std::string path = WriteEvents("find.bin", events);
  std::vector<uint64_t> starts;
  const Result<BinaryReadCounts> whole = ReadBinaryEvents(
      path,
      [&](const BinaryEvent& event) {
        starts.push_back(event.offset);
        return Status::Ok();
      },
      [](BinaryReject&&) { ADD_FAILURE(); });
  ASSERT_TRUE(whole.ok());
  const uint64_t size = std::filesystem::file_size(path);
  EXPECT_EQ(whole->next_offset, size);
  // From every byte of the first 2,000 and of the last 3,000: a record's start, within a few
  // KiB of the byte, or none after the last record.
  size_t not_the_next = 0;
  for (uint64_t offset = 0; offset < size; offset += offset == 2000 ? size - 5000 : 1) {
    const Result<uint64_t> found = FindRecordStart(path, offset);
    const auto next = std::lower_bound(starts.begin(), starts.end(), offset);
    if (next == starts.end()) {
      EXPECT_FALSE(found.ok()) << offset;
      continue;
    }
    ASSERT_TRUE(found.ok()) << offset << ": " << found.status().message();
    ASSERT_TRUE(std::binary_search(starts.begin(), starts.end(), *found)) << offset;
    ASSERT_GE(*found, *next) << offset;
    ASSERT_LE(*found, *next + 8192) << offset;
    not_the_next += *found != *next ? 1 : 0;
  }
  // Positions inside a record that decode as one: found, and passed over.
  EXPECT_GT(not_the_next, 0u);
  EXPECT_FALSE(FindRecordStart(scratch_.Path("missing.bin"), 0).ok());
}

TEST_F(BinaryEventsTest, ReadFileDetectsAndReadsTheFormatWithNumbersAsIdentities) {
  const std::string path =
      WriteEvents("detect.bin", {MakeEvent(10, 1, {2}), MakeEvent(10, 1, {2})});
  Result<Format> format = DetectFormat(path);
  ASSERT_TRUE(format.ok());
  EXPECT_EQ(*format, Format::kBinary);
  std::vector<Event> events;
  Result<ReadCounts> counts = ReadFile(
      path, ReadOptions{},
      [&](Event&& event) {
        events.push_back(std::move(event));
        return Status::Ok();
      },
      [](Reject&&) { ADD_FAILURE(); });
  ASSERT_TRUE(counts.ok());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].actor, "1");
  EXPECT_EQ(events[0].targets, std::vector<std::string>{"2"});
  // Two identical records are two events: their dedupe keys differ by occurrence.
  EXPECT_EQ(events[0].source, events[1].source);
  EXPECT_NE(events[0].native_id, events[1].native_id);
}

}  // namespace
}  // namespace rapport::ingest
