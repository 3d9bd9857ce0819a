// Tests of the scoring configuration: the compiled-in defaults against DESIGN.md, TOML overrides,
// the exact error of every kind of bad file, the TOML round trip, the checked-in
// config/default.toml, and EventEffort.
#include "rapport/core/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "scratch_dir.h"

namespace rapport {
namespace {

using ::testing::HasSubstr;

// Each test's files go to a scratch directory of its own, removed after it.
class CoreConfigTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, std::string_view content) const {
    return scratch_.Write(name, content);
  }

  test::ScratchDir scratch_;
};

double Effort(const Config& config, Kind kind) {
  return config.effort.by_kind[static_cast<int>(kind)];
}

// Every field of two configs, one EXPECT per field so that a failure names it.
void ExpectSameConfig(const Config& a, const Config& b) {
  for (int k = 0; k < kKindCount; ++k) {
    EXPECT_EQ(a.effort.by_kind[k], b.effort.by_kind[k]) << KindName(static_cast<Kind>(k));
  }
  EXPECT_EQ(a.effort.call_per_log2_minutes, b.effort.call_per_log2_minutes);
  EXPECT_EQ(a.effort.meeting_per_log2_hours, b.effort.meeting_per_log2_hours);
  EXPECT_EQ(a.tie.half_life_days, b.tie.half_life_days);
  EXPECT_EQ(a.tie.bias, b.tie.bias);
  for (int f = 0; f < kFeatureCount; ++f) {
    EXPECT_EQ(a.tie.center[f], b.tie.center[f]) << "center " << FeatureName(f);
    EXPECT_EQ(a.tie.scale[f], b.tie.scale[f]) << "scale " << FeatureName(f);
    EXPECT_EQ(a.tie.coefficient[f], b.tie.coefficient[f]) << "coefficient " << FeatureName(f);
  }
  EXPECT_EQ(a.tie.min_usual_gap_days, b.tie.min_usual_gap_days);
  EXPECT_EQ(a.tie.single_contact_gap_days, b.tie.single_contact_gap_days);
  EXPECT_EQ(a.tie.neighbour_min_effort, b.tie.neighbour_min_effort);
  EXPECT_EQ(a.volume.window_days, b.volume.window_days);
  EXPECT_EQ(a.volume.half_life_days, b.volume.half_life_days);
  EXPECT_EQ(a.volume.w_activity, b.volume.w_activity);
  EXPECT_EQ(a.volume.w_amplification, b.volume.w_amplification);
  EXPECT_EQ(a.volume.w_engagers, b.volume.w_engagers);
  EXPECT_EQ(a.volume.w_mentions, b.volume.w_mentions);
  EXPECT_EQ(a.rapport.damping, b.rapport.damping);
  EXPECT_EQ(a.rapport.max_iterations, b.rapport.max_iterations);
  EXPECT_EQ(a.rapport.tolerance, b.rapport.tolerance);
  EXPECT_EQ(a.rapport.depth_k, b.rapport.depth_k);
  EXPECT_EQ(a.rapport.strong_tie, b.rapport.strong_tie);
  EXPECT_EQ(a.rapport.w_propagation, b.rapport.w_propagation);
  EXPECT_EQ(a.rapport.w_depth, b.rapport.w_depth);
  EXPECT_EQ(a.rapport.w_breadth, b.rapport.w_breadth);
  EXPECT_EQ(a.rapport.fade_days, b.rapport.fade_days);
  EXPECT_EQ(a.curve.median_score, b.curve.median_score);
  EXPECT_EQ(a.curve.p95_score, b.curve.p95_score);
  EXPECT_EQ(a.cooling.min_strength, b.cooling.min_strength);
  EXPECT_EQ(a.cooling.gap_factor, b.cooling.gap_factor);
  EXPECT_EQ(a.cooling.min_silence_days, b.cooling.min_silence_days);
}

TEST_F(CoreConfigTest, DefaultEffortMatchesTheDesignTable) {
  const Config config = DefaultConfig();
  EXPECT_EQ(Effort(config, Kind::kPost), 0);
  EXPECT_EQ(Effort(config, Kind::kLike), 0.1);
  EXPECT_EQ(Effort(config, Kind::kFollow), 0.2);
  EXPECT_EQ(Effort(config, Kind::kShare), 0.5);
  EXPECT_EQ(Effort(config, Kind::kMention), 0.7);
  EXPECT_EQ(Effort(config, Kind::kReply), 1);
  EXPECT_EQ(Effort(config, Kind::kComment), 1.5);
  EXPECT_EQ(Effort(config, Kind::kMessage), 2);
  EXPECT_EQ(Effort(config, Kind::kEmail), 2);
  EXPECT_EQ(Effort(config, Kind::kCall), 3);
  EXPECT_EQ(Effort(config, Kind::kMeeting), 4);
  EXPECT_EQ(Effort(config, Kind::kFavour), 6);
  EXPECT_EQ(config.effort.call_per_log2_minutes, 1);
  EXPECT_EQ(config.effort.meeting_per_log2_hours, 1);
  EXPECT_EQ(config.tie.half_life_days, 180);
  for (int f = 0; f < kFeatureCount; ++f) {
    EXPECT_GT(config.tie.scale[f], 0) << FeatureName(f);  // LoadConfig rejects otherwise
  }
}

