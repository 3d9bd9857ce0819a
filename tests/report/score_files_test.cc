// The score directory (report/score_files.h): rows for every scored person and every pair,
// numbers that read back exactly, names quoted when they must be, and publication that replaces
// a previous result only when the new one is whole.
#include "rapport/report/score_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "scratch_dir.h"

namespace rapport::report {
namespace {

namespace fs = std::filesystem;

constexpr double kStart = 1704067200;  // 2024-01-01T00:00:00Z
constexpr double kDay = 86400;

std::string ReadWhole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// Splits one CSV line, undoing RFC 4180 quoting.
std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') {
      if (quoted && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (line[i] == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += line[i];
    }
  }
  return fields;
}

struct Scored {
  EventLog log;
  score::ScoreRun run;
};

// Three people, one with a comma and a quote in the name, two pairs.
Scored ScoreSmallLog(double as_of) {
  std::vector<Event> events;
  for (int day = 0; day < 30; ++day) {
    Event e;
    e.time = kStart + day * kDay;
    e.channel = Channel::kEmail;
    e.kind = Kind::kEmail;
    e.actor = day % 2 == 0 ? "ann@x.example" : "Lee, \"Bo\"";
    e.targets = {day % 2 == 0 ? "Lee, \"Bo\"" : "ann@x.example"};
    events.push_back(e);
  }
  Event like;
  like.time = kStart + 3 * kDay;
  like.channel = Channel::kTwitter;
  like.kind = Kind::kLike;
  like.actor = "@eve";
  like.targets = {"ann@x.example"};
  events.push_back(like);
  Scored scored{EventLogFromEvents(events), {}};
  scored.run = score::ScoreEvents(scored.log, DefaultConfig(), as_of);
  return scored;
}

class ScoreFilesTest : public ::testing::Test {
 protected:
  // One directory per test: CTest runs the tests of this suite in parallel.
  test::ScratchDir scratch_;
};

TEST_F(ScoreFilesTest, WritesEveryPersonAndPairWithExactNumbers) {
  const Scored scored = ScoreSmallLog(kStart + 40 * kDay);
  const std::string out = scratch_.Path("scores");
  ASSERT_TRUE(WriteScoreDirectory(scored.run, scored.log, out).ok());
  const std::string people = ReadWhole(fs::path(out) / "people-00000.csv");
  const std::string ties = ReadWhole(fs::path(out) / "ties-00000.csv");
  EXPECT_EQ(std::count(people.begin(), people.end(), '\n'), 1 + 3);
  EXPECT_EQ(std::count(ties.begin(), ties.end(), '\n'), 1 + 2);
  EXPECT_NE(people.find(",\"Lee, \"\"Bo\"\"\","), std::string::npos) << people;
  // Every person's rapport score reads back to the very same double.
  std::istringstream lines(people);
  std::string line;
  std::getline(lines, line);  // header
  int rows = 0;
  while (std::getline(lines, line)) {
    const std::vector<std::string> fields = SplitCsv(line);
    ASSERT_EQ(fields.size(), 9u) << line;
    const score::PersonScore* person = scored.run.Find(std::stoll(fields[0]));
    ASSERT_NE(person, nullptr) << line;
    EXPECT_EQ(fields[1], person->name);
    EXPECT_EQ(std::stod(fields[3]), person->rapport_score) << line;
    EXPECT_EQ(std::stod(fields[5]), person->rapport.raw) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 3);
  const std::string summary = ReadWhole(fs::path(out) / "summary.json");
  EXPECT_NE(summary.find("\"people\": 3"), std::string::npos) << summary;
  EXPECT_NE(summary.find("\"pairs\": 2"), std::string::npos) << summary;
  EXPECT_FALSE(fs::exists(out + ".incomplete"));
}

TEST_F(ScoreFilesTest, ANewResultReplacesTheOldOneWhole) {
  const std::string out = scratch_.Path("scores");
  const Scored early = ScoreSmallLog(kStart + 2 * kDay);  // before the like: @eve not scored
  ASSERT_TRUE(WriteScoreDirectory(early.run, early.log, out).ok());
  const std::string before = ReadWhole(fs::path(out) / "people-00000.csv");
  const Scored late = ScoreSmallLog(kStart + 40 * kDay);
  ASSERT_TRUE(WriteScoreDirectory(late.run, late.log, out).ok());
  const std::string after = ReadWhole(fs::path(out) / "people-00000.csv");
  EXPECT_EQ(std::count(before.begin(), before.end(), '\n'), 1 + 2);
  EXPECT_EQ(std::count(after.begin(), after.end(), '\n'), 1 + 3);
  EXPECT_FALSE(fs::exists(out + ".previous"));
}

TEST_F(ScoreFilesTest, AnUnwritablePlaceIsAnErrorThatSaysWhere) {
  const Scored scored = ScoreSmallLog(kStart + 40 * kDay);
  fs::create_directories(scratch_.Path("blocked"));
  scratch_.Write("blocked/file", "x");
  const std::string out = scratch_.Path("blocked/file/scores");
  const Status status = WriteScoreDirectory(scored.run, scored.log, out);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("scores.incomplete"), std::string::npos) << status.message();
}

}  // namespace
}  // namespace rapport::report
