// One generated person, maya, across three real export formats: her X archive, her mailbox and
// her WordPress blog. The imports must make her one person ("me") and show her relationships
// across channels: ben, whom she knows only by email and blog comments, must rank above lou,
// whose tweets she only likes.
#include <fmt/format.h>
#include <gmock/gmock.h>

#include <ctime>

#include "cli_test_util.h"

namespace rapport::cli::testing {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kStart = 1704067200;  // 2024-01-01T00:00:00Z
constexpr int64_t kWeek = 7 * 86400;
constexpr int kWeeks = 30;

// t (epoch seconds) in UTC, formatted with strftime's `pattern`.
std::string Utc(int64_t t, const char* pattern) {
  std::time_t time = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char text[64];
  std::strftime(text, sizeof text, pattern, &tm);
  return text;
}
std::string Rfc2822(int64_t t) { return Utc(t, "%a, %d %b %Y %H:%M:%S +0000"); }
std::string Gmt(int64_t t) { return Utc(t, "%Y-%m-%d %H:%M:%S"); }
std::string TwitterTime(int64_t t) { return Utc(t, "%a %b %d %H:%M:%S +0000 %Y"); }

// A tweet id whose Snowflake time is t.
uint64_t Snowflake(int64_t t) { return static_cast<uint64_t>(t * 1000 - 1288834974657) << 22; }

class CliCrossChannelTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    std::filesystem::create_directories(dir_ / "x" / "data");
    WriteFile("x/data/account.js",
              "window.YTD.account.part0 = [ { \"account\" : { \"email\" : \"maya@example.org\", "
              "\"username\" : \"maya\", \"accountId\" : \"100\", \"accountDisplayName\" : "
              "\"Maya\" } } ]");
    std::string tweets = "window.YTD.tweets.part0 = [\n";
    std::string likes = "window.YTD.like.part0 = [\n";
    std::string mbox;
    std::string comments;
    for (int w = 0; w < kWeeks; ++w) {
      const int64_t t = kStart + w * kWeek;
      tweets += fmt::format(
          "{}{{ \"tweet\" : {{ \"id_str\" : \"{}\", \"created_at\" : \"{}\", \"full_text\" : "
          "\"week {}\", \"entities\" : {{ \"user_mentions\" : [ ] }} }} }}\n",
          w ? "," : "", Snowflake(t + 3600), TwitterTime(t + 3600), w);
      likes += fmt::format(
          "{}{{ \"like\" : {{ \"tweetId\" : \"{}\", \"expandedUrl\" : "
          "\"https://twitter.com/lou/status/{}\" }} }}\n",
          w ? "," : "", Snowflake(t + 7200), Snowflake(t + 7200));
      for (int k = 0; k < 2; ++k) {
        const bool from_maya = k == 0;
        mbox += fmt::format(
            "From {} {}\nFrom: {}\nTo: {}\nDate: {}\nMessage-ID: <w{}-{}@example.org>\n"
            "Subject: week {}\n\nhello\n\n",
            from_maya ? "maya@example.org" : "ben@example.org", "Mon Jan  1 00:00:00 2024",
            from_maya ? "Maya <maya@example.org>" : "Ben Okafor <ben@example.org>",
            from_maya ? "Ben Okafor <ben@example.org>" : "Maya <maya@example.org>",
            Rfc2822(t + 86400 * (1 + k)), w, k, w);
      }
      comments += fmt::format(
          "<item><title>Post {}</title><dc:creator>maya</dc:creator><wp:post_id>{}</wp:post_id>"
          "<wp:post_date_gmt>{}</wp:post_date_gmt><wp:status>publish</wp:status>"
          "<wp:post_type>post</wp:post_type>"
          "<wp:comment><wp:comment_id>{}</wp:comment_id>"
          "<wp:comment_author><![CDATA[Ben]]></wp:comment_author>"
          "<wp:comment_author_email>ben@example.org</wp:comment_author_email>"
          "<wp:comment_date_gmt>{}</wp:comment_date_gmt><wp:comment_approved>1"
          "</wp:comment_approved><wp:comment_type></wp:comment_type>"
          "<wp:comment_parent>0</wp:comment_parent></wp:comment>"
          "<wp:comment><wp:comment_id>{}</wp:comment_id>"
          "<wp:comment_author><![CDATA[Maya]]></wp:comment_author>"
          "<wp:comment_author_email>maya@example.org</wp:comment_author_email>"
          "<wp:comment_date_gmt>{}</wp:comment_date_gmt><wp:comment_approved>1"
          "</wp:comment_approved><wp:comment_type></wp:comment_type>"
          "<wp:comment_parent>{}</wp:comment_parent></wp:comment></item>\n",
          w, 100 + w, Gmt(t + 3 * 86400), 2 * w + 1, Gmt(t + 4 * 86400), 2 * w + 2,
          Gmt(t + 4 * 86400 + 3600), 2 * w + 1);
    }
    WriteFile("x/data/tweets.js", tweets + "]");
    WriteFile("x/data/like.js", likes + "]");
    WriteFile("mail.mbox", mbox);
    WriteFile("blog.xml",
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
              "xmlns:wp=\"http://wordpress.org/export/1.2/\" "
              "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n"
              "<link>https://maya.example.org</link>\n"
              "<wp:author><wp:author_login>maya</wp:author_login><wp:author_email>"
              "maya@example.org</wp:author_email><wp:author_display_name><![CDATA[Maya]]>"
              "</wp:author_display_name></wp:author>\n" +
                  comments + "</channel></rss>\n");
  }
};

