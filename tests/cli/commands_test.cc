// End-to-end runs of the CLI: real data sets, bad input and exit codes, the journal, the demo.
#include <gmock/gmock.h>

#include "cli_test_util.h"

namespace rapport::cli::testing {
namespace {

using ::testing::HasSubstr;

// "2024-01-01" plus `week` weeks, as YYYY-MM-DD.
std::string fmt_date(int week) {
  const int day = 1 + 7 * week;
  const int month = day <= 31 ? 1 : (day <= 60 ? 2 : 3);
  const int day_of_month = month == 1 ? day : (month == 2 ? day - 31 : day - 60);
  char text[16];
  std::snprintf(text, sizeof text, "2024-%02d-%02d", month, day_of_month);
  return text;
}

int CountLines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

class CliCommandsTest : public CliTest {};

TEST_F(CliCommandsTest, CollegeMsgImportsEveryMessageOnceAndScoresEveryone) {
  const std::string path = RAPPORT_SHARED_DATA "/collegemsg/CollegeMsg.txt";
  RunResult first = Run("import '" + path + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("read 59835 = accepted 59835 + rejected 0 + duplicate 0"));
  RunResult second = Run("import '" + path + "'");
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_THAT(second.out, HasSubstr("read 59835 = accepted 0 + rejected 0 + duplicate 59835"));
  RunResult scores = Run("score --format csv");
  ASSERT_EQ(scores.exit_code, 0) << scores.err;
  EXPECT_EQ(CountLines(scores.out), 1 + 1899);  // header + one row per person
}

TEST_F(CliCommandsTest, BitcoinOtcImportsEveryRatingOnce) {
  const std::string path = RAPPORT_SHARED_DATA "/bitcoin-otc/soc-sign-bitcoinotc.csv";
  RunResult first = Run("import '" + path + "'");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("read 35592 = accepted 35592 + rejected 0 + duplicate 0"));
  RunResult second = Run("import '" + path + "'");
  EXPECT_THAT(second.out, HasSubstr("read 35592 = accepted 0 + rejected 0 + duplicate 35592"));
  RunResult scores = Run("score --format csv");
  EXPECT_EQ(CountLines(scores.out), 1 + 5881);
}

TEST_F(CliCommandsTest, BadInputIsNamedKeptAndDecidesTheExitCode) {
  WriteFile("bad.csv",
            "time,channel,kind,actor,targets\n"
            "2024-01-01,email,email,a@x.example,b@x.example\n"
            "2024-01-02,email,poke,a@x.example,b@x.example\n"
            "yesterday,email,email,a@x.example,b@x.example\n"
            "2024-01-03,email,email,a@x.example,b@x.example\n");
  RunResult result = Run("import bad.csv");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.out, HasSubstr("read 4 = accepted 2 + rejected 2 + duplicate 0"));
  EXPECT_THAT(result.err, HasSubstr("error: bad.csv:3: unknown kind \"poke\""));
  EXPECT_THAT(result.err, HasSubstr("fix: use one of: post, reply"));
  EXPECT_THAT(result.err, HasSubstr("rapport.db.rejects.tsv"));
  const std::string rejects = ReadFile("rapport.db.rejects.tsv");
  EXPECT_THAT(rejects, HasSubstr("bad.csv\t3\t"));
  EXPECT_THAT(rejects, HasSubstr("bad.csv\t4\t"));
  EXPECT_THAT(rejects, HasSubstr("yesterday,email,email,a@x.example,b@x.example"));
  // The good records before and after the bad ones are stored.
  EXPECT_THAT(Run("score --format csv").out, HasSubstr("a@x.example"));

  RunResult tolerant = Run("import bad.csv --max-rejects 2");
  EXPECT_EQ(tolerant.exit_code, 0);
  EXPECT_THAT(tolerant.out, HasSubstr("read 4 = accepted 0 + rejected 2 + duplicate 2"));
}

TEST_F(CliCommandsTest, MissingFileAndUnknownPersonFailWithExitTwo) {
  RunResult missing = Run("import no-such-file.csv");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("no-such-file.csv"));
  WriteFile("one.csv", "time,channel,kind,actor,targets\n2024-01-01,email,email,a@x,b@x\n");
  ASSERT_EQ(Run("import one.csv").exit_code, 0);
  RunResult unknown = Run("ties nobody");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("no person matches \"nobody\""));
  RunResult bad_format = Run("score --format xml");
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_THAT(bad_format.err, HasSubstr("unknown output format \"xml\""));
  RunResult empty_db = Run("--db empty.db score");
  EXPECT_EQ(empty_db.exit_code, 2);
  EXPECT_THAT(empty_db.err, HasSubstr("has no events yet"));
}

TEST_F(CliCommandsTest, JournalEntriesBuildARelationship) {
  for (int week = 0; week < 12; ++week) {
    const std::string day = fmt_date(week);
    ASSERT_EQ(Run("log meeting --with ana --at " + day + " --note 'coffee'").exit_code, 0);
    ASSERT_EQ(
        Run("log call --with ana --by-them --minutes 20 --at " + day + "T20:00:00Z").exit_code, 0);
  }
  RunResult favour = Run("log favour --with ana --at 2024-03-20 --note 'read my draft'");
  ASSERT_EQ(favour.exit_code, 0) << favour.err;
  EXPECT_THAT(favour.out,
              HasSubstr("logged: favour with ana on 2024-03-20T00:00:00Z via in_person"));
  RunResult ties = Run("ties me --format csv");
  ASSERT_EQ(ties.exit_code, 0) << ties.err;
  EXPECT_THAT(ties.out, HasSubstr(",ana,"));
  EXPECT_THAT(ties.out, HasSubstr("phone+in_person"));
  RunResult explain = Run("explain me --top 1");
  EXPECT_THAT(explain.out, HasSubstr("\"read my draft\""));
  RunResult bad_kind = Run("log poke --with ana");
  EXPECT_EQ(bad_kind.exit_code, 2);
  EXPECT_THAT(bad_kind.err, HasSubstr("unknown kind \"poke\""));
}

