// Golden end-to-end runs of the CLI on a small multi-channel log (tests/data/cli/small.csv):
// the whole pipeline from import to every view, compared byte for byte with tests/golden/.
#include <simdjson.h>

#include "cli_test_util.h"

namespace rapport::cli::testing {
namespace {

class CliGoldenTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    CopyIn(RAPPORT_TEST_DATA "/cli/small.csv", "small.csv");
    RunResult imported = Run("import small.csv --owner me@home.example");
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
    imported_ = imported.out;
  }
  std::string imported_;
};

TEST_F(CliGoldenTest, Import) {
  EXPECT_EQ(imported_, "small.csv (csv): read 240 = accepted 240 + rejected 0 + duplicate 0\n");
  RunResult again = Run("import small.csv");
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(again.out, "small.csv (csv): read 240 = accepted 0 + rejected 0 + duplicate 240\n");
}

TEST_F(CliGoldenTest, ScoreTable) { ExpectGolden("score.txt", Run("score").out); }

TEST_F(CliGoldenTest, ScoreJsonIsTheDocumentedDocument) {
  RunResult result = Run("score --format json");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectGolden("score.json", result.out);
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(result.out).get(doc), simdjson::SUCCESS);
  std::string_view as_of;
  ASSERT_EQ(doc["as_of"].get(as_of), simdjson::SUCCESS);
  EXPECT_EQ(as_of, "2024-10-06T19:00:00Z");  // the newest event
  simdjson::dom::array people;
  ASSERT_EQ(doc["people"].get(people), simdjson::SUCCESS);
  EXPECT_EQ(people.size(), 6u);
  for (simdjson::dom::element person : people) {
    int64_t id;
    std::string_view name;
    double volume, rapport;
    simdjson::dom::object components;
    EXPECT_EQ(person["id"].get(id), simdjson::SUCCESS);
    EXPECT_EQ(person["name"].get(name), simdjson::SUCCESS);
    EXPECT_EQ(person["volume_score"].get(volume), simdjson::SUCCESS);
    EXPECT_EQ(person["rapport_score"].get(rapport), simdjson::SUCCESS);
    EXPECT_EQ(person["components"].get(components), simdjson::SUCCESS);
    EXPECT_GE(volume, 1);
    EXPECT_LE(rapport, 100);
  }
}

TEST_F(CliGoldenTest, ScoreCsv) { ExpectGolden("score.csv", Run("score --format csv").out); }

TEST_F(CliGoldenTest, TiesOfMe) {
  RunResult result = Run("ties me");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectGolden("ties_me.txt", result.out);
  // The email-and-phone friend is the strongest tie, the like-only follower the weakest.
  EXPECT_LT(result.out.find("alice@mail.example"), result.out.find("dave@chat.example"));
  EXPECT_LT(result.out.find("carol@blog.example"), result.out.find("@bob"));
}

TEST_F(CliGoldenTest, TiesAllCsv) {
  ExpectGolden("ties_all.csv", Run("ties --all --format csv").out);
}

TEST_F(CliGoldenTest, ExplainMe) {
  RunResult result = Run("explain me --top 3");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectGolden("explain_me.txt", result.out);
}

TEST_F(CliGoldenTest, ExplainJson) {
  RunResult result = Run("explain alice --format json --top 1");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectGolden("explain_alice.json", result.out);
}

TEST_F(CliGoldenTest, CoolingFindsTheFriendWhoWentQuiet) {
  RunResult result = Run("cooling");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectGolden("cooling.txt", result.out);
  EXPECT_NE(result.out.find("dave@chat.example"), std::string::npos);
  EXPECT_EQ(result.out.find("alice@mail.example"), std::string::npos);
}

TEST_F(CliGoldenTest, HistoryMonthly) {
  RunResult result = Run("history me --every month --points 6 --format csv");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ExpectGolden("history_me.csv", result.out);
}

TEST_F(CliGoldenTest, ScoreAsOfAnEarlierDate) {
  ExpectGolden("score_2024-03-01.txt", Run("score --as-of 2024-03-01").out);
}

}  // namespace
}  // namespace rapport::cli::testing
