// Tests of the WordPress WXR reader on the official Theme Unit Test export and on hand-written
// edge cases. The sample's counts were checked independently with Python's xml.etree on the file:
// 186 <item>s, of which 56 published posts, 21 published pages, 1 draft and 1 future post (the
// other 107 are attachments and menu items); 33 <wp:comment>s, all approved (1) but 3 pending
// (0): 4 pingbacks/trackbacks, and 29 comments among which the replies were worked out from
// wp:comment_parent and the commenters' emails (several commenters share example@example.org,
// so their replies to each other are replies to themselves and go to the post's author).
#include <fmt/format.h>
#include <gtest/gtest.h>

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

const std::string kSample = std::string(RAPPORT_SHARED_DATA) +
                            "/export-samples/wordpress-wxr/themeunittestdata.wordpress.xml";

Collected Wxr(std::string_view text, ReadOptions options = {}) {
  return ReadText(text, Format::kWxr, "blog.xml", options);
}

std::map<Kind, int> KindCounts(const Collected& out) {
  std::map<Kind, int> counts;
  for (const Event& event : out.events) ++counts[event.kind];
  return counts;
}

const Event* FindEvent(const Collected& out, const std::string& native_id) {
  for (const Event& event : out.events) {
    if (event.native_id == native_id) return &event;
  }
  return nullptr;
}

TEST(IngestWxrTest, ThemeUnitTestSample) {
  Collected out = ReadPath(kSample);  // detected from "<rss" and "wordpress.org/export"
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  // Records: 79 posts and pages + 33 comments; attachments and menu items are not records.
  EXPECT_EQ(out.counts.records, 112);
  EXPECT_EQ(out.counts.emitted, 110);
  EXPECT_EQ(out.counts.rejected, 2);
  // 77 published posts and pages, plus 2 comments by the post's own author on their post (169 on
  // page 155 and 903 on post 1148: broadcasts); 23 comments; 4 replies (1017 -> tellyworthtest2,
  // 910 and 915 themedemos -> example@example.org, 911 -> themedemos); 4 pingbacks/trackbacks.
  EXPECT_EQ(KindCounts(out),
            (std::map<Kind, int>{
                {Kind::kPost, 79}, {Kind::kComment, 23}, {Kind::kReply, 4}, {Kind::kMention, 4}}));
  ASSERT_EQ(out.rejects.size(), 2u);
  EXPECT_EQ(out.rejects[0].reason, "post with status \"future\": not published, not imported");
  EXPECT_EQ(out.rejects[1].reason, "post with status \"draft\": not published, not imported");
  EXPECT_GT(out.rejects[0].line, 1);
  EXPECT_EQ(out.rejects[0].raw.rfind("<item>", 0), 0u);

  const Event* post = FindEvent(out, "post:51");
  ASSERT_NE(post, nullptr);
  EXPECT_EQ(post->kind, Kind::kPost);
  EXPECT_EQ(post->channel, Channel::kBlog);
  EXPECT_EQ(post->actor, "themereviewteam@gmail.com");
  EXPECT_EQ(post->actor_name, "Theme Reviewer");
  EXPECT_FALSE(post->is_private);
  EXPECT_TRUE(post->targets.empty());
  EXPECT_EQ(post->source, "wordpress:wpthemetestdata.wordpress.com");
  EXPECT_EQ(post->time, 1673635085);  // 2023-01-13 18:38:05 GMT

  const Event* comment = FindEvent(out, "comment:51:2");
  ASSERT_NE(comment, nullptr);
  EXPECT_EQ(comment->kind, Kind::kComment);
  EXPECT_EQ(comment->actor, "themeshaperwp+demos@gmail.com");
  EXPECT_EQ(comment->targets, (std::vector<std::string>{"themereviewteam@gmail.com"}));

  // A pending (comment_approved 0) threaded reply, imported.
  const Event* pending = FindEvent(out, "comment:155:1017");
  ASSERT_NE(pending, nullptr);
  EXPECT_EQ(pending->kind, Kind::kReply);
  EXPECT_EQ(pending->actor, "themereviewteam@gmail.com");
  EXPECT_EQ(pending->targets, (std::vector<std::string>{"tellyworth+test2@example.com"}));
  EXPECT_EQ(pending->target_names, (std::vector<std::string>{"tellyworthtest2"}));

  // A reply from a commenter to themselves (same email) goes to the post's author as a comment.
  const Event* self = FindEvent(out, "comment:1148:905");
  ASSERT_NE(self, nullptr);
  EXPECT_EQ(self->kind, Kind::kComment);
  EXPECT_EQ(self->actor, "example@example.org");
  EXPECT_EQ(self->actor_name, "Jane Bloggs");
  EXPECT_EQ(self->targets, (std::vector<std::string>{"themeshaperwp+demos@gmail.com"}));

  const Event* ping = FindEvent(out, "comment:1149:923");
  ASSERT_NE(ping, nullptr);
  EXPECT_EQ(ping->kind, Kind::kMention);
  EXPECT_EQ(ping->actor, "http://tellyworth.wordpress.com/");
  EXPECT_TRUE(ping->actor_name.empty());

  // The stray '>' in two dc:creator values is dropped, as WordPress drops it from logins.
  for (const Event& event : out.events) EXPECT_EQ(event.actor.find('>'), std::string::npos);

  // Reading twice gives the same keys.
  Collected again = ReadPath(kSample);
  ASSERT_EQ(again.events.size(), out.events.size());
  for (size_t i = 0; i < out.events.size(); ++i) {
    EXPECT_EQ(again.events[i].native_id, out.events[i].native_id);
  }
}

