// Tests of the X/Twitter archive reader: the real sample archive (counts by kind, the owner's top
// identities, owner hints, stable ids) and hand-written files for the mapping and every reject.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ingest_test_util.h"
#include "rapport/ingest/reader.h"

namespace rapport::ingest {
namespace {

using testing::Collected;
using testing::ReadPath;
using testing::ReadText;
using testing::ScratchDir;

const std::string kSample = RAPPORT_SHARED_DATA "/export-samples/twitter-archive-milahu104";

std::map<Kind, int> CountKinds(const std::vector<Event>& events) {
  std::map<Kind, int> kinds;
  for (const Event& event : events) ++kinds[event.kind];
  return kinds;
}

std::vector<IdentityHint> g_hints;
ReadOptions Collecting(ReadOptions options = {}) {
  g_hints.clear();
  options.on_identity = [](IdentityHint&& hint) { g_hints.push_back(std::move(hint)); };
  return options;
}

Collected Twitter(std::string_view text, const std::string& name, ReadOptions options = {}) {
  return ReadText(text, Format::kTwitterArchive, name, options);
}

// Expected values below were computed independently of this reader with a Python script (json
// module on the sample's files, the mapping rules of docs/formats-social.md re-implemented):
// 2,045 tweets give 1,751 replies, 507 mention events, 194 shares (RTs of others plus quotes),
// 79 posts (plain tweets, threads, self-retweets); 486 tweets yield a second or third event.
// like.js: 771 likes whose author is known (from tweets the owner replied to or quoted), 27 likes
// of the owner's own tweets, 5,910 likes of unknown authors (X's like.js has no author).
// follower.js 61 + following.js 167 = 228 follows.
TEST(IngestTwitterTest, SampleArchiveCountsByKind) {
  Collected out = ReadPath(kSample, Collecting());
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.counts.records, 9467);
  EXPECT_EQ(out.counts.emitted, 3530);
  EXPECT_EQ(out.counts.rejected, 5937);
  std::map<Kind, int> kinds = CountKinds(out.events);
  EXPECT_EQ(kinds[Kind::kReply], 1751);
  EXPECT_EQ(kinds[Kind::kMention], 507);
  EXPECT_EQ(kinds[Kind::kShare], 194);
  EXPECT_EQ(kinds[Kind::kPost], 79);
  EXPECT_EQ(kinds[Kind::kLike], 771);
  EXPECT_EQ(kinds[Kind::kFollow], 228);
  int unknown_author = 0, own = 0;
  for (const Reject& reject : out.rejects) {
    EXPECT_TRUE(reject.file.ends_with("like.js")) << reject.file;
    if (reject.reason.ends_with("the archive does not say whose tweet it was")) ++unknown_author;
    if (reject.reason.starts_with("like of the owner's own tweet")) ++own;
  }
  EXPECT_EQ(unknown_author, 5910);
  EXPECT_EQ(own, 27);
  // The first like is on line 2 of like.js, its tweet 2029894586810667242 has no author.
  ASSERT_FALSE(out.rejects.empty());
  EXPECT_EQ(out.rejects[0].line, 2);
  EXPECT_EQ(out.rejects[0].byte_offset, 28);  // after "window.YTD.like.part0 = [\n  "
  EXPECT_EQ(out.rejects[0].reason,
            "like of tweet 2029894586810667242: the archive does not say whose tweet it was");
  for (const Event& event : out.events) {
    EXPECT_EQ(event.source, "twitter");
    EXPECT_EQ(event.channel, Channel::kTwitter);
    EXPECT_FALSE(event.is_private);
  }
}

// The owner's ten most frequent targets over the owner's events (replies, mentions, shares,
// likes, follows), computed independently with the same Python script (collections.Counter over
// the targets of the owner's events); the 11th has 25, so there is no tie at the cut.
TEST(IngestTwitterTest, SampleArchiveTopIdentitiesOfOwner) {
  Collected out = ReadPath(kSample);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  std::map<std::string, int> by_target;
  for (const Event& event : out.events) {
    if (event.actor != "@milahu104") continue;
    for (const std::string& target : event.targets) ++by_target[target];
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [target, count] : by_target) ranked.emplace_back(-count, target);
  std::sort(ranked.begin(), ranked.end());
  ranked.resize(10);
  const std::vector<std::pair<int, std::string>> golden = {
      {-255, "@SamaHoole"},     {-96, "@E_Boeminghaus"}, {-76, "@grok"},
      {-72, "@shlomo96"},       {-67, "@HealthRanger"},  {-45, "@RoguesPhilo"},
      {-35, "@OutdoorChiemga"}, {-31, "@SHomburg"},      {-29, "@docbrandenburg"},
      {-26, "@Politikmit_Kopf"}};
  EXPECT_EQ(ranked, golden);
}

TEST(IngestTwitterTest, SampleArchiveOwnerFromManifest) {
  Collected out = ReadPath(kSample, Collecting());
  ASSERT_TRUE(out.status.ok());
  bool handle = false, id = false;
  for (const IdentityHint& hint : g_hints) {
    if (hint.identity == "@milahu104") {
      handle = true;
      EXPECT_TRUE(hint.is_owner);
      EXPECT_EQ(hint.same_as, "twitter:1964312974236991488");
      EXPECT_EQ(hint.display_name, "Milan Hauth");
      EXPECT_EQ(hint.reason, "X archive: screen name and account id of one account");
    }
    if (hint.identity == "twitter:1964312974236991488") id = hint.is_owner;
  }
  EXPECT_TRUE(handle);
  EXPECT_TRUE(id);
  // A mention names the account's id: the two identities are linked.
  EXPECT_TRUE(std::any_of(g_hints.begin(), g_hints.end(), [](const IdentityHint& hint) {
    return hint.identity == "@SamaHoole" && hint.same_as == "twitter:2253756806" &&
           hint.display_name == "Sama Hoole";
  }));
  // Followers are numeric ids and follow the owner.
  EXPECT_TRUE(std::any_of(out.events.begin(), out.events.end(), [](const Event& event) {
    return event.kind == Kind::kFollow && event.actor == "twitter:2027445139539693568" &&
           event.targets == std::vector<std::string>{"@milahu104"} &&
           event.native_id == "follower:1964312974236991488:2027445139539693568";
  }));
}

TEST(IngestTwitterTest, SampleArchiveReadTwiceGivesSameUniqueIds) {
  Collected first = ReadPath(kSample);
  Collected second = ReadPath(kSample);
  ASSERT_EQ(first.events.size(), second.events.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < first.events.size(); ++i) {
    EXPECT_EQ(first.events[i].native_id, second.events[i].native_id);
    EXPECT_TRUE(ids.insert(first.events[i].native_id).second) << first.events[i].native_id;
  }
}

TEST(IngestTwitterTest, SampleTweetsFileAloneUsesManifestBesideIt) {
  Collected out = ReadPath(kSample + "/tweets.js");
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.counts.emitted, 2531);
  ASSERT_FALSE(out.events.empty());
  // The first tweet: "Fri Mar 06 13:02:05 +0000 2026", a reply to an account whose screen name
  // the archive leaves out here (1964312974236991488 is the owner: a thread) mentioning SamaHoole.
  EXPECT_EQ(out.events[0].time, 1772802125.0);
  EXPECT_EQ(out.events[0].actor, "@milahu104");
  EXPECT_EQ(out.events[0].native_id, "2029905358261502168");
}

