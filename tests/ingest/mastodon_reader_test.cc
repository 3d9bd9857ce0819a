// Tests of the Mastodon archive reader on the hand-written archive in tests/data/ingest/mastodon
// (realistic ActivityPub as Mastodon exports it, with a repeated top-level "orderedItems") and on
// small inline inputs for the rejects.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "ingest_test_util.h"
#include "rapport/ingest/reader.h"

namespace rapport::ingest {
namespace {

using testing::Collected;
using testing::ReadPath;
using testing::ReadText;

const std::string kArchive = RAPPORT_TEST_DATA "/ingest/mastodon";

std::vector<IdentityHint> g_hints;
ReadOptions Collecting() {
  g_hints.clear();
  ReadOptions options;
  options.undated_time = 1700000000;
  options.on_identity = [](IdentityHint&& hint) { g_hints.push_back(std::move(hint)); };
  return options;
}

Collected Outbox(std::string_view text) {
  return ReadText(text, Format::kMastodonArchive, "outbox.json");
}

// The fixture, item by item (outbox.json): a public post; a reply to bob that also mentions the
// local @carol (two events); a thread reply to oneself (a post); a direct note to bob (a private
// message); a followers-only note mentioning dave (a mention); a boost of dave; a boost of oneself
// (a post); a boost of a Misskey URL (rejected: no author); then the repeated "orderedItems" with
// the dave boost again (rejected as a duplicate) and a public note mentioning erin.
// likes.json: bob, dave, the owner's own status (rejected), a Misskey URL (rejected), erin.
TEST(IngestMastodonTest, ArchiveFolder) {
  Collected out = ReadPath(kArchive, Collecting());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.counts.records, 16);  // 10 activities + 1 second event + 5 likes
  EXPECT_EQ(out.counts.emitted, 12);
  EXPECT_EQ(out.counts.rejected, 4);
  std::map<Kind, int> kinds;
  for (const Event& event : out.events) {
    ++kinds[event.kind];
    EXPECT_EQ(event.source, "mastodon");
    EXPECT_EQ(event.channel, Channel::kMastodon);
    EXPECT_EQ(event.actor, "@alice@social.example");
    EXPECT_EQ(event.is_private, event.kind == Kind::kMessage);
  }
  EXPECT_EQ(kinds[Kind::kPost], 3);
  EXPECT_EQ(kinds[Kind::kReply], 1);
  EXPECT_EQ(kinds[Kind::kMention], 3);
  EXPECT_EQ(kinds[Kind::kMessage], 1);
  EXPECT_EQ(kinds[Kind::kShare], 1);
  EXPECT_EQ(kinds[Kind::kLike], 3);
  ASSERT_EQ(out.events.size(), 12u);

  const std::string status = "https://social.example/users/alice/statuses/";
  EXPECT_EQ(out.events[0].kind, Kind::kPost);
  EXPECT_EQ(out.events[0].time, 1704448800);  // 2024-01-05T10:00:00Z
  EXPECT_EQ(out.events[0].native_id, status + "111702756556800007");
  EXPECT_EQ(out.events[0].actor_name, "Alice Example");
  EXPECT_EQ(out.events[1].kind, Kind::kReply);
  EXPECT_EQ(out.events[1].targets, std::vector<std::string>{"@bob@other.example"});
  EXPECT_EQ(out.events[2].kind, Kind::kMention);
  EXPECT_EQ(out.events[2].targets, std::vector<std::string>{"@carol@social.example"});
  EXPECT_EQ(out.events[2].native_id, status + "111708654796800007#mention");
  EXPECT_EQ(out.events[3].kind, Kind::kPost);  // the thread
  EXPECT_EQ(out.events[4].kind, Kind::kMessage);
  EXPECT_EQ(out.events[4].targets, std::vector<std::string>{"@bob@other.example"});
  EXPECT_EQ(out.events[5].kind, Kind::kMention);
  EXPECT_EQ(out.events[5].targets, std::vector<std::string>{"@dave@third.example"});
  EXPECT_EQ(out.events[6].kind, Kind::kShare);
  EXPECT_EQ(out.events[6].targets, std::vector<std::string>{"@dave@third.example"});
  EXPECT_EQ(out.events[6].native_id, status + "111726349516800100/activity");
  EXPECT_EQ(out.events[7].kind, Kind::kPost);  // boosting oneself
  EXPECT_EQ(out.events[8].targets, std::vector<std::string>{"@erin@fourth.example"});
  // Likes: the liked status's time from its Mastodon id ((id >> 16) ms, checked with Python),
  // or the undated time for ids that are not time-based.
  EXPECT_EQ(out.events[9].kind, Kind::kLike);
  EXPECT_EQ(out.events[9].targets, std::vector<std::string>{"@bob@other.example"});
  EXPECT_DOUBLE_EQ(out.events[9].time, 1676582995.773);
  EXPECT_EQ(out.events[9].native_id,
            "like:@alice@social.example:https://other.example/users/bob/statuses/"
            "109876543210987654");
  EXPECT_EQ(out.events[11].targets, std::vector<std::string>{"@erin@fourth.example"});
  EXPECT_EQ(out.events[11].time, 1700000000);

