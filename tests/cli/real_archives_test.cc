// Real exports end to end: the X archive and the WordPress export in ../shared/data, imported
// through the CLI, with a golden list of the owner's strongest ties. Undated records (X follows)
// get a fixed date so that the run does not depend on the files' modification times.
#include <gmock/gmock.h>

#include "cli_test_util.h"

namespace rapport::cli::testing {
namespace {

using ::testing::HasSubstr;

class CliRealArchivesTest : public CliTest {};

TEST_F(CliRealArchivesTest, XArchiveOwnersStrongestTies) {
  RunResult imported = Run("import '" RAPPORT_SHARED_DATA
                           "/export-samples/twitter-archive-milahu104' --undated-at 2026-03-06 "
                           "--max-rejects 10000");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  // Counts by kind are pinned in IngestTwitterTest; here: the totals through the store.
  EXPECT_THAT(imported.out, HasSubstr("read 9467 = accepted 3530 + rejected 5937 + duplicate 0"));
  RunResult ties = Run("ties me --top 10 --format csv");
  ASSERT_EQ(ties.exit_code, 0) << ties.err;
  ExpectGolden("x_archive_ties_me.csv", ties.out);
  // The account the owner talks to most (255 replies and mentions) is the strongest tie.
  EXPECT_THAT(ties.out.substr(ties.out.find('\n') + 1, 120), HasSubstr("Sama Hoole"));
}

TEST_F(CliRealArchivesTest, WordPressBlogAuthorsStrongestTies) {
  RunResult imported = Run("import '" RAPPORT_SHARED_DATA
                           "/export-samples/wordpress-wxr/themeunittestdata.wordpress.xml' "
                           "--max-rejects 10");
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("read 112 = accepted 110 + rejected 2 + duplicate 0"));
  RunResult ties = Run("ties --all --top 10 --format csv");
  ASSERT_EQ(ties.exit_code, 0) << ties.err;
  ExpectGolden("wxr_ties_all.csv", ties.out);
}

}  // namespace
}  // namespace rapport::cli::testing
