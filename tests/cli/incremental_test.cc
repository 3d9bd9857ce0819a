// Incremental scoring of a store, end to end with the real binary and database: `score` continues
// the checkpoint the last scoring left and must give the scores `score --full` gives from every
// event (every number within 1e-9), across several appended batches; any change under the
// checkpoint (an event dated before its anchor, a merge, another configuration, a forgotten
// person, a damaged file) makes it score from every event instead, and say why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <vector>

#include "cli_test_util.h"

namespace rapport::cli::testing {
namespace {

using ::testing::HasSubstr;

// Score CSV rows by person id, each as its fields.
std::map<std::string, std::vector<std::string>> RowsById(const std::string& csv) {
  std::map<std::string, std::vector<std::string>> rows;
  std::istringstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::istringstream row(line);
    std::string field;
    while (std::getline(row, field, ',')) fields.push_back(field);
    rows[fields.at(0)] = fields;
  }
  return rows;
}

// Every number within 1e-9, every other field equal; returns how many numbers were compared.
size_t ExpectSameScores(const std::string& expected_csv, const std::string& actual_csv) {
  const auto expected = RowsById(expected_csv), actual = RowsById(actual_csv);
  EXPECT_EQ(expected.size(), actual.size());
  size_t compared = 0;
  for (const auto& [id, fields] : expected) {
    const auto found = actual.find(id);
    if (found == actual.end()) {
      ADD_FAILURE() << "person " << id << " is missing";
      continue;
    }
    EXPECT_EQ(fields.size(), found->second.size());
    for (size_t i = 1; i < fields.size() && i < found->second.size(); ++i) {
      char* end = nullptr;
      const double a = std::strtod(fields[i].c_str(), &end);
      if (end == fields[i].c_str() || *end != '\0') {
        EXPECT_EQ(fields[i], found->second[i]) << id;
        continue;
      }
      EXPECT_NEAR(a, std::stod(found->second[i]), 1e-9) << "person " << id << ", column " << i;
      ++compared;
    }
  }
  return compared;
}

class CliIncrementalTest : public CliTest {
 protected:
  // A 3-year log of 30,000 events among 300 people, imported and scored once (which leaves the
  // checkpoint).
  void ImportAndScoreOnce() {
    ASSERT_EQ(Run("gen --people 300 --events 30000 --seed 5 --out old.csv").exit_code, 0);
    ASSERT_EQ(Run("import old.csv").exit_code, 0);
    const RunResult first = Run("score --top 1");
    ASSERT_EQ(first.exit_code, 0) << first.err;
    EXPECT_THAT(first.err, HasSubstr("no checkpoint yet"));
    ASSERT_TRUE(std::filesystem::exists(dir_ / "rapport.db.checkpoint"));
  }
  // Imports `events` more events dated over `days` days from `start`.
  void Append(int seed, int events, const std::string& start, double days) {
    const RunResult gen =
        Run(fmt("gen --people 300 --events ", events, " --seed ", seed, " --start ", start,
                " --years ", days / 365.25, " --out new.csv"));
    ASSERT_EQ(gen.exit_code, 0) << gen.err;
    const RunResult imported = Run("import new.csv");
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }
  template <typename... Parts>
  static std::string fmt(const Parts&... parts) {
    std::ostringstream out;
    (out << ... << parts);
    return out.str();
  }
  // `score` (expected incremental) and `score --full` agree; returns the full run.
  RunResult ExpectIncrementalEqualsFull() {
    const RunResult incremental = Run("score --format csv --top 0");
    EXPECT_EQ(incremental.exit_code, 0) << incremental.err;
    EXPECT_THAT(incremental.err, HasSubstr("scored incrementally"));
    const RunResult full = Run("score --full --format csv --top 0");
    EXPECT_EQ(full.exit_code, 0) << full.err;
    EXPECT_THAT(full.err, HasSubstr("scored from all"));
    EXPECT_GT(ExpectSameScores(full.out, incremental.out), 3000u);
    return full;
  }
};

TEST_F(CliIncrementalTest, ScoringFromTheCheckpointEqualsScoringFromEveryEvent) {
  ImportAndScoreOnce();
  const RunResult before = Run("score --full --format csv --top 0");
  ASSERT_EQ(before.exit_code, 0);
  // Three batches, each scored from the checkpoint the one before left; the last comes two
  // months later (past the volume window of the first batch's events).
  Append(6, 600, "2018-01-01", 11);
  const RunResult after_first = ExpectIncrementalEqualsFull();
  Append(7, 300, "2018-01-12", 5);
  ExpectIncrementalEqualsFull();
  Append(8, 300, "2018-03-20", 5);
  ExpectIncrementalEqualsFull();
  // The new events moved the scores: the comparison could fail.
  EXPECT_NE(RowsById(before.out), RowsById(after_first.out));
}

// A log imported newest first: the events after the checkpoint's anchor have ids spread over
// every id of the store, not one range of them (the store reads their targets through the time
// index then). The incremental scores still equal the full ones.
TEST_F(CliIncrementalTest, EventsImportedNewestFirstScoreTheSameIncrementally) {
  ASSERT_EQ(Run("gen --people 300 --events 30000 --seed 5 --out old.csv").exit_code, 0);
  std::istringstream in(ReadFile("old.csv"));
  std::string header, line;
  std::getline(in, header);
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  std::string reversed = header + "\n";
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) reversed += *it + "\n";
  WriteFile("old.csv", reversed);
  ASSERT_EQ(Run("import old.csv").exit_code, 0);
  const RunResult first = Run("score --top 1");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  Append(6, 600, "2018-01-01", 11);
  ExpectIncrementalEqualsFull();
}

