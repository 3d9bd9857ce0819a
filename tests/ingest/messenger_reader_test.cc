// Tests of the Facebook Messenger reader (src/ingest/messenger_reader.cc) on the hand-written
// exports in tests/data/ingest/messenger/ (written by a script in the real layout: indent 2,
// UTF-8 bytes escaped as \u00XX) and on small inline files.
//
// Expected counts were checked independently with Python over the fixtures: json.load each
// message_N.json; a message without sender_name or timestamp_ms is a reject, one with
// call_duration a call, any other a message; each reaction a like unless its actor is the sender
// (a reject). export_2022: 8 messages, 2 calls, 4 likes, 3 rejects; export_2024: 3 messages.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "ingest_test_util.h"
#include "rapport/ingest/reader.h"

namespace rapport::ingest {
namespace {

using testing::Collected;

const std::string kData = std::string(RAPPORT_TEST_DATA) + "/ingest/messenger";

std::map<Kind, int> CountKinds(const Collected& out) {
  std::map<Kind, int> kinds;
  for (const Event& event : out.events) ++kinds[event.kind];
  return kinds;
}

Collected ReadWithHints(const std::string& path, std::vector<IdentityHint>* hints,
                        ReadOptions options = {}) {
  options.on_identity = [hints](IdentityHint&& hint) { hints->push_back(std::move(hint)); };
  return testing::ReadPath(path, options);
}

std::vector<std::string> Owners(const std::vector<IdentityHint>& hints) {
  std::vector<std::string> owners;
  for (const IdentityHint& hint : hints) {
    if (hint.is_owner) owners.push_back(hint.identity);
  }
  return owners;
}

TEST(IngestMessengerTest, ReadsExportFolder) {
  std::vector<IdentityHint> hints;
  Collected out = ReadWithHints(kData + "/export_2022", &hints);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 17);
  EXPECT_EQ(out.counts.emitted, 14);
  EXPECT_EQ(out.counts.rejected, 3);
  std::map<Kind, int> kinds = CountKinds(out);
  EXPECT_EQ(kinds[Kind::kMessage], 8);
  EXPECT_EQ(kinds[Kind::kCall], 2);
  EXPECT_EQ(kinds[Kind::kLike], 4);

  // Zoë is the only participant of all three threads (inbox and archived_threads).
  EXPECT_EQ(Owners(hints), std::vector<std::string>{"facebook:Zoë Durand"});

  for (const Event& event : out.events) {
    EXPECT_EQ(event.channel, Channel::kFacebook);
    EXPECT_TRUE(event.is_private);
    EXPECT_EQ(event.source, "facebook");
    EXPECT_TRUE(event.text.empty());  // keep_text is off
  }
  // Threads in folder order: inbox/group_hikingcrew..., inbox/mayalin..., archived_threads/...
  const Event& group_call = out.events[0];
  EXPECT_EQ(group_call.kind, Kind::kCall);
  EXPECT_EQ(group_call.actor, "facebook:José Ramírez");
  EXPECT_EQ(group_call.actor_name, "José Ramírez");
  EXPECT_EQ(group_call.targets,
            (std::vector<std::string>{"facebook:Zoë Durand", "facebook:Maya Lin",
                                      "facebook:Omar Haddad"}));
  EXPECT_EQ(group_call.target_names,
            (std::vector<std::string>{"Zoë Durand", "Maya Lin", "Omar Haddad"}));
  EXPECT_DOUBLE_EQ(group_call.time, 1700100180.0);
  EXPECT_EQ(group_call.duration, 0);

  const Event& hike = out.events[2];
  EXPECT_EQ(hike.kind, Kind::kMessage);
  EXPECT_EQ(hike.actor, "facebook:Omar Haddad");
  EXPECT_EQ(hike.targets.size(), 3u);
  const Event& like = out.events[3];
  EXPECT_EQ(like.kind, Kind::kLike);
  EXPECT_EQ(like.actor, "facebook:José Ramírez");
  EXPECT_EQ(like.targets, std::vector<std::string>{"facebook:Omar Haddad"});
  EXPECT_DOUBLE_EQ(like.time, 1700100000.0);  // reactions take their message's time
  EXPECT_EQ(like.native_id, hike.native_id + ":reaction:José Ramírez");

  const Event& call = out.events[7];
  EXPECT_EQ(call.kind, Kind::kCall);
  EXPECT_EQ(call.actor, "facebook:Zoë Durand");
  EXPECT_EQ(call.targets, std::vector<std::string>{"facebook:Maya Lin"});
  EXPECT_EQ(call.duration, 125);

