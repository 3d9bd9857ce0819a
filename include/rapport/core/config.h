// The scoring configuration: every weight, half-life and threshold of the model in one place
// (docs/SCORING.md explains each). Defaults are compiled in; a TOML file overrides any subset
// (config/default.toml lists them all). Thread-safety: plain value.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "rapport/core/event.h"
#include "rapport/core/status.h"

namespace rapport {

// Tie-strength features, in the order of TieConfig's arrays and of every feature vector.
enum class Feature : int {
  kIntensity,        // log(1 + decayed effort both ways), half_life_days (long memory)
  kRecentIntensity,  // log(1 + effort both ways decayed with recent_half_life_days)
  kReciprocity,      // 2 min(a, b) / (a + b) of the two directions' decayed effort
  kMultiplexity,     // distinct channels used, minus one
  kDuration,         // log(1 + days from first to last contact)
  kRegularity,       // share of weeks since first contact with contact
  kRecency,          // log(1 + silence / usual gap): softened for long, regular ties
  kIntimacy,         // share of effort through private channels
  kEmbeddedness,     // Jaccard overlap of the two people's neighbourhoods
  kServices,         // log(1 + decayed effort of favours)
  kNegativity,       // share of signed evidence that is negative (distrust)
  kAttention,        // mean log share of each person's effort that goes into this pair
  kSilence,          // log(1 + days since the last contact), not relative to the pair's rhythm
  kActivityLow,      // log(1 + recent effort over all their ties) of the less active of the two
  kActivityHigh,     // the same of the more active of the two
  kSharedAttention,  // how much of their effort the two put into the same people (top partners)
};
inline constexpr int kFeatureCount = 16;
std::string_view FeatureName(Feature feature);
inline std::string_view FeatureName(int feature) {
  return FeatureName(static_cast<Feature>(feature));
}

struct EffortConfig {
  std::array<double, kKindCount> by_kind{};  // indexed by Kind
  double call_per_log2_minutes = 1.0;        // calls: + this * log2(1 + minutes / 10)
  double meeting_per_log2_hours = 1.0;       // meetings: + this * log2(1 + hours)
};

struct TieConfig {
  double half_life_days = 180;        // intensity: the relationship's long memory
  double recent_half_life_days = 14;  // recent intensity: how active it is now,
  double recent_hold_days = 7;        // at its highest over this many days (a week off is free)
  double bias = 0;
  std::array<double, kFeatureCount> center{};       // feature value mapped to 0
  std::array<double, kFeatureCount> scale{};        // feature units per standard step
  std::array<double, kFeatureCount> coefficient{};  // logistic weight per standardised feature
  double min_usual_gap_days = 7;        // recency: a gap shorter than this counts as this
  double single_contact_gap_days = 30;  // recency: the usual gap of a pair with one contact
  double neighbour_min_effort = 1.0;    // embeddedness: neighbours are people with this much
                                        // decayed effort both ways
  int top_partners = 0;  // shared attention over each person's this many top partners; 0: off
};

struct VolumeConfig {
  double window_days = 90;
  double half_life_days = 7;     // recent activity weighs more, as Klout's did
  double w_activity = 1.0;       // log(1 + own actions)
  double w_amplification = 1.0;  // log(1 + shares and likes received)
  double w_engagers = 1.0;       // log(1 + distinct people who engaged)
  double w_mentions = 1.0;       // log(1 + mentions, replies and comments received)
};

struct RapportConfig {
  double damping = 0.85;
  int max_iterations = 100;
  double tolerance = 1e-10;      // L1 change per iteration at which propagation stops
  int depth_k = 15;              // depth: sum of the k strongest tie strengths
  double strong_tie = 0.5;       // a strong tie: at least this strong
  double strong_tie_ramp = 0.2;  // breadth counts a tie 0 below strong_tie - ramp, 1 above
                                 // strong_tie + ramp, linearly between: no cliff at strong_tie
  double w_propagation = 1.0;    // log(1 + N * standing)
  double w_depth = 1.0;          // depth
  double w_breadth = 1.0;        // log(1 + number of strong ties)
  double fade_days = 180;        // a cooling tie's weight in the score falls by e every this long
};

struct CurveConfig {
  double median_score = 20;  // the population median maps here
  double p95_score = 50;     // the 95th percentile maps here; above it the curve saturates to 100
};

struct CoolingConfig {
  double min_strength = 0.5;  // only ties at least this strong can be cooling
  double gap_factor = 3;      // silence longer than this many usual gaps
  double min_silence_days = 21;
};

struct Config {
  EffortConfig effort;
  TieConfig tie;
  VolumeConfig volume;
  RapportConfig rapport;
  CurveConfig curve;
  CoolingConfig cooling;
};

// The compiled-in defaults (DESIGN.md, "Scoring model, version 1", as tuned in docs/SCORING.md).
Config DefaultConfig();
// What `fit` and `eval` score with: every feature computed, so shared attention is on (over
// kFitTopPartners top partners) unless `config` already sets tie.top_partners.
inline constexpr int kFitTopPartners = 16;
Config WithEveryFeature(Config config);
// Defaults overridden by the TOML file's keys. Unknown keys are errors (a typo must not pass
// silently); the message names the key and the file.
Result<Config> LoadConfig(const std::string& path);
// The whole configuration as TOML, in the format LoadConfig reads.
std::string ConfigToToml(const Config& config);

// Effort of one event under the config, before decay: the kind's effort (or the event's
// override) with the duration bonus of calls and meetings, times |valence|.
double EventEffort(const EffortConfig& config, Kind kind, double duration_seconds,
                   double effort_override, bool has_override, double valence);

}  // namespace rapport