TEST_F(CoreConfigTest, FeatureNames) {
  EXPECT_EQ(FeatureName(Feature::kIntensity), "intensity");
  EXPECT_EQ(FeatureName(Feature::kEmbeddedness), "embeddedness");
  EXPECT_EQ(FeatureName(Feature::kRecentIntensity), "recent_intensity");
  EXPECT_EQ(FeatureName(Feature::kAttention), "attention");
  EXPECT_EQ(FeatureName(Feature::kSilence), "silence");
  EXPECT_EQ(FeatureName(Feature::kActivityHigh), "activity_high");
  EXPECT_EQ(FeatureName(kFeatureCount - 1), "shared_attention");
}

TEST_F(CoreConfigTest, FileOverridesOnlyItsKeys) {
  const std::string path = Write("rapport.toml",
                                 "# a comment\n"
                                 "[tie]\n"
                                 "half_life_days = 90\n"
                                 "[tie.coefficient]\n"
                                 "intensity = 1.25\n"
                                 "[effort]\n"
                                 "like = 0.3\n");
  Result<Config> loaded = LoadConfig(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  Config expected = DefaultConfig();
  EXPECT_NE(expected.tie.half_life_days, 90);
  expected.tie.half_life_days = 90;
  expected.tie.coefficient[static_cast<int>(Feature::kIntensity)] = 1.25;
  expected.effort.by_kind[static_cast<int>(Kind::kLike)] = 0.3;
  ExpectSameConfig(*loaded, expected);
}

TEST_F(CoreConfigTest, IntegersAreAcceptedForNumbers) {
  const std::string path = Write("ints.toml", "[rapport]\nmax_iterations = 7\ndamping = 0\n");
  Result<Config> loaded = LoadConfig(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->rapport.max_iterations, 7);
  EXPECT_EQ(loaded->rapport.damping, 0);
}

TEST_F(CoreConfigTest, EmptyFileGivesTheDefaults) {
  Result<Config> loaded = LoadConfig(Write("empty.toml", ""));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSameConfig(*loaded, DefaultConfig());
}

struct BadFile {
  std::string name;
  std::string content;
  std::string expected;  // what the message must contain besides the path
};

TEST_F(CoreConfigTest, EveryBadFileNamesTheFileAndTheProblem) {
  const std::vector<BadFile> cases = {
      {"unknown_key.toml", "[tie]\nhalf_lfe_days = 3\n",
       "[tie] unknown key \"half_lfe_days\"; known keys: half_life_days, recent_half_life_days, "
       "recent_hold_days, bias"},
      {"unknown_section.toml", "[tei]\nhalf_life_days = 3\n",
       "[top level] unknown key \"tei\"; known keys: effort, tie, volume"},
      {"unknown_feature.toml", "[tie.coefficient]\nwarmth = 1\n",
       "[tie.coefficient] unknown feature \"warmth\"; features: intensity, recent_intensity, "
       "reciprocity"},
      {"unknown_kind.toml", "[effort]\npoke = 1\n", "[effort] unknown key \"poke\"; use a kind"},
      {"wrong_type.toml", "[volume]\nwindow_days = \"ninety\"\n",
       "[volume] window_days: expected a number"},
      {"wrong_type_effort.toml", "[effort]\nlike = true\n", "[effort] like: expected a number"},
      {"bad_scale.toml", "[tie.scale]\nrecency = 0\n", "[tie.scale] recency must be positive"},
      {"bad_damping.toml", "[rapport]\ndamping = 1\n", "[rapport] damping must be in [0, 1)"},
      {"bad_fade.toml", "[rapport]\nfade_days = -1\n",
       "[rapport] fade_days and strong_tie_ramp must be positive"},
      {"bad_curve.toml", "[curve]\nmedian_score = 60\n",
       "[curve] need 1 < median_score < p95_score < 100"},
      {"syntax.toml", "[tie]\nhalf_life_days = 3\nbias = = 2\n", ", line 3: "},
  };
  for (const BadFile& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = Write(c.name, c.content);
    Result<Config> loaded = LoadConfig(path);
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(loaded.status().message(), HasSubstr(path));
    EXPECT_THAT(loaded.status().message(), HasSubstr(c.expected));
  }
}

TEST_F(CoreConfigTest, MissingFileIsNotFound) {
  const std::string path = scratch_.Path("nowhere.toml");
  Result<Config> loaded = LoadConfig(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(loaded.status().message(), HasSubstr("cannot read config file " + path));
}

TEST_F(CoreConfigTest, DefaultTomlLoadsBackIdentical) {
  const std::string toml = ConfigToToml(DefaultConfig());
  Result<Config> loaded = LoadConfig(Write("defaults.toml", toml));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSameConfig(*loaded, DefaultConfig());
  EXPECT_EQ(ConfigToToml(*loaded), toml);
}

TEST_F(CoreConfigTest, ChangedTomlLoadsBackIdentical) {
  Config config = DefaultConfig();
  config.effort.by_kind[static_cast<int>(Kind::kLike)] = 0.1 + 0.2;  // not a short decimal
  config.effort.call_per_log2_minutes = 1.0 / 3.0;
  config.tie.half_life_days = 45.5;
  config.tie.center[static_cast<int>(Feature::kRecency)] = -2.75;
  config.tie.scale[static_cast<int>(Feature::kDuration)] = 1e-3;
  config.tie.coefficient[static_cast<int>(Feature::kNegativity)] = -7;
  config.volume.w_mentions = 0;
  config.rapport.max_iterations = 250;
  config.rapport.tolerance = 1e-14;
  config.rapport.depth_k = 3;
  config.rapport.fade_days = 365.25;
  config.curve.median_score = 30;
  config.curve.p95_score = 70;
  config.cooling.min_silence_days = 14;
  Result<Config> loaded = LoadConfig(Write("changed.toml", ConfigToToml(config)));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ExpectSameConfig(*loaded, config);
  EXPECT_EQ(ConfigToToml(*loaded), ConfigToToml(config));  // also covers fields added later
}

TEST_F(CoreConfigTest, CheckedInDefaultTomlIsExactlyTheCompiledDefaults) {
  const std::string path = RAPPORT_TEST_DATA "/../../config/default.toml";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path << "; create it with `rapport config`";
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_EQ(content.str(), ConfigToToml(DefaultConfig()))
      << "config/default.toml drifted from DefaultConfig(); regenerate it with `rapport config`";
}

TEST_F(CoreConfigTest, CallEffortGrowsWithLog2OfTenMinuteUnits) {
  const EffortConfig effort = DefaultConfig().effort;
  // 30 minutes: 3 + log2(1 + 30 / 10) = 3 + 2.
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kCall, 1800, 0, false, 1.0), 3 + std::log2(1 + 3.0));
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kCall, 1800, 0, false, 1.0), 5);
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kCall, 0, 0, false, 1.0), 3);
  // Two hours of meeting: 4 + log2(1 + 2).
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kMeeting, 7200, 0, false, 1.0), 4 + std::log2(3.0));
  // Duration is a bonus for calls and meetings only.
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kMessage, 7200, 0, false, 1.0), 2);
}

