// Tests of the streaming line reader and the UTF-8 check.
#include "rapport/ingest/line_reader.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rapport::ingest {
namespace {

struct Seen {
  std::string text;
  int64_t number;
  int64_t offset;
  int64_t length;
  bool too_long;
  bool unterminated;
};

std::vector<Seen> Split(std::string_view data, size_t block_bytes,
                        int64_t max_line = kMaxLineBytes) {
  BufferSource source(data);
  LineReader reader(&source, static_cast<int64_t>(data.size()), nullptr, max_line, block_bytes);
  std::vector<Seen> out;
  Line line;
  while (reader.Next(&line)) {
    out.push_back({std::string(line.text), line.number, line.byte_offset, line.length,
                   line.too_long, line.unterminated});
  }
  EXPECT_TRUE(reader.status().ok());
  return out;
}

TEST(IngestLineReaderTest, SplitsLfAndCrlfWithNumbersAndOffsets) {
  for (size_t block : {1, 2, 3, 7, 1024}) {
    SCOPED_TRACE(block);
    std::vector<Seen> lines = Split("ab\r\ncd\n\nlast", block);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[0].text, "ab");
    EXPECT_EQ(lines[0].offset, 0);
    EXPECT_EQ(lines[1].text, "cd");
    EXPECT_EQ(lines[1].number, 2);
    EXPECT_EQ(lines[1].offset, 4);
    EXPECT_EQ(lines[2].text, "");
    EXPECT_EQ(lines[2].offset, 7);
    EXPECT_EQ(lines[3].text, "last");
    EXPECT_EQ(lines[3].offset, 8);
    EXPECT_TRUE(lines[3].unterminated);
    EXPECT_FALSE(lines[0].unterminated);
  }
}

TEST(IngestLineReaderTest, FinalNewlineMakesNoExtraLine) {
  std::vector<Seen> lines = Split("a\nb\n", 3);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_FALSE(lines[1].unterminated);
  EXPECT_TRUE(Split("", 3).empty());
}

TEST(IngestLineReaderTest, StripsByteOrderMark) {
  std::vector<Seen> lines = Split("\xEF\xBB\xBFtime,actor\nx\n", 2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "time,actor");
  EXPECT_EQ(lines[0].offset, 3);
}

TEST(IngestLineReaderTest, LongLineIsFlaggedAndCutAndTheNextLineStillRead) {
  std::string data = std::string(100, 'x') + "\nnext\n";
  std::vector<Seen> lines = Split(data, 8, /*max_line=*/50);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].too_long);
  EXPECT_EQ(lines[0].length, 100);
  EXPECT_EQ(lines[1].text, "next");
  EXPECT_EQ(lines[1].offset, 101);
  EXPECT_FALSE(lines[1].too_long);
}

TEST(IngestLineReaderTest, LineAtTheLimitIsKept) {
  std::string data = std::string(50, 'x') + "\r\n" + std::string(51, 'y') + "\n";
  std::vector<Seen> lines = Split(data, 8, /*max_line=*/50);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_FALSE(lines[0].too_long);
  EXPECT_EQ(lines[0].text, std::string(50, 'x'));
  EXPECT_TRUE(lines[1].too_long);
}

TEST(IngestLineReaderTest, ReportsProgress) {
  std::string data(9 * 1024 * 1024, 'a');
  data += "\n";
  BufferSource source(data);
  int calls = 0;
  int64_t last = 0;
  LineReader reader(&source, static_cast<int64_t>(data.size()), [&](int64_t done, int64_t total) {
    ++calls;
    last = done;
    EXPECT_EQ(total, static_cast<int64_t>(data.size()));
  });
  Line line;
  while (reader.Next(&line)) {
  }
  EXPECT_GE(calls, 2);
  EXPECT_EQ(last, static_cast<int64_t>(data.size()));
}

TEST(IngestUtf8Test, FindsTheFirstInvalidByte) {
  EXPECT_EQ(FindInvalidUtf8("plain ascii text, long enough for the fast path"),
            std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("abc\xFF"), 3u);
  EXPECT_EQ(FindInvalidUtf8("ab\xC3"), 2u);                       // cut sequence
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);                     // overlong
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);                // surrogate
  EXPECT_EQ(FindInvalidUtf8("0123456789\xF4\x90\x80\x80"), 10u);  // above U+10FFFF
}

}  // namespace
}  // namespace rapport::ingest