TEST(IngestWxrTest, AuthorsBecomeIdentityHints) {
  std::vector<IdentityHint> hints;
  ReadOptions options;
  options.on_identity = [&](IdentityHint&& hint) { hints.push_back(std::move(hint)); };
  Collected out = ReadPath(kSample, options);
  ASSERT_TRUE(out.status.ok());
  int authors = 0;
  for (const IdentityHint& hint : hints) {
    EXPECT_FALSE(hint.is_owner);  // two authors: no owner
    if (!hint.same_as.empty()) {
      ++authors;
      if (hint.same_as == "wordpress:themedemos") {
        EXPECT_EQ(hint.identity, "themeshaperwp+demos@gmail.com");
        EXPECT_EQ(hint.display_name, "Theme Buster");
      }
    }
  }
  EXPECT_EQ(authors, 2);
}

constexpr std::string_view kHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\" xmlns:wp=\"http://wordpress.org/export/1.2/\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
    "<channel>\n"
    "<link>https://maya.example.org</link>\n"
    "<wp:author><wp:author_login>maya</wp:author_login>"
    "<wp:author_email>Maya@Example.org</wp:author_email>"
    "<wp:author_display_name><![CDATA[Maya]]></wp:author_display_name></wp:author>\n";

std::string Comment(std::string_view id, std::string_view author, std::string_view email,
                    std::string_view approved, std::string_view type, std::string_view parent,
                    std::string_view date_gmt = "2020-05-01 10:00:00", std::string_view url = "") {
  return fmt::format(
      "<wp:comment><wp:comment_id>{}</wp:comment_id>"
      "<wp:comment_author><![CDATA[{}]]></wp:comment_author>"
      "<wp:comment_author_email>{}</wp:comment_author_email>"
      "<wp:comment_author_url>{}</wp:comment_author_url>"
      "<wp:comment_date>2020-05-01 12:00:00</wp:comment_date>"
      "<wp:comment_date_gmt>{}</wp:comment_date_gmt>"
      "<wp:comment_content><![CDATA[text {}]]></wp:comment_content>"
      "<wp:comment_approved>{}</wp:comment_approved>"
      "<wp:comment_type>{}</wp:comment_type>"
      "<wp:comment_parent>{}</wp:comment_parent></wp:comment>\n",
      id, author, email, url, date_gmt, id, approved, type, parent);
}

