// Tests of the JSONL event reader: field types, malformed and truncated objects, dedupe keys.
#include <gtest/gtest.h>

#include <string>

#include "ingest_test_util.h"
#include "rapport/ingest/reader.h"

namespace rapport::ingest {
namespace {

using testing::Collected;
using testing::ReadText;

Collected Jsonl(std::string_view text, ReadOptions options = {}) {
  return ReadText(text, Format::kJsonl, "events.jsonl", options);
}

TEST(IngestJsonlTest, ReadsFieldsOfEveryType) {
  Collected out = Jsonl(
      R"({"time": 1082040961.5, "channel": "chat", "kind": "message", "actor": "ann", "targets": ["bob", "cat"], "extra": {"x": [1]}})"
      "\n"
      R"({"Time": "2024-03-01", "channel": "twitter", "kind": "reply", "actor": 12, "targets": "34", "private": true, "effort": 3, "valence": -1, "native_id": 99, "text": "hi"})"
      "\n\n",
      testing::KeepText());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[0].time, 1082040961.5);
  EXPECT_EQ(out.events[0].targets, (std::vector<std::string>{"bob", "cat"}));
  EXPECT_TRUE(out.events[0].is_private);
  EXPECT_EQ(out.events[0].source, "events.jsonl");
  EXPECT_EQ(out.events[1].time, 1709251200);
  EXPECT_EQ(out.events[1].actor, "12");
  EXPECT_EQ(out.events[1].targets, (std::vector<std::string>{"34"}));
  EXPECT_TRUE(out.events[1].is_private);
  EXPECT_EQ(out.events[1].effort, 3.0);
  EXPECT_EQ(out.events[1].valence, -1.0);
  EXPECT_EQ(out.events[1].source, "twitter");
  EXPECT_EQ(out.events[1].native_id, "99");
  EXPECT_EQ(out.events[1].text, "hi");
  EXPECT_EQ(out.counts.records, 2);
}

TEST(IngestJsonlTest, RejectsWithExactReasons) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"time": 5, "channel": "sms", "kind": "message", "actor": "ann", "targets": ["bob"],})",
       "malformed JSON: "},
      {R"({"time": 5, "channel": "sms", "kind": "message", "actor": "ann", "targ)",
       "truncated JSON object: the line ends before the object is closed"},
      {R"([1, 2])", "expected a JSON object, found an array"},
      {R"({"time": "yesterday", "channel": "sms", "kind": "message", "actor": "ann"})",
       "unparsable time \"yesterday\" (expected YYYY-MM-DD)"},
      {R"({"time": 5, "channel": "sms", "kind": "poke", "actor": "ann", "targets": ["bob"]})",
       "unknown kind \"poke\""},
      {R"({"time": 5, "channel": "sms", "kind": "message", "targets": ["bob"]})",
       "missing field \"actor\""},
      {R"({"time": 5, "channel": "sms", "kind": "message", "actor": "", "targets": ["bob"]})",
       "empty actor"},
      {R"({"time": 5, "channel": "sms", "kind": "message", "actor": "ann", "targets": [1.5]})",
       "\"targets\" must hold strings, found a number"},
      {R"({"time": 5, "channel": "sms", "kind": "message", "actor": "ann", "targets": ["bob"], "private": "yes"})",
       "\"private\" must be true or false, found a string"},
      {R"({"time": 5, "channel": "sms", "kind": "message", "actor": "ann", "targets": ["bob"], "valence": 7})",
       "valence 7 is out of range; it must be between -1 and 1"},
      {R"({"time": 5, "channel": "sms", "kind": "share", "actor": "ann", "targets": []})",
       "a share needs at least one target"},
  };
  std::string text;
  for (const auto& [line, reason] : cases) text += line + "\n";
  Collected out = Jsonl(text);
  ASSERT_TRUE(out.status.ok());
  ASSERT_EQ(out.rejects.size(), cases.size());
  EXPECT_EQ(out.counts.emitted, 0);
  for (size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE(cases[i].first);
    if (i == 0) {
      EXPECT_EQ(out.rejects[i].reason.rfind(cases[i].second, 0), 0u) << out.rejects[i].reason;
      EXPECT_GT(out.rejects[i].reason.size(), cases[i].second.size());
    } else {
      EXPECT_EQ(out.rejects[i].reason, cases[i].second);
    }
    EXPECT_EQ(out.rejects[i].line, static_cast<int64_t>(i) + 1);
  }
}

TEST(IngestJsonlTest, TruncatedLastLineSaysSo) {
  Collected out = Jsonl(
      "{\"time\": 5, \"channel\": \"sms\", \"kind\": \"message\", \"actor\": \"ann\", "
      "\"targets\": [\"bob\"]}\n{\"time\": 6, \"channel\": \"sm");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].line, 2);
  EXPECT_EQ(out.rejects[0].reason,
            "truncated JSON object: the line ends before the object is closed; the file ends "
            "without a newline, so the last line looks truncated");
  EXPECT_EQ(out.counts.emitted, 1);
}

TEST(IngestJsonlTest, InvalidUtf8IsRejected) {
  Collected out = Jsonl("{\"actor\": \"\xC3\x28\"}\n");
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "invalid UTF-8 at byte 12 of the line");
}

TEST(IngestJsonlTest, IdenticalLinesGetDistinctIds) {
  std::string line =
      R"({"time": 5, "channel": "sms", "kind": "message", "actor": "ann", "targets": ["bob"]})"
      "\n";
  Collected out = Jsonl(line + line);
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_NE(out.events[0].native_id, out.events[1].native_id);
  EXPECT_EQ(out.events[0].native_id.substr(0, 16), out.events[1].native_id.substr(0, 16));
}

}  // namespace
}  // namespace rapport::ingest