  ASSERT_EQ(out.rejects.size(), 3u);
  const std::string group =
      kData + "/export_2022/messages/inbox/group_hikingcrew_def456/message_1.json";
  const std::string maya = kData + "/export_2022/messages/inbox/mayalin_abc123/message_1.json";
  EXPECT_EQ(out.rejects[0].file, group);
  EXPECT_EQ(out.rejects[0].line, 25);
  EXPECT_EQ(out.rejects[0].byte_offset, 473);
  EXPECT_EQ(out.rejects[0].reason, "message 2 has no sender_name; it cannot be read");
  EXPECT_EQ(out.rejects[0].raw.substr(0, 26), "{\n      \"timestamp_ms\": 17");
  EXPECT_EQ(out.rejects[0].raw.back(), '}');
  EXPECT_EQ(out.rejects[1].file, maya);
  EXPECT_EQ(out.rejects[1].line, 32);
  EXPECT_EQ(out.rejects[1].byte_offset, 686);
  EXPECT_EQ(out.rejects[1].reason, "message 3 has no timestamp_ms; it cannot be read");
  EXPECT_EQ(out.rejects[1].hint, "every message needs \"sender_name\" and \"timestamp_ms\"");
  EXPECT_EQ(out.rejects[2].file, maya);
  EXPECT_EQ(out.rejects[2].line, 38);
  EXPECT_EQ(out.rejects[2].byte_offset, 830);
  EXPECT_EQ(out.rejects[2].reason,
            "reaction 2 of message 4: \"Zoë Durand\" reacted to their own message; skipped, as "
            "it is no interaction with anyone");
  // The reaction's JSON, minified by simdjson (the mojibake as it is in the file, decoded).
  EXPECT_TRUE(out.rejects[2].raw.starts_with(R"({"reaction":")"));
  EXPECT_NE(out.rejects[2].raw.find(R"("actor":"ZoÃ« Durand"})"), std::string::npos);

  // Display names, once per identity, repaired.
  std::set<std::string> named;
  for (const IdentityHint& hint : hints) {
    if (!hint.is_owner) {
      EXPECT_TRUE(named.insert(hint.identity).second) << hint.identity;
      EXPECT_EQ("facebook:" + hint.display_name, hint.identity);
    }
  }
  EXPECT_EQ(named, (std::set<std::string>{"facebook:Zoë Durand", "facebook:Maya Lin",
                                          "facebook:Omar Haddad", "facebook:José Ramírez"}));
}

TEST(IngestMessengerTest, ReadsNewerLayoutAndFallsBackToFolderName) {
  std::vector<IdentityHint> hints;
  Collected out = ReadWithHints(kData + "/export_2024", &hints, testing::KeepText());
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 3);
  EXPECT_EQ(out.counts.emitted, 3);
  EXPECT_EQ(CountKinds(out)[Kind::kMessage], 3);
  EXPECT_EQ(Owners(hints), std::vector<std::string>{"facebook:Zoë Durand"});
  // leamartin_mno345 (no thread_path: the folder name keys it) comes before samlee_ghi789.
  EXPECT_EQ(out.events[0].actor, "facebook:Léa Martin");
  EXPECT_EQ(out.events[0].text, "salut");
  EXPECT_EQ(out.events[1].actor, "facebook:Zoë Durand");
  EXPECT_EQ(out.events[1].targets, std::vector<std::string>{"facebook:Sam Lee"});
  EXPECT_EQ(out.events[1].text, "hi!");
}

TEST(IngestMessengerTest, NativeIdsAreStableAndUnique) {
  Collected first = testing::ReadPath(kData + "/export_2022");
  Collected second = testing::ReadPath(kData + "/export_2022");
  ASSERT_EQ(first.events.size(), second.events.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < first.events.size(); ++i) {
    EXPECT_EQ(first.events[i].native_id, second.events[i].native_id);
    EXPECT_TRUE(ids.insert(first.events[i].native_id).second) << first.events[i].native_id;
  }
  // Omar's two identical messages (same sender and millisecond) differ by their occurrence.
  const std::string& last = first.events.back().native_id;
  const std::string& before = first.events[first.events.size() - 2].native_id;
  EXPECT_EQ(last.substr(0, 16), before.substr(0, 16));
  EXPECT_EQ(before.substr(16), "-1");
  EXPECT_EQ(last.substr(16), "-2");

  // A file read on its own gives the same ids as in the folder read (the thread path keys them),
  // and no owner: one thread cannot show who the owner is.
  std::vector<IdentityHint> hints;
  Collected one = ReadWithHints(
      kData + "/export_2022/messages/archived_threads/omarhaddad_jkl012/message_1.json", &hints);
  ASSERT_EQ(one.events.size(), 2u);
  EXPECT_EQ(one.events[1].native_id, last);
  EXPECT_TRUE(Owners(hints).empty());
}

constexpr std::string_view kInline = R"({
  "participants": [{"name": "Zo\u00c3\u00ab"}, {"name": "Caf\u00e9 Owner"}, {"name": "\u4e2d\u6587"}],
  "messages": [
    {"sender_name": "Zo\u00c3\u00ab", "timestamp_ms": 1700000000123,
     "content": "J\u00e2\u0080\u0099arrive \u00f0\u009f\u0098\u0080"},
    {"sender_name": "Caf\u00e9 Owner", "timestamp_ms": 1700000001000, "content": "Caf\u00e9",
     "reactions": [{"reaction": "\u00e2\u009d\u00a4"}, {"actor": "Zo\u00c3\u00ab", "reaction": "\u00e2\u009d\u00a4"}]},
    [1, 2],
    {"sender_name": "\u4e2d\u6587", "timestamp_ms": "soon"},
    {"sender_name": "\u4e2d\u6587", "timestamp_ms": 1700000002000, "type": "Call", "call_duration": "long"},
    {"sender_name": "\u4e2d\u6587", "timestamp_ms": 1700000003000, "type": "Call"}
  ],
  "title": "Test", "is_still_participant": true, "thread_path": "inbox/test_1"
}
)";