std::string Blog(const std::string& comments, std::string_view status = "publish") {
  return fmt::format(
      "{}<item><title>Hello</title><dc:creator>maya</dc:creator><wp:post_id>7</wp:post_id>"
      "<wp:post_date_gmt>2020-04-30 09:00:00</wp:post_date_gmt><wp:status>{}</wp:status>"
      "<wp:post_type>post</wp:post_type>\n{}</item>\n"
      "<item><title>logo.png</title><dc:creator>maya</dc:creator><wp:post_id>8</wp:post_id>"
      "<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status></item>\n"
      "</channel></rss>\n",
      kHead, status, comments);
}

TEST(IngestWxrTest, CommentApprovalAndTypes) {
  std::string text =
      Blog(Comment("1", "Ann", "ann@x.org", "1", "", "0") +
           Comment("2", "Bob", "", "0", "comment", "1") +
           Comment("3", "Spammer", "s@x.org", "spam", "", "0") +
           Comment("4", "Gone", "g@x.org", "trash", "", "0") +
           Comment("5", "Odd", "o@x.org", "maybe", "", "0") +
           Comment("6", "Ann", "ANN@x.org", "1", "", "99") + Comment("7", "", "", "1", "", "0") +
           Comment("8", "Late", "l@x.org", "1", "", "0", "0000-00-00 00:00:00") +
           Comment("9", "Some post", "", "1", "pingback", "0", "2020-05-02 00:00:00",
                   "https://Other.example.net/2020/05/a-post/") +
           Comment("10", "Own post", "", "1", "pingback", "0", "2020-05-02 00:00:00",
                   "https://maya.example.org/2020/05/b/") +
           Comment("11", "Maya", "maya@example.org", "1", "", "0") +
           Comment("12", "Shop", "", "1", "order_note", "0"));
  Collected out = Wxr(text, testing::KeepText());
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  // 1 post + 12 comments; the attachment is no record.
  EXPECT_EQ(out.counts.records, 13);
  ASSERT_EQ(out.rejects.size(), 6u);
  EXPECT_EQ(out.rejects[0].reason, "spam comment: not imported");
  EXPECT_EQ(out.rejects[1].reason, "trashed comment: not imported");
  EXPECT_EQ(out.rejects[2].reason, "unknown comment_approved \"maybe\"");
  EXPECT_EQ(out.rejects[3].reason, "comment without author name or email");
  EXPECT_EQ(out.rejects[4].reason, "self-pingback: a link between two posts of this blog");
  EXPECT_EQ(out.rejects[5].reason,
            "comment_type \"order_note\" is not a comment, pingback or trackback: not imported");
  EXPECT_EQ(out.rejects[0].file, "blog.xml");
  EXPECT_EQ(out.rejects[0].line, 9);  // one comment a line, after 5 lines of head and the item
  EXPECT_EQ(out.rejects[0].byte_offset,
            static_cast<int64_t>(text.find("<wp:comment><wp:comment_id>3<")));
  EXPECT_EQ(out.rejects[0].raw.rfind("<wp:comment><wp:comment_id>3</wp:comment_id>", 0), 0u);

  ASSERT_EQ(out.events.size(), 7u);
  const Event& post = out.events[0];
  EXPECT_EQ(post.native_id, "post:7");
  EXPECT_EQ(post.source, "wordpress:maya.example.org");
  EXPECT_EQ(post.actor, "maya@example.org");
  EXPECT_EQ(post.text, "Hello");
  const Event& ann = out.events[1];
  EXPECT_EQ(ann.kind, Kind::kComment);
  EXPECT_EQ(ann.actor, "ann@x.org");
  EXPECT_EQ(ann.targets, (std::vector<std::string>{"maya@example.org"}));
  EXPECT_EQ(ann.target_names, (std::vector<std::string>{"Maya"}));
  EXPECT_EQ(ann.native_id, "comment:7:1");
  EXPECT_EQ(ann.time, 1588327200);  // 2020-05-01 10:00:00 GMT
  EXPECT_EQ(ann.text, "text 1");
  // Pending, no email: "wordpress:<name>", a reply to Ann.
  const Event& bob = out.events[2];
  EXPECT_EQ(bob.kind, Kind::kReply);
  EXPECT_EQ(bob.actor, "wordpress:Bob");
  EXPECT_EQ(bob.targets, (std::vector<std::string>{"ann@x.org"}));
  // The parent (99) is not in the file: a reply to the post's author.
  const Event& orphan = out.events[3];
  EXPECT_EQ(orphan.kind, Kind::kReply);
  EXPECT_EQ(orphan.actor, "ann@x.org");
  EXPECT_EQ(orphan.targets, (std::vector<std::string>{"maya@example.org"}));
  // A zero GMT date: the local comment_date is taken as UTC.
  EXPECT_EQ(out.events[4].time, 1588334400);  // 2020-05-01 12:00:00
  const Event& ping = out.events[5];
  EXPECT_EQ(ping.kind, Kind::kMention);
  EXPECT_EQ(ping.actor, "https://other.example.net/");
  EXPECT_EQ(ping.targets, (std::vector<std::string>{"maya@example.org"}));
  // The author commenting on her own post: a broadcast.
  EXPECT_EQ(out.events[6].kind, Kind::kPost);
  EXPECT_TRUE(out.events[6].targets.empty());
  EXPECT_EQ(out.events[6].native_id, "comment:7:11");
}