// --timings names every stage of both kinds of run on stderr, each with its seconds; the scores
// printed are the same as without it.
TEST_F(CliIncrementalTest, TimingsNameEveryStage) {
  ImportAndScoreOnce();
  Append(6, 600, "2018-01-01", 11);
  const RunResult quiet = Run("score --full --format csv --top 0");
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_THAT(quiet.err, ::testing::Not(HasSubstr("recording the scores")));
  const RunResult full = Run("score --full --timings --format csv --top 0");
  ASSERT_EQ(full.exit_code, 0) << full.err;
  EXPECT_THAT(full.err, HasSubstr("  reading every event: "));
  EXPECT_EQ(full.out, quiet.out);
  const RunResult incremental = Run("score --timings --format csv --top 0");
  ASSERT_EQ(incremental.exit_code, 0) << incremental.err;
  EXPECT_THAT(incremental.err, HasSubstr("  reading the events after the checkpoint: "));
  for (const RunResult* run : {&full, &incremental}) {
    for (const char* stage :
         {"opening the store and checking the checkpoint", "aggregating the pairs", "tie strengths",
          "propagation", "writing the checkpoint", "recording the scores and formatting them",
          "printing them"}) {
      EXPECT_THAT(run->err, ::testing::ContainsRegex(fmt("  ", stage, ": [0-9]+\\.[0-9][0-9] s")))
          << stage;
    }
  }
}

TEST_F(CliIncrementalTest, ChangesUnderTheCheckpointScoreFromEveryEventAndSayWhy) {
  ImportAndScoreOnce();
  // An event dated before the checkpoint's anchor (a late import of old data).
  WriteFile("late.csv",
            "time,channel,kind,actor,targets,private,duration\n"
            "2016-05-01T10:00:00Z,email,message,5,7,false,\n");
  ASSERT_EQ(Run("import late.csv").exit_code, 0);
  RunResult scored = Run("score --top 1");
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  EXPECT_THAT(scored.err, HasSubstr("dated before its anchor"));
  // That scoring left a checkpoint that covers the late event.
  Append(6, 200, "2018-01-01", 5);
  ExpectIncrementalEqualsFull();

  ASSERT_EQ(Run("merge 5 7").exit_code, 0);
  scored = Run("score --top 1");
  EXPECT_THAT(scored.err, HasSubstr("identities were merged, split or forgotten"));

  WriteFile("other.toml", "[tie]\nhalf_life_days = 90\n");
  scored = Run("--config other.toml score --top 1");
  EXPECT_THAT(scored.err, HasSubstr("the scoring configuration changed"));
  // Back to the defaults: the checkpoint is now the other configuration's.
  scored = Run("score --top 1");
  EXPECT_THAT(scored.err, HasSubstr("the scoring configuration changed"));
  EXPECT_THAT(Run("score --top 1").err, HasSubstr("scored incrementally"));

  // A damaged file (cut short, or one byte changed) fails its checksum; a file from another
  // checkpoint fails its nonce. The scoring goes on from every event.
  std::string bytes = ReadFile("rapport.db.checkpoint");
  WriteFile("rapport.db.checkpoint", bytes.substr(0, bytes.size() / 2));
  scored = Run("score --top 1");
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  EXPECT_THAT(scored.err, HasSubstr("rapport.db.checkpoint is damaged"));
  bytes = ReadFile("rapport.db.checkpoint");
  bytes[bytes.size() / 2] ^= 1;
  WriteFile("rapport.db.checkpoint", bytes);
  EXPECT_THAT(Run("score --top 1").err, HasSubstr("rapport.db.checkpoint is damaged"));
  const std::string current = ReadFile("rapport.db.checkpoint");
  ASSERT_EQ(Run("score --full --top 1").exit_code, 0);  // a new checkpoint, another nonce
  WriteFile("rapport.db.checkpoint", current);
  EXPECT_THAT(Run("score --top 1").err, HasSubstr("belongs to another checkpoint"));
  std::filesystem::remove(dir_ / "rapport.db.checkpoint");
  EXPECT_THAT(Run("score --top 1").err, HasSubstr("rapport.db.checkpoint is missing"));

  ASSERT_EQ(Run("forget 9 --yes").exit_code, 0);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "rapport.db.checkpoint"));
  EXPECT_THAT(Run("score --top 1").err, HasSubstr("no checkpoint yet"));
}

}  // namespace
}  // namespace rapport::cli::testing