TEST_F(CliCommandsTest, DemoTellsTheStoryAndWritesTheReport) {
  RunResult demo = Run("--db demo.db demo --report demo.html");
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_THAT(demo.out, HasSubstr("Two scores side by side"));
  EXPECT_THAT(demo.out, HasSubstr("One week off"));
  EXPECT_THAT(demo.out, HasSubstr("rejected 0"));
  const std::string html = ReadFile("demo.html");
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, HasSubstr("Strongest ties of maya"));
  EXPECT_EQ(html.find("http"), std::string::npos);
  EXPECT_THAT(html, HasSubstr("History of maya"));
  EXPECT_THAT(html, HasSubstr("maya's network"));
  // The demo store answers the other commands.
  EXPECT_THAT(Run("--db demo.db ties maya --top 3").out, HasSubstr("Ties of maya"));

  // `report PERSON` draws that person's views; --pseudonymize leaves no name in the file.
  RunResult report = Run("--db demo.db report sam --out sam.html --points 8");
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const std::string sam = ReadFile("sam.html");
  EXPECT_THAT(sam, HasSubstr("<h1>Rapport report: sam</h1>"));
  EXPECT_THAT(sam, HasSubstr("History of sam"));
  EXPECT_THAT(sam, HasSubstr("sam's network"));
  EXPECT_THAT(sam, HasSubstr("Relationships going quiet"));
  EXPECT_EQ(sam.find("http"), std::string::npos);
  ASSERT_EQ(Run("--db demo.db report sam --out anon.html --pseudonymize").exit_code, 0);
  const std::string anon = ReadFile("anon.html");
  EXPECT_THAT(anon, HasSubstr("History of person-"));
  for (const char* name : {"sam", "maya", "blaze", "ben"}) {
    EXPECT_EQ(anon.find(std::string(">") + name + "<"), std::string::npos) << name;
    EXPECT_EQ(anon.find(std::string(name) + ":"), std::string::npos) << name;
  }
  RunResult nobody = Run("--db demo.db report nobody-at-all --out x.html");
  EXPECT_EQ(nobody.exit_code, 2);
  EXPECT_THAT(nobody.err, HasSubstr("nobody-at-all"));
  RunResult bad_listen = Run("--db demo.db serve --listen 127.0.0.1:http");
  EXPECT_EQ(bad_listen.exit_code, 2);
  EXPECT_THAT(bad_listen.err, HasSubstr("give HOST:PORT"));
}

TEST_F(CliCommandsTest, HelpListsEveryCommand) {
  RunResult help = Run("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command :
       {"import", "score", "ties", "explain", "cooling", "history", "log", "demo", "config",
        "serve", "report", "export", "forget", "gen", "eval", "fit"}) {
    EXPECT_THAT(help.out, HasSubstr(command)) << command;
  }
}

}  // namespace
}  // namespace rapport::cli::testing

namespace rapport::cli::testing {
namespace {

TEST_F(CliCommandsTest, EveryKindOfBadLineIsRejectedWithoutACrash) {
  std::string text = "time,channel,kind,actor,targets\n";
  text += "2024-01-01,email,email,a@x,b@x\n";      // 2: good
  text += "2024-01-01,email,email,a@x\n";          // 3: wrong column count
  text += "2024-13-45,email,email,a@x,b@x\n";      // 4: unparsable time
  text += "2024-01-01,email,wave,a@x,b@x\n";       // 5: unknown kind
  text += "2024-01-01,email,email,,b@x\n";         // 6: empty actor
  text += "2024-01-01,email,email,a\xff@x,b@x\n";  // 7: invalid UTF-8
  text += "2024-01-01,email,email,a@x," + std::string(10 * 1024 * 1024, 'b') + "\n";  // 8
  text += "2024-01-02,email,email,a@x,b@x\n";                                         // 9: good
  text += "2024-01-03,email";  // 10: truncated last line
  WriteFile("all-bad.csv", text);
  RunResult result = Run("import all-bad.csv --db bad.db");  // --db after the subcommand
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.out, HasSubstr("read 9 = accepted 2 + rejected 7 + duplicate 0"));
  EXPECT_THAT(result.err, HasSubstr("all-bad.csv:3: expected 5 columns, found 4"));
  const std::string rejects = ReadFile("bad.db.rejects.tsv");
  for (const char* expected :
       {"all-bad.csv\t3\t", "all-bad.csv\t4\t", "unparsable time \"2024-13-45\"",
        "all-bad.csv\t5\t", "unknown kind \"wave\"", "all-bad.csv\t6\t", "empty actor",
        "all-bad.csv\t7\t", "invalid UTF-8", "all-bad.csv\t8\t", "longer than the 1 MiB limit",
        "all-bad.csv\t10\t", "the last line looks truncated"}) {
    EXPECT_THAT(rejects, HasSubstr(expected));
  }
  EXPECT_LT(rejects.size(), 1024u * 1024u);  // the long line is kept only in part
}

}  // namespace
}  // namespace rapport::cli::testing
