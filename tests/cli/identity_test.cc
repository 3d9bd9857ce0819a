// Identity resolution through the CLI: normal forms, display names, merge and split with their
// reasons, alias files, and one person's ties across channels.
#include <gmock/gmock.h>

#include "cli_test_util.h"

namespace rapport::cli::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CliIdentityTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    // ann writes to me by email (two spellings of one address), calls from her phone, and
    // comments on my blog as "ann" with no email; bob only likes my posts.
    WriteFile("log.csv",
              "time,channel,kind,actor,targets\n"
              "2024-01-01,email,email,Ann@Example.org,me@home.example\n"
              "2024-01-02,email,email,me@home.example,ann@example.org\n"
              "2024-01-03,phone,call,tel:+1 (555) 010-2000,me@home.example\n"
              "2024-01-04,blog,comment,wordpress:ann,me@home.example\n"
              "2024-01-05,twitter,like,@bob,me@home.example\n");
    RunResult imported = Run("import log.csv --owner me@home.example");
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }
};

TEST_F(CliIdentityTest, OneAddressInTwoSpellingsIsOneIdentity) {
  RunResult people = Run("people ann");
  EXPECT_THAT(people.out, HasSubstr("ann@example.org"));
  EXPECT_THAT(people.out, Not(HasSubstr("Ann@Example.org")));
  RunResult ties = Run("ties me --format csv");
  EXPECT_THAT(ties.out, HasSubstr(",ann@example.org,"));
  EXPECT_THAT(ties.out, HasSubstr(",tel:+15550102000,"));
}

TEST_F(CliIdentityTest, MergeIsExplainedAndSplitUndoesIt) {
  RunResult merge = Run("merge ann@example.org tel:+15550102000 --reason 'same phone on her card'");
  ASSERT_EQ(merge.exit_code, 0) << merge.err;
  RunResult merge2 = Run("merge ann@example.org wordpress:ann");
  ASSERT_EQ(merge2.exit_code, 0) << merge2.err;
  RunResult identities = Run("identities ann@example.org");
  EXPECT_THAT(identities.out, HasSubstr("3 identities"));
  EXPECT_THAT(identities.out, HasSubstr("why: same phone on her card"));
  EXPECT_THAT(identities.out, HasSubstr("why: merged by hand (rapport merge ann@example.org "
                                        "wordpress:ann)"));
  // The merged person is one tie across email, phone and blog.
  RunResult ties = Run("ties me --format csv");
  EXPECT_THAT(ties.out, HasSubstr("email+blog+phone"));
  EXPECT_THAT(ties.out, Not(HasSubstr("wordpress:ann")));

  RunResult split = Run("split ann@example.org wordpress:ann");
  ASSERT_EQ(split.exit_code, 0) << split.err;
  EXPECT_THAT(Run("identities wordpress:ann").out, HasSubstr("why: split by hand"));
  EXPECT_THAT(Run("identities ann@example.org").out, HasSubstr("2 identities"));
  RunResult only = Run("split wordpress:ann wordpress:ann");
  EXPECT_EQ(only.exit_code, 2);
  EXPECT_THAT(only.err, HasSubstr("only identity"));
}

TEST_F(CliIdentityTest, AliasFileMergesAndNames) {
  WriteFile("aliases.toml",
            "[[person]]\n"
            "name = \"Ann Lee\"\n"
            "identities = [\"ann@example.org\", \"tel:+1-555-010-2000\", \"wordpress:ann\"]\n");
  RunResult alias = Run("alias aliases.toml");
  ASSERT_EQ(alias.exit_code, 0) << alias.err;
  EXPECT_THAT(alias.out, HasSubstr("1 people, 2 merges applied"));
  RunResult identities = Run("identities 'Ann Lee'");
  EXPECT_THAT(identities.out, HasSubstr("Ann Lee"));
  EXPECT_THAT(identities.out, HasSubstr("why: alias file aliases.toml, person 1"));
  // Applying the file again changes nothing.
  EXPECT_THAT(Run("alias aliases.toml").out, HasSubstr("0 merges applied"));
  // Ann, on three channels, is my strongest tie; bob's likes are the weakest.
  RunResult ties = Run("ties me");
  EXPECT_LT(ties.out.find("Ann Lee"), ties.out.find("@bob"));
}

TEST_F(CliIdentityTest, NeverMergesOnANameAlone) {
  WriteFile("two-anns.csv",
            "time,channel,kind,actor,targets\n"
            "2024-02-01,blog,comment,wordpress:ann,me@home.example\n"
            "2024-02-01,chat,message,facebook:ann,me@home.example\n");
  ASSERT_EQ(Run("import two-anns.csv").exit_code, 0);
  RunResult people = Run("people ann");
  EXPECT_THAT(people.out, HasSubstr("wordpress:ann"));
  EXPECT_THAT(people.out, HasSubstr("facebook:ann"));
  EXPECT_NE(Run("identities wordpress:ann").out, Run("identities facebook:ann").out);
}

}  // namespace
}  // namespace rapport::cli::testing