TEST_F(CoreConfigTest, OverrideReplacesKindEffortAndDurationBonus) {
  const EffortConfig effort = DefaultConfig().effort;
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kCall, 1800, 7.5, true, 1.0), 7.5);
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kLike, 0, 0, true, 1.0), 0);
  // Without has_override the value is ignored.
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kLike, 0, 9, false, 1.0), 0.1);
}

TEST_F(CoreConfigTest, ValenceScalesByItsMagnitude) {
  const EffortConfig effort = DefaultConfig().effort;
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kRating, 0, 0, false, -0.5), 1);
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kReply, 0, 0, false, -0.5), 0.5);
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kCall, 1800, 0, false, -0.5), 2.5);
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kReply, 0, 4, true, 0.25), 1);
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kReply, 0, 0, false, 0), 0);
}

TEST_F(CoreConfigTest, EffortFollowsTheConfig) {
  EffortConfig effort = DefaultConfig().effort;
  effort.by_kind[static_cast<int>(Kind::kCall)] = 1;
  effort.call_per_log2_minutes = 2;
  // 1 + 2 * log2(1 + 70 / 10) = 1 + 2 * 3.
  EXPECT_DOUBLE_EQ(EventEffort(effort, Kind::kCall, 4200, 0, false, 1.0), 7);
}

}  // namespace
}  // namespace rapport

namespace rapport {
namespace {

TEST(CoreConfigSectionTest, AValueWhereASectionBelongsIsAnError) {
  const test::ScratchDir scratch;
  const std::string path = scratch.Path("section_value.toml");
  for (const char* text : {"tie = 5\n", "[tie]\ncenter = 3\n"}) {
    {
      std::FILE* file = std::fopen(path.c_str(), "w");
      ASSERT_NE(file, nullptr);
      std::fputs(text, file);
      std::fclose(file);
    }
    Result<Config> config = LoadConfig(path);
    ASSERT_FALSE(config.ok()) << text;
    EXPECT_NE(config.status().message().find("must be a section"), std::string::npos)
        << config.status().message();
  }
}

}  // namespace
}  // namespace rapport