constexpr std::string_view kOwnerAccount = R"(window.YTD.account.part0 = [
  {
    "account" : {
      "email" : "ann@example.org",
      "username" : "ann",
      "accountId" : "100",
      "accountDisplayName" : "Ann A."
    }
  }
])";

// Tweets of owner @ann (id 100), one per case, in X's layout.
constexpr std::string_view kTweets = R"(window.YTD.tweets.part0 = [
  { "tweet" : { "id_str" : "1", "created_at" : "Fri Mar 06 13:02:05 +0000 2026",
      "full_text" : "hello world", "entities" : { "user_mentions" : [ ], "urls" : [ ] } } },
  { "tweet" : { "id_str" : "2", "created_at" : "Sat Mar 07 10:00:00 +0100 2026",
      "full_text" : "@bob @cat yes", "in_reply_to_screen_name" : "bob",
      "in_reply_to_user_id_str" : "200", "in_reply_to_status_id_str" : "900",
      "entities" : { "user_mentions" : [
        { "name" : "Bob", "screen_name" : "bob", "id_str" : "200" },
        { "name" : "Cat", "screen_name" : "cat", "id_str" : "300" },
        { "name" : "Ann A.", "screen_name" : "ann", "id_str" : "100" } ] } } },
  { "tweet" : { "id_str" : "3", "created_at" : "Sat Mar 07 10:00:01 +0000 2026",
      "full_text" : "more, in a thread", "in_reply_to_screen_name" : "ann",
      "in_reply_to_user_id_str" : "100", "entities" : { "user_mentions" : [ ] } } },
  { "tweet" : { "id_str" : "4", "created_at" : "Sat Mar 07 10:00:02 +0000 2026",
      "full_text" : "RT @dan: a scoop", "entities" : { "user_mentions" : [
        { "name" : "Dan", "screen_name" : "dan", "id_str" : "400" } ] } } },
  { "tweet" : { "id_str" : "5", "created_at" : "Sat Mar 07 10:00:03 +0000 2026",
      "full_text" : "RT @ann: me again", "entities" : { "user_mentions" : [ ] } } },
  { "tweet" : { "id_str" : "6", "created_at" : "Sat Mar 07 10:00:04 +0000 2026",
      "full_text" : "look https://t.co/x", "entities" : { "urls" : [
        { "expanded_url" : "https://x.com/eve/status/901" } ] } } },
  { "tweet" : { "id_str" : "7", "created_at" : "yesterday", "full_text" : "?" } },
  { "tweet" : { "created_at" : "Sat Mar 07 10:00:04 +0000 2026", "full_text" : "?" } },
  { "tweet" : { "id_str" : "8", ] },
  { "tweet" : { "id_str" : "9", "created_at" : "Sat Mar 07 10:00:04 +0000 2026"
)";

TEST(IngestTwitterTest, MapsTweetsAndRejectsWithReasons) {
  ScratchDir dir;
  dir.Write("account.js", kOwnerAccount);
  std::string path = dir.Write("tweets.js", kTweets);
  Collected out = ReadPath(path, Collecting(testing::KeepText()));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  // 10 tweets: 6 read (tweet 2 gives a reply and a mention), 4 rejected.
  EXPECT_EQ(out.counts.records, 11);
  ASSERT_EQ(out.events.size(), 7u);
  ASSERT_EQ(out.rejects.size(), 4u);

  EXPECT_EQ(out.events[0].kind, Kind::kPost);
  EXPECT_TRUE(out.events[0].targets.empty());
  EXPECT_EQ(out.events[0].actor, "@ann");
  EXPECT_EQ(out.events[0].actor_name, "Ann A.");
  EXPECT_EQ(out.events[0].text, "hello world");
  EXPECT_EQ(out.events[0].native_id, "1");

  EXPECT_EQ(out.events[1].kind, Kind::kReply);
  EXPECT_EQ(out.events[1].time, 1772874000.0);  // 10:00 at +0100 is 09:00 UTC
  EXPECT_EQ(out.events[1].targets, std::vector<std::string>{"@bob"});
  EXPECT_EQ(out.events[1].target_names, std::vector<std::string>{"Bob"});
  EXPECT_EQ(out.events[1].native_id, "2");
  EXPECT_EQ(out.events[2].kind, Kind::kMention);  // the owner's own mention is left out
  EXPECT_EQ(out.events[2].targets, std::vector<std::string>{"@cat"});
  EXPECT_EQ(out.events[2].native_id, "2:mention");

  EXPECT_EQ(out.events[3].kind, Kind::kPost);  // a reply to oneself: a thread
  EXPECT_EQ(out.events[3].native_id, "3");
  EXPECT_EQ(out.events[4].kind, Kind::kShare);
  EXPECT_EQ(out.events[4].targets, std::vector<std::string>{"@dan"});
  EXPECT_EQ(out.events[5].kind, Kind::kPost);  // a retweet of oneself
  EXPECT_EQ(out.events[5].native_id, "5");
  EXPECT_EQ(out.events[6].kind, Kind::kShare);  // a quote
  EXPECT_EQ(out.events[6].targets, std::vector<std::string>{"@eve"});

  EXPECT_EQ(out.rejects[0].reason, "tweet 7: unparsable created_at \"yesterday\"");
  EXPECT_EQ(out.rejects[0].hint, "X writes created_at like \"Fri Mar 06 13:02:05 +0000 2026\"");
  EXPECT_EQ(out.rejects[0].line, 22);
  EXPECT_EQ(out.rejects[1].reason, "tweet without \"id_str\"");
  EXPECT_EQ(out.rejects[1].line, 23);
  EXPECT_EQ(out.rejects[2].reason.rfind("malformed JSON in this tweet: ", 0), 0u)
      << out.rejects[2].reason;
  EXPECT_EQ(out.rejects[2].line, 24);
  EXPECT_EQ(out.rejects[2].raw, R"({ "tweet" : { "id_str" : "8", ] })");
  EXPECT_EQ(out.rejects[2].byte_offset,
            static_cast<int64_t>(kTweets.find(R"({ "tweet" : { "id_str" : "8")")));
  EXPECT_EQ(out.rejects[3].reason, "the file ends inside this tweet");
  EXPECT_EQ(out.rejects[3].line, 25);
  // Hints: the owner, and handle = id links for the accounts the tweets name.
  EXPECT_TRUE(std::any_of(g_hints.begin(), g_hints.end(), [](const IdentityHint& hint) {
    return hint.identity == "@ann" && hint.is_owner && hint.same_as == "twitter:100";
  }));
  EXPECT_TRUE(std::any_of(g_hints.begin(), g_hints.end(), [](const IdentityHint& hint) {
    return hint.identity == "@cat" && hint.same_as == "twitter:300" && hint.display_name == "Cat";
  }));
}

TEST(IngestTwitterTest, LikesNeedAnAuthor) {
  constexpr std::string_view kLikes = R"(window.YTD.like.part0 = [
  { "like" : { "tweetId" : "2029894586810667242", "fullText" : "hi",
               "expandedUrl" : "https://twitter.com/bob/status/2029894586810667242" } },
  { "like" : { "tweetId" : "2029894586810667243",
               "expandedUrl" : "https://twitter.com/i/web/status/2029894586810667243" } },
  { "like" : { "tweetId" : "12", "expandedUrl" : "https://x.com/cat/status/12" } },
  { "like" : { "fullText" : "no id" } },
  ,
  { "like" : { "tweetId" : "13", "expandedUrl" : "https://x.com/ann/status/13" } }
])";
  ReadOptions options;
  options.undated_time = 1700000000;
  Collected out = Twitter(kLikes, "like.js", options);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_EQ(out.counts.records, 6);
  ASSERT_EQ(out.events.size(), 3u);
  EXPECT_EQ(out.events[0].kind, Kind::kLike);
  EXPECT_EQ(out.events[0].actor, "me");  // a lone like.js does not say whose archive it is
  EXPECT_EQ(out.events[0].targets, std::vector<std::string>{"@bob"});
  // The liked tweet's Snowflake time, (id >> 22) + 1288834974657 ms, checked with Python.
  EXPECT_DOUBLE_EQ(out.events[0].time, 1772799557.77);
  EXPECT_EQ(out.events[0].native_id, "like:me:2029894586810667242");
  EXPECT_EQ(out.events[1].time, 1700000000);  // a pre-Snowflake id: undated
  EXPECT_EQ(out.events[2].targets, std::vector<std::string>{"@ann"});  // owner unknown here
  ASSERT_EQ(out.rejects.size(), 3u);
  EXPECT_EQ(out.rejects[0].reason,
            "like of tweet 2029894586810667243: the archive does not say whose tweet it was");
  EXPECT_EQ(out.rejects[0].line, 4);
  EXPECT_EQ(out.rejects[1].reason, "like without \"tweetId\"");
  EXPECT_EQ(out.rejects[1].line, 7);
  EXPECT_EQ(out.rejects[2].reason, "empty record (two commas in a row)");
  EXPECT_EQ(out.rejects[2].line, 8);
}