  ASSERT_EQ(out.rejects.size(), 4u);
  EXPECT_EQ(out.rejects[0].reason,
            "boost of https://misskey.example/notes/9abcdefghi: the URL does not name the author");
  EXPECT_EQ(out.rejects[0].line, 124);
  EXPECT_EQ(out.rejects[1].reason,
            "duplicate activity "
            "https://social.example/users/alice/statuses/111726349516800100/activity: already "
            "read in this file");
  EXPECT_EQ(out.rejects[1].line, 136);
  EXPECT_EQ(out.rejects[2].reason,
            "like of the owner's own status "
            "https://social.example/users/alice/statuses/111702756556800007: not an interaction "
            "with anyone else");
  EXPECT_EQ(out.rejects[2].line, 8);
  EXPECT_EQ(out.rejects[3].reason,
            "like of https://misskey.example/notes/9abcdefghi: the URL does not name the author");
  EXPECT_EQ(out.rejects[3].line, 9);

  // The owner's identities, linked; mentions linked to their actor URLs.
  auto has = [](std::string_view identity, std::string_view same_as, bool is_owner) {
    return std::any_of(g_hints.begin(), g_hints.end(), [&](const IdentityHint& hint) {
      return hint.identity == identity && hint.same_as == same_as && hint.is_owner == is_owner;
    });
  };
  EXPECT_TRUE(has("@alice@social.example", "https://social.example/@alice", true));
  EXPECT_TRUE(has("@alice@social.example", "https://social.example/users/alice", true));
  EXPECT_TRUE(has("@carol@social.example", "https://social.example/users/carol", false));
}

TEST(IngestMastodonTest, ReadTwiceGivesSameIds) {
  Collected first = ReadPath(kArchive);
  Collected second = ReadPath(kArchive);
  ASSERT_EQ(first.events.size(), second.events.size());
  for (size_t i = 0; i < first.events.size(); ++i) {
    EXPECT_EQ(first.events[i].native_id, second.events[i].native_id);
  }
}

TEST(IngestMastodonTest, OutboxAloneTakesOwnerFromActivities) {
  Collected out = Outbox(R"({"orderedItems": [
  {"id": "https://m.example/users/zoe/statuses/1/activity", "type": "Create",
   "actor": "https://m.example/users/zoe", "published": "2024-01-01T00:00:00Z",
   "object": {"id": "https://m.example/users/zoe/statuses/1", "type": "Note",
     "published": "2024-01-01T00:00:00Z", "inReplyTo": "https://pleroma.example/notice/abc",
     "to": ["https://www.w3.org/ns/activitystreams#Public"],
     "tag": [{"type": "Mention", "href": "https://pleroma.example/users/yan", "name": "@yan@pleroma.example"}]}},
  {"id": "x", "type": "Create", "actor": "https://m.example/users/zoe", "published": "2024-01-01T00:00:00Z",
   "object": {"id": "https://m.example/users/zoe/statuses/2", "type": "Note", "published": "2024-01-01",
     "to": [], "cc": []}},
  {"id": "y", "type": "Like", "object": "https://m.example/users/bo/statuses/3"},
  {"id": "z", "type": "Create", "object": "https://m.example/users/zoe/statuses/4"},
  {"id": "w", "type": "Create", "object": {"id": "https://m.example/users/zoe/statuses/5", "type": "Note", "published": "soon"}},
  {"id": "v", "type": "Announce", "published": "2024-01-01T00:00:00Z"},
  [1,
  ]})");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.events.size(), 1u);
  // The replied-to status is on a server whose URLs name no one: the mention still counts.
  EXPECT_EQ(out.events[0].kind, Kind::kMention);
  EXPECT_EQ(out.events[0].actor, "@zoe@m.example");
  EXPECT_EQ(out.events[0].targets, std::vector<std::string>{"@yan@pleroma.example"});
  const std::vector<std::string> reasons = {
      "direct message https://m.example/users/zoe/statuses/2 with no recipient (a note to "
      "oneself)",
      "Like activity: not an interaction Rapport reads",
      "Create activity without an embedded object",
      "status https://m.example/users/zoe/statuses/5: unparsable published \"soon\"",
      "boost (Announce) without \"object\"",
      "the file ends inside this activity",  // "[1, ]}": the array is never closed
  };
  ASSERT_EQ(out.rejects.size(), reasons.size());
  for (size_t i = 0; i < reasons.size(); ++i) EXPECT_EQ(out.rejects[i].reason, reasons[i]);
  EXPECT_EQ(out.rejects[0].line, 8);
  EXPECT_EQ(out.rejects[5].line, 15);
}

TEST(IngestMastodonTest, WholeFileProblems) {
  Collected none = Outbox(R"({"type": "OrderedCollection"})");
  ASSERT_EQ(none.rejects.size(), 1u);
  EXPECT_EQ(none.rejects[0].reason,
            "no \"orderedItems\" array: a Mastodon outbox.json or likes.json is an "
            "ActivityStreams OrderedCollection");
  Collected cut = Outbox("{\"orderedItems\": [\n  {\"id\": \"a\", \"type\": \"Cre");
  ASSERT_EQ(cut.rejects.size(), 1u);
  EXPECT_EQ(cut.rejects[0].reason, "the file ends inside this activity");
  EXPECT_EQ(cut.rejects[0].line, 2);
  EXPECT_EQ(cut.rejects[0].byte_offset, 21);
  Collected bad = Outbox("{\"orderedItems\": [\n{\"id\": 1,}]}");
  ASSERT_EQ(bad.rejects.size(), 1u);
  EXPECT_EQ(bad.rejects[0].reason.rfind("malformed JSON in this activity: ", 0), 0u);
  EXPECT_EQ(bad.rejects[0].line, 2);
  Collected not_array = Outbox(R"({"orderedItems": "none"})");
  ASSERT_EQ(not_array.rejects.size(), 1u);
  EXPECT_EQ(not_array.rejects[0].reason, "\"orderedItems\" is not an array");
}

}  // namespace
}  // namespace rapport::ingest
