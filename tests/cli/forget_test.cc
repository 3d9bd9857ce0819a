// End-to-end runs of `rapport forget` on tests/data/cli/small.csv: without --yes it deletes
// nothing and exits 2 with the counts; with --yes the person is gone from every view, from the
// rejects file and from the database file's bytes, and everyone else is still scored.
#include <gmock/gmock.h>

#include "cli_test_util.h"

namespace rapport::cli::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

int CountLines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

class CliForgetTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    CopyIn(RAPPORT_TEST_DATA "/cli/small.csv", "small.csv");
    ASSERT_EQ(Run("import small.csv").exit_code, 0);
    // Two records the importer rejects, one naming alice: they land in the rejects file.
    WriteFile("bad.csv",
              "time,channel,kind,actor,targets\n"
              "2024-02-01,email,poke,alice@mail.example,me@home.example\n"
              "2024-02-02,email,poke,@bob,me@home.example\n");
    ASSERT_EQ(Run("import bad.csv --max-rejects 10").exit_code, 0);
    ASSERT_EQ(Run("score").exit_code, 0);  // saves a score run
  }
};

TEST_F(CliForgetTest, WithoutYesNothingIsDeletedAndTheExitCodeIsTwo) {
  RunResult dry = Run("forget alice");
  EXPECT_EQ(dry.exit_code, 2);
  EXPECT_THAT(dry.out, HasSubstr("would forget #2 alice@mail.example (alice@mail.example)"));
  EXPECT_THAT(dry.out, ::testing::ContainsRegex("events +100\n"));
  EXPECT_THAT(dry.out, ::testing::ContainsRegex("rejects file lines +1 "));
  EXPECT_THAT(dry.err, HasSubstr("run `rapport forget alice --yes` to delete"));
  EXPECT_THAT(Run("people").out, HasSubstr("alice@mail.example"));
  EXPECT_THAT(ReadFile("rapport.db.rejects.tsv"), HasSubstr("alice@mail.example"));
}

TEST_F(CliForgetTest, WithYesThePersonIsGoneEverywhere) {
  const int scored_before = CountLines(Run("score --format csv").out);
  RunResult forgotten = Run("forget alice --yes");
  ASSERT_EQ(forgotten.exit_code, 0) << forgotten.err;
  EXPECT_THAT(forgotten.out, HasSubstr("forgot #2 alice@mail.example"));
  EXPECT_THAT(forgotten.out, ::testing::ContainsRegex("identities +1\n"));
  EXPECT_THAT(forgotten.out, ::testing::ContainsRegex("scores +1\n"));
  EXPECT_THAT(forgotten.out, HasSubstr("vacuumed"));

  EXPECT_THAT(Run("people").out, Not(HasSubstr("alice")));
  EXPECT_EQ(CountLines(Run("score --format csv").out), scored_before - 1);
  EXPECT_THAT(Run("ties --all --format csv").out, Not(HasSubstr("alice")));
  RunResult gone = Run("ties alice");
  EXPECT_EQ(gone.exit_code, 2);
  EXPECT_THAT(gone.err, HasSubstr("no person matches \"alice\""));
  // The rejects file keeps its header and bob's line, not alice's.
  const std::string rejects = ReadFile("rapport.db.rejects.tsv");
  EXPECT_THAT(rejects, Not(HasSubstr("alice")));
  EXPECT_THAT(rejects, HasSubstr("@bob"));
  EXPECT_TRUE(rejects.starts_with("file\t"));
  // Nor is she in the database file's bytes.
  EXPECT_THAT(ReadFile("rapport.db"), Not(HasSubstr("alice@mail.example")));
  // Forgetting again: no one by that name.
  EXPECT_EQ(Run("forget alice --yes").exit_code, 2);
}

}  // namespace
}  // namespace rapport::cli::testing