TEST(IngestTwitterTest, FollowsAreUndated) {
  ReadOptions options;
  options.undated_time = 1700000000;
  Collected followers = Twitter(
      R"(window.YTD.follower.part0 = [ { "follower" : { "accountId" : "7" } }, { "follower" : { } } ])",
      "follower.js", options);
  ASSERT_EQ(followers.events.size(), 1u);
  EXPECT_EQ(followers.events[0].actor, "twitter:7");
  EXPECT_EQ(followers.events[0].targets, std::vector<std::string>{"me"});
  EXPECT_EQ(followers.events[0].time, 1700000000);
  ASSERT_EQ(followers.rejects.size(), 1u);
  EXPECT_EQ(followers.rejects[0].reason, "follower without \"accountId\"");
  Collected following =
      Twitter(R"(window.YTD.following.part0 = [ { "following" : { "accountId" : "8" } } ])",
              "following.js", options);
  ASSERT_EQ(following.events.size(), 1u);
  EXPECT_EQ(following.events[0].actor, "me");
  EXPECT_EQ(following.events[0].targets, std::vector<std::string>{"twitter:8"});
  EXPECT_EQ(following.events[0].native_id, "following:me:8");
}

TEST(IngestTwitterTest, DirectMessagesAndReactions) {
  ScratchDir dir;
  dir.Write("account.js", kOwnerAccount);
  dir.Write("tweets.js", "window.YTD.tweets.part0 = [ ]");
  dir.Write("direct-messages.js", R"(window.YTD.direct_messages.part0 = [
  { "dmConversation" : { "conversationId" : "100-200", "messages" : [
    { "messageCreate" : { "recipientId" : "200", "reactions" : [
        { "senderId" : "200", "reactionKey" : "like", "eventId" : "5",
          "createdAt" : "2024-03-01T12:31:00.000Z" } ],
      "text" : "lunch?", "senderId" : "100", "id" : "1001",
      "createdAt" : "2024-03-01T12:30:00.000Z" } },
    { "messageCreate" : { "recipientId" : "100", "text" : "yes", "senderId" : "200",
      "id" : "1002", "createdAt" : "not a time" } } ] } }
])");
  dir.Write("direct-messages-group.js", R"(window.YTD.direct_messages_group.part0 = [
  { "dmConversation" : { "conversationId" : "g1", "messages" : [
    { "joinConversation" : { "initiatingUserId" : "200", "participantsSnapshot" : [ "100", "200", "300" ],
      "createdAt" : "2024-03-02T00:00:00.000Z" } },
    { "messageCreate" : { "text" : "hi all", "senderId" : "300", "id" : "2001",
      "createdAt" : "2024-03-02T00:01:00.000Z" } },
    { "pollCreate" : { "id" : "2002" } } ] } }
])");
  std::string any = dir.Write("following.js", "window.YTD.following.part0 = []");
  Collected out = ReadPath(any.substr(0, any.rfind('/')));  // the folder
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_EQ(out.events.size(), 3u);
  EXPECT_EQ(out.events[0].kind, Kind::kMessage);
  EXPECT_TRUE(out.events[0].is_private);
  EXPECT_EQ(out.events[0].actor, "@ann");
  EXPECT_EQ(out.events[0].targets, std::vector<std::string>{"twitter:200"});
  EXPECT_EQ(out.events[0].native_id, "dm:1001");
  EXPECT_EQ(out.events[1].kind, Kind::kLike);
  EXPECT_EQ(out.events[1].actor, "twitter:200");
  EXPECT_EQ(out.events[1].targets, std::vector<std::string>{"@ann"});
  EXPECT_EQ(out.events[1].native_id, "dm:1001:reaction:1");
  EXPECT_EQ(out.events[2].actor, "twitter:300");
  EXPECT_EQ(out.events[2].targets, (std::vector<std::string>{"@ann", "twitter:200"}));
  ASSERT_EQ(out.rejects.size(), 2u);
  EXPECT_EQ(out.rejects[0].reason, "direct message 1002: unparsable createdAt \"not a time\"");
  EXPECT_EQ(out.rejects[0].line, 9);
  EXPECT_EQ(out.rejects[1].reason, "unknown conversation entry \"pollCreate\": not read");
  EXPECT_EQ(out.rejects[1].line, 7);
}

