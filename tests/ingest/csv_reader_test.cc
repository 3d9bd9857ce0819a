// Tests of the CSV event reader: header rules, every per-line reject with its exact reason and
// line number, dedupe keys.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "ingest_test_util.h"
#include "rapport/core/event.h"
#include "rapport/ingest/reader.h"

namespace rapport::ingest {
namespace {

using testing::Collected;
using testing::ReadText;

constexpr std::string_view kHeader =
    "time,channel,kind,actor,targets,private,duration,effort,valence,native_id\n";

Collected Csv(std::string_view text, ReadOptions options = {}) {
  return ReadText(text, Format::kCsv, "dir/events.csv", options);
}

TEST(IngestCsvTest, ReadsAllColumns) {
  Collected out = Csv(std::string(kHeader) +
                      "2024-03-01T12:30:00Z,email,email,ann,bob;cat,,,2.5,,\n"
                      "1082040961,phone,call,bob,ann,false,600,,,\n"
                      "1082040962,twitter,post,ann,,,,,-0.5,t123\n");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.counts.emitted, 3);
  const Event& email = out.events[0];
  EXPECT_EQ(email.time, 1709296200);
  EXPECT_EQ(email.channel, Channel::kEmail);
  EXPECT_EQ(email.kind, Kind::kEmail);
  EXPECT_EQ(email.actor, "ann");
  EXPECT_EQ(email.targets, (std::vector<std::string>{"bob", "cat"}));
  EXPECT_TRUE(email.is_private);
  ASSERT_TRUE(email.effort.has_value());
  EXPECT_EQ(*email.effort, 2.5);
  EXPECT_EQ(email.valence, 1.0);
  EXPECT_EQ(email.source, "events.csv");
  EXPECT_EQ(email.native_id.size(), 18u);
  EXPECT_EQ(email.native_id.substr(16), "-1");
  const Event& call = out.events[1];
  EXPECT_FALSE(call.is_private);
  EXPECT_EQ(call.duration, 600);
  EXPECT_FALSE(call.effort.has_value());
  const Event& post = out.events[2];
  EXPECT_EQ(post.valence, -0.5);
  EXPECT_EQ(post.source, "twitter");
  EXPECT_EQ(post.native_id, "t123");
}

TEST(IngestCsvTest, HeaderInAnyOrderAndCaseWithQuotes) {
  Collected out =
      Csv("\n  \nActor,TEXT,Kind,Channel,Time,Targets\n"
          "ann,\"hello, \"\"world\"\"\",message,sms,5,bob\n",
          testing::KeepText());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].text, "hello, \"world\"");
  EXPECT_EQ(out.events[0].time, 5);
  EXPECT_EQ(out.counts.records, 1);
}

TEST(IngestCsvTest, TextIsDroppedUnlessAskedFor) {
  Collected out = Csv("time,channel,kind,actor,targets,text\n5,sms,message,ann,bob,secret\n");
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].text, "");
}

TEST(IngestCsvTest, UnknownColumnFailsTheFile) {
  Collected out = Csv("time,channel,kind,actor,mood\n");
  EXPECT_EQ(out.status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.status.message(),
            "dir/events.csv, line 1: unknown column \"mood\" in the CSV header (column 5); valid "
            "columns: time, channel, kind, actor (required); targets, private, duration, effort, "
            "valence, native_id, text (optional)");
}

TEST(IngestCsvTest, MissingRequiredColumnFailsTheFile) {
  Collected out = Csv("time,channel,kind,targets\n");
  EXPECT_EQ(out.status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(out.status.message().find("missing required column \"actor\""), std::string::npos)
      << out.status.message();
}

struct RejectCase {
  std::string line;
  std::string reason;
};

TEST(IngestCsvTest, RejectsWithExactReasons) {
  const std::vector<RejectCase> cases = {
      {"5,sms,message,ann,bob,,,", "expected 10 columns, found 8"},
      {"yesterday,sms,message,ann,bob,,,,,", "unparsable time \"yesterday\" (expected YYYY-MM-DD)"},
      {"5,sms,poke,ann,bob,,,,,", "unknown kind \"poke\""},
      {"5,pigeon,message,ann,bob,,,,,", "unknown channel \"pigeon\""},
      {"5,sms,message,  ,bob,,,,,", "empty actor"},
      {"5,twitter,like,ann,,,,,,", "a like needs at least one target"},
      {"5,email,email,ann,,,,,,", "an email needs at least one target"},
      {"5,sms,message,ann,bob;ann,,,,,", "actor is also a target"},
      {"5,sms,message,ann,bob,maybe,,,,", "bad private \"maybe\": not true or false"},
      {"5,sms,message,ann,bob,,long,,,", "bad duration \"long\": not a number"},
      {"5,sms,message,ann,bob,,-3,,,", "bad duration -3: it must be 0 or more"},
      {"5,sms,message,ann,bob,,,x1,,", "bad effort \"x1\": not a number"},
      {"5,sms,message,ann,bob,,,,1.5,", "valence 1.5 is out of range; it must be between -1 and 1"},
      {"5,sms,message,ann,\"bob,,,,,", "unterminated quoted field in column 5"},
      {"5,sms,message,ann,\"bob\"x,,,,,", "unexpected text after the closing quote in column 5"},
  };
  std::string text(kHeader);
  for (const RejectCase& c : cases) text += c.line + "\n";
  text += "5,sms,message,ann,bob,,,,,\n";
  Collected out = Csv(text);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.counts.records, static_cast<int64_t>(cases.size()) + 1);
  EXPECT_EQ(out.counts.emitted, 1);
  ASSERT_EQ(out.rejects.size(), cases.size());
  int64_t offset = static_cast<int64_t>(kHeader.size());
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].line);
    EXPECT_EQ(out.rejects[i].reason, cases[i].reason);
    EXPECT_EQ(out.rejects[i].line, static_cast<int64_t>(i) + 2);
    EXPECT_EQ(out.rejects[i].byte_offset, offset);
    EXPECT_EQ(out.rejects[i].raw, cases[i].line);
    EXPECT_EQ(out.rejects[i].file, "dir/events.csv");
    EXPECT_FALSE(out.rejects[i].hint.empty());
    offset += static_cast<int64_t>(cases[i].line.size()) + 1;
  }
  EXPECT_EQ(out.rejects[0].hint, "quote fields that contain commas");
  EXPECT_EQ(out.rejects[2].hint, "use one of: " + AllKindNames());
  EXPECT_EQ(out.rejects[3].hint, "use one of: " + AllChannelNames());
  EXPECT_NE(out.rejects[1].hint.find("ISO 8601"), std::string::npos);
}