TEST(IngestWxrTest, UnpublishedPostsAndSingleAuthorOwner) {
  std::vector<IdentityHint> hints;
  ReadOptions options;
  options.on_identity = [&](IdentityHint&& hint) { hints.push_back(std::move(hint)); };
  Collected out = Wxr(Blog("", "draft"), options);
  ASSERT_TRUE(out.status.ok()) << out.status.message();
  EXPECT_EQ(out.counts.records, 1);
  ASSERT_EQ(out.rejects.size(), 1u);
  EXPECT_EQ(out.rejects[0].reason, "post with status \"draft\": not published, not imported");
  EXPECT_EQ(out.rejects[0].line, 6);
  // One author: both of her identities are the owner's, linked by the wp:author block.
  ASSERT_EQ(hints.size(), 2u);
  EXPECT_EQ(hints[0].identity, "maya@example.org");
  EXPECT_EQ(hints[0].same_as, "wordpress:maya");
  EXPECT_TRUE(hints[0].is_owner);
  EXPECT_EQ(hints[1].identity, "wordpress:maya");
  EXPECT_TRUE(hints[1].is_owner);
}

TEST(IngestWxrTest, MalformedXmlFailsTheWholeFile) {
  std::string text = Blog(Comment("1", "Ann", "ann@x.org", "1", "", "0"));
  text.replace(text.find("</wp:comment_type>"), 18, "</wp:comment_typo>");
  Collected out = Wxr(text);
  EXPECT_EQ(out.status.code(), StatusCode::kDataLoss);
  const size_t offset = text.find("</wp:comment_typo>") + 2;  // pugixml points past "</"
  EXPECT_EQ(out.status.message(),
            fmt::format("blog.xml: malformed XML at byte {} (line 7): Start-end tags mismatch; "
                        "nothing was imported from this file (a WXR file is read whole; re-export "
                        "it, or fix the XML at that place)",
                        offset));
  EXPECT_TRUE(out.events.empty());

  Collected truncated = Wxr(std::string(kHead) + "<item><title>Hel");
  EXPECT_EQ(truncated.status.code(), StatusCode::kDataLoss);

  Collected other = Wxr("<?xml version=\"1.0\"?><feed><entry/></feed>");
  EXPECT_EQ(other.status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(other.status.message().find("not a WordPress WXR export"), std::string::npos);
}

TEST(IngestWxrTest, CallbackErrorsStopTheRead) {
  Result<ReadCounts> failed = ReadBuffer(
      Blog(Comment("1", "Ann", "ann@x.org", "1", "", "0")), "blog.xml",
      testing::WithFormat(Format::kWxr), [](Event&&) { return Internal("disk full"); }, nullptr);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().message(), "blog.xml, line 6: disk full");
}

}  // namespace
}  // namespace rapport::ingest