TEST(IngestTwitterTest, WholeFileProblems) {
  Collected none = Twitter("window.YTD.tweets.part0 = {}", "tweets.js");
  ASSERT_TRUE(none.status.ok());
  ASSERT_EQ(none.rejects.size(), 1u);
  EXPECT_EQ(none.rejects[0].reason,
            "no JSON array: an X archive data file holds window.YTD.<name>.part0 = [ ... ]");
  EXPECT_EQ(none.rejects[0].line, 1);
  Collected open = Twitter("window.YTD.tweets.part0 = [\n", "tweets.js");
  ASSERT_EQ(open.rejects.size(), 1u);
  EXPECT_EQ(open.rejects[0].reason,
            "the file ends before the array is closed; records may be missing");
  EXPECT_EQ(open.rejects[0].line, 2);
  Collected trailing = Twitter("window.YTD.tweets.part0 = [ ];\nvar x = 1", "tweets.js");
  ASSERT_EQ(trailing.rejects.size(), 1u);
  EXPECT_EQ(trailing.rejects[0].reason, "9 bytes of unexpected text after the array");
  EXPECT_EQ(trailing.rejects[0].line, 2);
  Collected empty = Twitter("  \n", "tweets.js");
  EXPECT_EQ(empty.counts.records, 0);
  Collected unknown = Twitter("window.YTD.ip_audit.part0 = []", "ip-audit.js");
  EXPECT_EQ(unknown.status.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rapport::ingest
