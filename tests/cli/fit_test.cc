// `rapport fit` end to end: labelled pairs from a time split of CollegeMsg (the first 20,000
// messages imported; a pair is positive when it is in contact again in the next 10,000), a
// fitted config that `score --config` accepts, and bad label files rejected with file and line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "cli_test_util.h"
#include "rapport/core/config.h"

namespace rapport::cli::testing {
namespace {

using ::testing::HasSubstr;

class CliFitTest : public CliTest {};

TEST_F(CliFitTest, FitsLabelledPairsAndWritesAConfigThatScoreUses) {
  std::ifstream in(RAPPORT_SHARED_DATA "/collegemsg/CollegeMsg.txt");
  std::ostringstream first;
  std::set<std::pair<std::string, std::string>> before, after;
  std::string a, b, t;
  for (int line = 0; line < 30000 && (in >> a >> b >> t); ++line) {
    if (a == b) continue;
    auto key = std::minmax(a, b);
    if (line < 20000) {
      first << a << ' ' << b << ' ' << t << '\n';
      before.insert(key);
    } else {
      after.insert(key);
    }
  }
  WriteFile("first.txt", first.str());
  std::ostringstream labels;
  labels << "person,other,label\n";
  int positives = 0;
  for (const auto& key : before) {
    const bool lasting = after.count(key) > 0;
    positives += lasting ? 1 : 0;
    labels << key.first << ',' << key.second << ',' << (lasting ? "strong" : "weak") << '\n';
  }
  labels << "nobody,1,1\n";  // an unknown person is counted, not fatal
  WriteFile("labels.csv", labels.str());
  ASSERT_EQ(Run("import --format snap first.txt").exit_code, 0);

  RunResult fit = Run("fit --labels labels.csv --out fitted.toml");
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  EXPECT_THAT(fit.out, HasSubstr(std::to_string(before.size()) + " used (" +
                                 std::to_string(positives) + " positive"));
  EXPECT_THAT(fit.out, HasSubstr("1 naming unknown people"));
  EXPECT_THAT(fit.out, HasSubstr("ROC AUC over 5 folds: current model"));
  Result<Config> fitted = LoadConfig(std::string(dir_ / "fitted.toml"));
  ASSERT_TRUE(fitted.ok()) << fitted.status().message();
  EXPECT_NE(fitted->tie.coefficient, DefaultConfig().tie.coefficient);
  EXPECT_EQ(fitted->tie.center, DefaultConfig().tie.center);
  RunResult scored = Run("--config fitted.toml score --format csv");
  EXPECT_EQ(scored.exit_code, 0) << scored.err;
}

TEST_F(CliFitTest, ABadLabelNamesTheFileAndLine) {
  WriteFile("events.csv",
            "time,channel,kind,actor,targets\n2024-01-01T10:00:00Z,email,email,ann,bob\n");
  ASSERT_EQ(Run("import events.csv").exit_code, 0);
  WriteFile("labels.csv", "ann,bob,1\nann,bob,maybe\n");
  RunResult fit = Run("fit --labels labels.csv");
  EXPECT_EQ(fit.exit_code, 2);
  EXPECT_THAT(fit.err, HasSubstr("labels.csv, line 2"));
  EXPECT_THAT(fit.err, HasSubstr("\"maybe\""));
  WriteFile("few.csv", "ann,bob,1\n");
  RunResult few = Run("fit --labels few.csv");
  EXPECT_EQ(few.exit_code, 2);
  EXPECT_THAT(few.err, HasSubstr("too few labelled pairs"));
}

}  // namespace
}  // namespace rapport::cli::testing