TEST(IngestCsvTest, TruncatedLastLineSaysSo) {
  Collected out = Csv(std::string(kHeader) + "5,sms,message,ann,bob,,,,,\n5,sms,mes");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].line, 3);
  EXPECT_EQ(out.rejects[0].reason,
            "expected 10 columns, found 3; the file ends without a newline, so the last line "
            "looks truncated");
  EXPECT_EQ(out.counts.records, 2);
}

TEST(IngestCsvTest, LastLineWithoutNewlineIsReadWhenComplete) {
  Collected out = Csv(std::string(kHeader) + "5,sms,message,ann,bob,,,,,");
  EXPECT_EQ(out.counts.emitted, 1);
  EXPECT_EQ(out.counts.rejected, 0);
}

TEST(IngestCsvTest, InvalidUtf8IsRejectedWithItsPosition) {
  Collected out = Csv(std::string(kHeader) + "5,sms,message,an\xFFn,bob,,,,,\r\n");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "invalid UTF-8 at byte 17 of the line");
  EXPECT_EQ(out.rejects[0].hint, "re-save the file as UTF-8");
  EXPECT_EQ(out.rejects[0].line, 2);
}

TEST(IngestCsvTest, TenMegabyteLineIsRejectedAndTheNextLineRead) {
  testing::ScratchDir dir;
  std::string text(kHeader);
  text += "5,sms,message,ann,";
  text.append(10 * 1000 * 1000, 'b');
  text += ",,,,,\n6,sms,message,ann,bob,,,,,\n";
  std::string path = dir.Write("big.csv", text);
  text.clear();
  text.shrink_to_fit();
  Collected out = testing::ReadPath(path);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "line is 10000023 bytes, longer than the 1 MiB limit");
  EXPECT_EQ(out.rejects[0].line, 2);
  EXPECT_EQ(out.rejects[0].raw.size(), kMaxRawBytes);
  ASSERT_EQ(out.events.size(), 1u);
  EXPECT_EQ(out.events[0].time, 6);
  EXPECT_EQ(out.counts.records, 2);
}

TEST(IngestCsvTest, IdenticalRecordsGetDistinctStableIds) {
  std::string text = std::string(kHeader) + "5,sms,message,ann,bob,,,,,\n" +
                     "5,sms,message,ann,bob,,,,,\n" + "5,SMS,Message, ann ,bob,,,,,\n" +
                     "6,sms,message,ann,bob,,,,,\n";
  Collected first = Csv(text);
  Collected second = Csv(text);
  ASSERT_EQ(first.events.size(), 4u);
  const std::string hash = first.events[0].native_id.substr(0, 16);
  EXPECT_EQ(first.events[0].native_id, hash + "-1");
  EXPECT_EQ(first.events[1].native_id, hash + "-2");
  EXPECT_EQ(first.events[2].native_id, hash + "-3");  // same normalised content
  EXPECT_NE(first.events[3].native_id.substr(0, 16), hash);
  for (size_t i = 0; i < first.events.size(); ++i) {
    EXPECT_EQ(first.events[i].native_id, second.events[i].native_id);
    EXPECT_EQ(first.events[i].source, second.events[i].source);
  }
}

// Past the counter's first table (512 keys), every repeat still finds its count.
TEST(IngestCsvTest, ManyRepeatedRecordsCountTheirOccurrences) {
  constexpr int kDistinct = 3000;
  std::string text(kHeader);
  for (int pass = 0; pass < 3; ++pass) {
    for (int i = 0; i < kDistinct; ++i) text += fmt::format("{},sms,message,ann,bob,,,,,\n", i);
  }
  Collected out = Csv(text);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.events.size(), 3u * kDistinct);
  std::set<std::string> keys;
  for (int pass = 0; pass < 3; ++pass) {
    for (int i = 0; i < kDistinct; ++i) {
      const std::string& id = out.events[pass * kDistinct + i].native_id;
      ASSERT_EQ(id.substr(16), fmt::format("-{}", pass + 1)) << "line " << pass * kDistinct + i;
      ASSERT_EQ(id.substr(0, 16), out.events[i].native_id.substr(0, 16));
      keys.insert(id);
    }
  }
  EXPECT_EQ(keys.size(), 3u * kDistinct);
}

TEST(IngestCsvTest, CallbackErrorStopsTheRead) {
  Result<ReadCounts> result = ReadBuffer(
      std::string(kHeader) + "5,sms,message,ann,bob,,,,,\n6,sms,message,ann,bob,,,,,\n", "e.csv",
      testing::WithFormat(Format::kCsv), [](Event&&) { return Internal("store is full"); },
      nullptr);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(), "e.csv, line 2: store is full");
}

}  // namespace
}  // namespace rapport::ingest