TEST_F(CliCrossChannelTest, OnePersonAcrossChannelsAndEmailPlusBlogBeatsLikes) {
  RunResult x = Run("import x");
  ASSERT_EQ(x.exit_code, 0) << x.out << x.err;
  EXPECT_THAT(x.out, HasSubstr("(twitter)"));
  RunResult mail = Run("import mail.mbox --owner maya@example.org");
  ASSERT_EQ(mail.exit_code, 0) << mail.out << mail.err;
  EXPECT_THAT(mail.out, HasSubstr(fmt::format("read {} = accepted {}", 2 * kWeeks, 2 * kWeeks)));
  RunResult blog = Run("import blog.xml");
  ASSERT_EQ(blog.exit_code, 0) << blog.out << blog.err;
  EXPECT_THAT(blog.out, HasSubstr("(wxr)"));

  // maya is one person: her handle, her account id and her address, each with its reason.
  RunResult identities = Run("identities me");
  ASSERT_EQ(identities.exit_code, 0) << identities.err;
  EXPECT_THAT(identities.out, HasSubstr("@maya"));
  EXPECT_THAT(identities.out, HasSubstr("twitter:100"));
  EXPECT_THAT(identities.out, HasSubstr("maya@example.org"));
  EXPECT_THAT(identities.out, HasSubstr("why: the archive owner's own account"));

  // Her ties span the channels: ben by email and blog, lou by likes.
  RunResult ties = Run("ties me --format csv");
  ASSERT_EQ(ties.exit_code, 0) << ties.err;
  EXPECT_THAT(ties.out, HasSubstr(",email+blog,"));
  EXPECT_THAT(ties.out, HasSubstr("@lou"));
  // ben's display name from his mail names him; he ranks above lou.
  ASSERT_NE(ties.out.find("Ben Okafor"), std::string::npos) << ties.out;
  EXPECT_LT(ties.out.find("Ben Okafor"), ties.out.find("@lou")) << ties.out;
  // Neither blog nor mail left a second maya behind: one person holds all her identities.
  const std::string people = Run("people maya").out;
  EXPECT_EQ(std::count(people.begin(), people.end(), '\n'), 2) << people;  // header + one row
  EXPECT_THAT(people, HasSubstr("wordpress:maya"));
}

}  // namespace
}  // namespace rapport::cli::testing