TEST(IngestMessengerTest, RepairsMojibakeOnlyWhenItIsMojibake) {
  Collected out =
      testing::ReadText(kInline, Format::kMessenger, "message_1.json", testing::KeepText());
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 8);  // 6 messages and 2 reactions
  EXPECT_EQ(out.counts.emitted, 4);
  EXPECT_EQ(out.counts.rejected, 4);
  ASSERT_EQ(out.events.size(), 4u);
  // UTF-8 bytes escaped one by one are repaired; a real "é" (U+00E9 alone is not UTF-8) and
  // characters above U+00FF are left as they are.
  EXPECT_EQ(out.events[0].actor, "facebook:Zoë");
  EXPECT_EQ(out.events[0].text, "J’arrive 😀");
  EXPECT_DOUBLE_EQ(out.events[0].time, 1700000000.123);
  EXPECT_EQ(out.events[0].targets,
            (std::vector<std::string>{"facebook:Café Owner", "facebook:中文"}));
  EXPECT_EQ(out.events[1].actor, "facebook:Café Owner");
  EXPECT_EQ(out.events[1].text, "Café");
  EXPECT_EQ(out.events[2].kind, Kind::kLike);
  EXPECT_EQ(out.events[2].actor, "facebook:Zoë");
  EXPECT_EQ(out.events[2].text, "❤");
  // A call without call_duration has an unknown duration (0).
  EXPECT_EQ(out.events[3].kind, Kind::kCall);
  EXPECT_EQ(out.events[3].duration, 0);

  ASSERT_EQ(out.rejects.size(), 4u);
  EXPECT_EQ(out.rejects[0].reason, "reaction 1 of message 2 has no actor");
  EXPECT_EQ(out.rejects[0].line, 6);  // the line of its message
  EXPECT_EQ(out.rejects[0].raw, "{\"reaction\":\"â\xC2\x9D¤\"}");
  EXPECT_EQ(out.rejects[1].reason, "message 3 is not a JSON object");
  EXPECT_EQ(out.rejects[1].line, 8);
  EXPECT_EQ(out.rejects[1].raw, "[1,2]");
  EXPECT_EQ(out.rejects[2].reason, "message 4: timestamp_ms \"soon\" is not a time");
  EXPECT_EQ(out.rejects[2].line, 9);
  EXPECT_EQ(out.rejects[2].raw, R"({"sender_name": "\u4e2d\u6587", "timestamp_ms": "soon"})");
  EXPECT_EQ(out.rejects[3].reason, "message 5: call_duration \"long\" is not a number of seconds");
  EXPECT_EQ(out.rejects[3].line, 10);
  EXPECT_EQ(out.rejects[3].byte_offset,
            static_cast<int64_t>(kInline.find("{\"sender_name\": \"\\u4e2d\\u6587\", "
                                              "\"timestamp_ms\": 1700000002000")));
}

TEST(IngestMessengerTest, BrokenFileIsOneReject) {
  const std::string truncated(kInline.substr(0, 200));
  Collected out = testing::ReadText(truncated, Format::kMessenger, "inbox/t_1/message_2.json");
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 1);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].file, "inbox/t_1/message_2.json");
  EXPECT_EQ(out.rejects[0].line, 1);
  EXPECT_EQ(out.rejects[0].byte_offset, 0);
  EXPECT_EQ(out.rejects[0].raw, truncated);
  EXPECT_EQ(out.rejects[0].reason.substr(0, 16), "not valid JSON (");
  EXPECT_NE(out.rejects[0].reason.find("none of the file's messages were read"), std::string::npos);

  Collected other = testing::ReadText(R"({"participants": []})", Format::kMessenger, "x.json");
  ASSERT_EQ(other.rejects.size(), 1u);
  EXPECT_EQ(other.rejects[0].reason,
            "not a Messenger message file: no \"messages\" array at the top level");

  Collected empty =
      testing::ReadText(R"({"participants": [], "messages": []})", Format::kMessenger, "x.json");
  EXPECT_EQ(empty.counts.records, 0);
}

TEST(IngestMessengerTest, FolderWithoutThreadsIsAnError) {
  testing::ScratchDir dir;
  std::string file = dir.Write("notes.txt", "nothing\n");
  std::string folder = file.substr(0, file.rfind('/'));
  Result<ReadCounts> result =
      ReadFile(folder, testing::WithFormat(Format::kMessenger), nullptr, nullptr);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("no Messenger thread found"), std::string::npos);
}

}  // namespace
}  // namespace rapport::ingest
