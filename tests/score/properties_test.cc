// The four required properties of DESIGN.md, as tests on the generated demo scenario:
//  - a week off: 7 days of silence cost under 1 rapport point; the volume score loses at least 2;
//  - volume gaming: ten times the broadcast posts do not raise the rapport score but raise volume;
//  - fading: six months with no contact lower the rapport score by at least 10 points;
//  - channels: a relationship kept up by email and phone only is strong (>= 0.6), a like-only
//    acquaintance is weak (< 0.2).
#include <gtest/gtest.h>

#include "rapport/scenario/demo.h"
#include "rapport/score/scorer.h"

namespace rapport::score {
namespace {

using scenario::DemoOptions;

ScoreRun Score(const DemoOptions& options) {
  return ScoreEvents(EventLogFromEvents(scenario::BuildDemoEvents(options)), DefaultConfig(),
                     options.end_time);
}

const PersonScore& Person(const ScoreRun& run, const std::string& name) {
  for (const PersonScore& person : run.people) {
    if (person.name == name) return person;
  }
  ADD_FAILURE() << name << " is not scored";
  static const PersonScore kMissing;
  return kMissing;
}

double Strength(const ScoreRun& run, const std::string& a, const std::string& b) {
  const PersonIndex ia = Person(run, a).index, ib = Person(run, b).index;
  for (const TieView& tie : TiesOf(run, ia)) {
    if (tie.other == ib) return tie.strength;
  }
  ADD_FAILURE() << a << " and " << b << " have no tie";
  return -1;
}

TEST(ScorePropertiesTest, AWeekOffCostsUnderOneRapportPointButVolumePoints) {
  const ScoreRun before = Score(DemoOptions{});
  DemoOptions quiet;
  quiet.silent_person = scenario::kBlogger;
  quiet.silent_days = 7;
  const ScoreRun after = Score(quiet);
  const PersonScore& b = Person(before, scenario::kBlogger);
  const PersonScore& a = Person(after, scenario::kBlogger);
  EXPECT_LT(b.rapport_score - a.rapport_score, 1.0);
  EXPECT_GE(b.volume_score - a.volume_score, 2.0);
}

TEST(ScorePropertiesTest, TenTimesTheBroadcastsRaiseVolumeButNotRapport) {
  for (const char* who : {scenario::kBlogger, "alba"}) {
    const ScoreRun before = Score(DemoOptions{});
    DemoOptions louder;
    louder.extra_posts_person = who;
    louder.extra_posts_multiple = 9;  // ten times the posts in all
    const ScoreRun after = Score(louder);
    const PersonScore& b = Person(before, who);
    const PersonScore& a = Person(after, who);
    EXPECT_LE(a.rapport_score, b.rapport_score + 1e-9) << who;
    EXPECT_GT(a.volume_score, b.volume_score + 1.0) << who;
  }
}

TEST(ScorePropertiesTest, SixMonthsWithoutContactLowerRapportByTenPoints) {
  const ScoreRun before = Score(DemoOptions{});
  DemoOptions gone;
  gone.silent_person = scenario::kBlogger;
  gone.silent_days = 182;
  gone.silent_both_ways = true;
  const ScoreRun after = Score(gone);
  EXPECT_GE(Person(before, scenario::kBlogger).rapport_score -
                Person(after, scenario::kBlogger).rapport_score,
            10.0);
}

TEST(ScorePropertiesTest, EmailAndPhoneTieIsStrongAndLikeOnlyTieIsWeak) {
  const ScoreRun run = Score(DemoOptions{});
  EXPECT_GE(Strength(run, scenario::kBlogger, scenario::kEmailPhoneFriend), 0.6);
  EXPECT_LT(Strength(run, scenario::kBlogger, scenario::kLikeOnlyAcquaintance), 0.2);
}

TEST(ScorePropertiesTest, TheBloggerOutranksTheBroadcasterOnRapportNotOnVolume) {
  const ScoreRun run = Score(DemoOptions{});
  const PersonScore& maya = Person(run, scenario::kBlogger);
  const PersonScore& blaze = Person(run, scenario::kBroadcaster);
  EXPECT_GT(blaze.volume_score, maya.volume_score);
  EXPECT_GT(maya.rapport_score, blaze.rapport_score);
}

}  // namespace
}  // namespace rapport::score
