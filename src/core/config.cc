#include "rapport/core/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <sstream>

namespace rapport {
namespace {

constexpr std::array<std::string_view, kFeatureCount> kFeatureNames = {
    "intensity", "recent_intensity", "reciprocity",   "multiplexity",    "duration",   "regularity",
    "recency",   "intimacy",         "embeddedness",  "services",        "negativity", "attention",
    "silence",   "activity_low",     "activity_high", "shared_attention"};

// Reads `table[key]` into `out` when present; a value of the wrong type is an error.
Status ReadNumber(const toml::table& table, std::string_view section, std::string_view key,
                  double& out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return Status::Ok();
  if (auto value = node->value<double>()) {
    out = *value;
    return Status::Ok();
  }
  return InvalidArgument(fmt::format("[{}] {}: expected a number", section, key));
}

Status CheckKnownKeys(const toml::table& table, std::string_view section,
                      std::initializer_list<std::string_view> known) {
  for (const auto& [key, node] : table) {
    bool found = false;
    for (std::string_view name : known) found = found || key.str() == name;
    if (!found) {
      std::string names;
      for (std::string_view name : known) names += (names.empty() ? "" : ", ") + std::string(name);
      return InvalidArgument(
          fmt::format("[{}] unknown key \"{}\"; known keys: {}", section, key.str(), names));
    }
  }
  return Status::Ok();
}

const toml::table* SubTable(const toml::table& root, std::string_view name) {
  const toml::node* node = root.get(name);
  return node == nullptr ? nullptr : node->as_table();
}

Status ApplyToml(const toml::table& root, Config& config) {
  RAPPORT_RETURN_IF_ERROR(CheckKnownKeys(
      root, "top level", {"effort", "tie", "volume", "rapport", "curve", "cooling"}));
  for (const auto& [key, node] : root) {
    if (!node.is_table()) {
      return InvalidArgument(
          fmt::format("\"{}\" must be a section ([{}]), not a value", key.str(), key.str()));
    }
  }

  if (const toml::table* t = SubTable(root, "effort")) {
    std::vector<std::string_view> known = {"call_per_log2_minutes", "meeting_per_log2_hours"};
    for (int k = 0; k < kKindCount; ++k) {
      std::string_view name = KindName(static_cast<Kind>(k));
      known.push_back(name);
      RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "effort", name, config.effort.by_kind[k]));
    }
    for (const auto& [key, node] : *t) {
      bool found = false;
      for (std::string_view name : known) found = found || key.str() == name;
      if (!found) {
        return InvalidArgument(
            fmt::format("[effort] unknown key \"{}\"; use a kind ({}) or call_per_log2_minutes, "
                        "meeting_per_log2_hours",
                        key.str(), AllKindNames()));
      }
    }
    RAPPORT_RETURN_IF_ERROR(
        ReadNumber(*t, "effort", "call_per_log2_minutes", config.effort.call_per_log2_minutes));
    RAPPORT_RETURN_IF_ERROR(
        ReadNumber(*t, "effort", "meeting_per_log2_hours", config.effort.meeting_per_log2_hours));
    for (int k = 0; k < kKindCount; ++k) {
      if (!(config.effort.by_kind[k] >= 0)) {
        return InvalidArgument(
            fmt::format("[effort] {} must be 0 or more", KindName(static_cast<Kind>(k))));
      }
    }
  }

  if (const toml::table* t = SubTable(root, "tie")) {
    RAPPORT_RETURN_IF_ERROR(
        CheckKnownKeys(*t, "tie",
                       {"half_life_days", "recent_half_life_days", "recent_hold_days", "bias",
                        "min_usual_gap_days", "single_contact_gap_days", "neighbour_min_effort",
                        "top_partners", "center", "scale", "coefficient"}));
    TieConfig& tie = config.tie;
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "tie", "half_life_days", tie.half_life_days));
    RAPPORT_RETURN_IF_ERROR(
        ReadNumber(*t, "tie", "recent_half_life_days", tie.recent_half_life_days));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "tie", "recent_hold_days", tie.recent_hold_days));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "tie", "bias", tie.bias));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "tie", "min_usual_gap_days", tie.min_usual_gap_days));
    RAPPORT_RETURN_IF_ERROR(
        ReadNumber(*t, "tie", "single_contact_gap_days", tie.single_contact_gap_days));
    RAPPORT_RETURN_IF_ERROR(
        ReadNumber(*t, "tie", "neighbour_min_effort", tie.neighbour_min_effort));
    double top_partners = tie.top_partners;
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "tie", "top_partners", top_partners));
    if (!(top_partners >= 0 && top_partners <= 1000) || top_partners != std::floor(top_partners)) {
      return InvalidArgument("[tie] top_partners must be a whole number from 0 (off) to 1000");
    }
    tie.top_partners = static_cast<int>(top_partners);
    for (auto [name, values] : {std::pair{"center", &tie.center}, std::pair{"scale", &tie.scale},
                                std::pair{"coefficient", &tie.coefficient}}) {
      const toml::node* sub_node = t->get(name);
      if (sub_node == nullptr) continue;
      const toml::table* sub = sub_node->as_table();
      if (sub == nullptr) {
        return InvalidArgument(fmt::format("[tie] {} must be a section ([tie.{}])", name, name));
      }
      std::string section = std::string("tie.") + name;
      std::vector<std::string_view> known(kFeatureNames.begin(), kFeatureNames.end());
      for (const auto& [key, node] : *sub) {
        bool found = false;
        for (std::string_view feature : known) found = found || key.str() == feature;
        if (!found) {
          return InvalidArgument(fmt::format("[{}] unknown feature \"{}\"; features: {}", section,
                                             key.str(), fmt::join(kFeatureNames, ", ")));
        }
      }
      for (int f = 0; f < kFeatureCount; ++f) {
        RAPPORT_RETURN_IF_ERROR(ReadNumber(*sub, section, kFeatureNames[f], (*values)[f]));
      }
    }
    for (int f = 0; f < kFeatureCount; ++f) {
      if (!(tie.scale[f] > 0)) {
        return InvalidArgument(fmt::format("[tie.scale] {} must be positive", kFeatureNames[f]));
      }
    }
    if (!(tie.half_life_days > 0) || !(tie.recent_half_life_days > 0) ||
        !(tie.min_usual_gap_days > 0) || !(tie.single_contact_gap_days > 0)) {
      return InvalidArgument(
          "[tie] half_life_days, recent_half_life_days, min_usual_gap_days and "
          "single_contact_gap_days must be positive");
    }
    if (!(tie.neighbour_min_effort >= 0) || !(tie.recent_hold_days >= 0)) {
      return InvalidArgument("[tie] neighbour_min_effort and recent_hold_days must be 0 or more");
    }
  }

  if (const toml::table* t = SubTable(root, "volume")) {
    RAPPORT_RETURN_IF_ERROR(CheckKnownKeys(*t, "volume",
                                           {"window_days", "half_life_days", "w_activity",
                                            "w_amplification", "w_engagers", "w_mentions"}));
    VolumeConfig& v = config.volume;
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "volume", "window_days", v.window_days));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "volume", "half_life_days", v.half_life_days));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "volume", "w_activity", v.w_activity));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "volume", "w_amplification", v.w_amplification));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "volume", "w_engagers", v.w_engagers));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "volume", "w_mentions", v.w_mentions));
    if (!(v.window_days > 0) || !(v.half_life_days > 0)) {
      return InvalidArgument("[volume] window_days and half_life_days must be positive");
    }
  }

  if (const toml::table* t = SubTable(root, "rapport")) {
    RAPPORT_RETURN_IF_ERROR(
        CheckKnownKeys(*t, "rapport",
                       {"damping", "max_iterations", "tolerance", "depth_k", "strong_tie",
                        "strong_tie_ramp", "w_propagation", "w_depth", "w_breadth", "fade_days"}));
    RapportConfig& r = config.rapport;
    double iterations = r.max_iterations, depth_k = r.depth_k;
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "rapport", "damping", r.damping));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "rapport", "max_iterations", iterations));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "rapport", "tolerance", r.tolerance));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "rapport", "depth_k", depth_k));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "rapport", "strong_tie", r.strong_tie));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "rapport", "strong_tie_ramp", r.strong_tie_ramp));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "rapport", "w_propagation", r.w_propagation));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "rapport", "w_depth", r.w_depth));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "rapport", "w_breadth", r.w_breadth));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "rapport", "fade_days", r.fade_days));
    if (!(r.fade_days > 0) || !(r.strong_tie_ramp > 0)) {
      return InvalidArgument("[rapport] fade_days and strong_tie_ramp must be positive");
    }
    if (!(iterations >= 1 && iterations <= 1e6) || !(depth_k >= 1 && depth_k <= 1e6)) {
      return InvalidArgument("[rapport] max_iterations and depth_k must be between 1 and 1000000");
    }
    r.max_iterations = static_cast<int>(iterations);
    r.depth_k = static_cast<int>(depth_k);
    if (!(r.damping >= 0 && r.damping < 1)) {
      return InvalidArgument("[rapport] damping must be in [0, 1)");
    }
    if (r.max_iterations < 1 || r.depth_k < 1) {
      return InvalidArgument("[rapport] max_iterations and depth_k must be at least 1");
    }
  }

  if (const toml::table* t = SubTable(root, "curve")) {
    RAPPORT_RETURN_IF_ERROR(CheckKnownKeys(*t, "curve", {"median_score", "p95_score"}));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "curve", "median_score", config.curve.median_score));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "curve", "p95_score", config.curve.p95_score));
    if (!(1 < config.curve.median_score && config.curve.median_score < config.curve.p95_score &&
          config.curve.p95_score < 100)) {
      return InvalidArgument("[curve] need 1 < median_score < p95_score < 100");
    }
  }

  if (const toml::table* t = SubTable(root, "cooling")) {
    RAPPORT_RETURN_IF_ERROR(
        CheckKnownKeys(*t, "cooling", {"min_strength", "gap_factor", "min_silence_days"}));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "cooling", "min_strength", config.cooling.min_strength));
    RAPPORT_RETURN_IF_ERROR(ReadNumber(*t, "cooling", "gap_factor", config.cooling.gap_factor));
    RAPPORT_RETURN_IF_ERROR(
        ReadNumber(*t, "cooling", "min_silence_days", config.cooling.min_silence_days));
  }
  return Status::Ok();
}

}  // namespace

std::string_view FeatureName(Feature feature) { return kFeatureNames[static_cast<int>(feature)]; }

Config DefaultConfig() {
  Config config;
  // DESIGN.md effort table; rating is a trust judgement, worth about an email.
  auto& effort = config.effort.by_kind;
  auto set = [&effort](Kind kind, double value) { effort[static_cast<int>(kind)] = value; };
  set(Kind::kPost, 0);
  set(Kind::kLike, 0.1);
  set(Kind::kFollow, 0.2);
  set(Kind::kShare, 0.5);
  set(Kind::kMention, 0.7);
  set(Kind::kReply, 1);
  set(Kind::kComment, 1.5);
  set(Kind::kMessage, 2);
  set(Kind::kEmail, 2);
  set(Kind::kCall, 3);
  set(Kind::kMeeting, 4);
  set(Kind::kFavour, 6);
  set(Kind::kRating, 2);

  TieConfig& tie = config.tie;
  auto feature = [&tie](Feature f, double center, double scale, double coefficient) {
    int i = static_cast<int>(f);
    tie.center[i] = center;
    tie.scale[i] = scale;
    tie.coefficient[i] = coefficient;
  };
  tie.bias = -1.0;
  feature(Feature::kIntensity, 2.5, 1.0, 0.1);
  feature(Feature::kRecentIntensity, 1.0, 1.0, 1.0);
  feature(Feature::kReciprocity, 0.5, 0.25, 0.0);
  feature(Feature::kMultiplexity, 0.0, 1.0, 0.4);
  feature(Feature::kDuration, 3.4, 1.0, 0.1);
  feature(Feature::kRegularity, 0.2, 0.2, 0.1);
  feature(Feature::kRecency, 1.0, 1.0, 0.0);
  feature(Feature::kIntimacy, 0.5, 0.25, 0.3);
  feature(Feature::kEmbeddedness, 0.1, 0.1, 0.1);
  feature(Feature::kServices, 0.0, 1.0, 0.5);
  feature(Feature::kNegativity, 0.0, 0.25, -1.0);
  feature(Feature::kAttention, -3.0, 1.0, 0.0);
  feature(Feature::kSilence, 2.0, 1.0, 0.0);
  feature(Feature::kActivityLow, 2.0, 1.0, 0.0);
  feature(Feature::kActivityHigh, 3.0, 1.0, 0.0);
  feature(Feature::kSharedAttention, 0.05, 0.05, 0.0);
  return config;
}

Config WithEveryFeature(Config config) {
  if (config.tie.top_partners == 0) config.tie.top_partners = kFitTopPartners;
  return config;
}

Result<Config> LoadConfig(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    if (error.source().begin.line == 0) {
      return NotFound(fmt::format("cannot read config file {}: {}", path, error.description()));
    }
    return InvalidArgument(
        fmt::format("{}, line {}: {}", path, error.source().begin.line, error.description()));
  }
  Config config = DefaultConfig();
  Status status = ApplyToml(root, config);
  if (!status.ok()) return status.WithContext(path);
  return config;
}

std::string ConfigToToml(const Config& config) {
  std::string out = "# Rapport scoring configuration (docs/SCORING.md explains every key).\n\n";
  out += "[effort]  # effort of one interaction, by kind\n";
  for (int k = 0; k < kKindCount; ++k) {
    out += fmt::format("{} = {}\n", KindName(static_cast<Kind>(k)), config.effort.by_kind[k]);
  }
  out += fmt::format("call_per_log2_minutes = {}\nmeeting_per_log2_hours = {}\n\n",
                     config.effort.call_per_log2_minutes, config.effort.meeting_per_log2_hours);
  const TieConfig& tie = config.tie;
  out += fmt::format(
      "[tie]\nhalf_life_days = {}\nrecent_half_life_days = {}\nrecent_hold_days = {}\nbias = {}\n"
      "min_usual_gap_days = {}\nsingle_contact_gap_days = {}\nneighbour_min_effort = {}\n"
      "top_partners = {}\n\n",
      tie.half_life_days, tie.recent_half_life_days, tie.recent_hold_days, tie.bias,
      tie.min_usual_gap_days, tie.single_contact_gap_days, tie.neighbour_min_effort,
      tie.top_partners);
  for (auto [name, values] : {std::pair{"center", &tie.center}, std::pair{"scale", &tie.scale},
                              std::pair{"coefficient", &tie.coefficient}}) {
    out += fmt::format("[tie.{}]\n", name);
    for (int f = 0; f < kFeatureCount; ++f) {
      out += fmt::format("{} = {}\n", kFeatureNames[f], (*values)[f]);
    }
    out += "\n";
  }
  const VolumeConfig& v = config.volume;
  out += fmt::format(
      "[volume]\nwindow_days = {}\nhalf_life_days = {}\nw_activity = {}\nw_amplification = {}\n"
      "w_engagers = {}\nw_mentions = {}\n\n",
      v.window_days, v.half_life_days, v.w_activity, v.w_amplification, v.w_engagers, v.w_mentions);
  const RapportConfig& r = config.rapport;
  out += fmt::format(
      "[rapport]\ndamping = {}\nmax_iterations = {}\ntolerance = {}\ndepth_k = {}\n"
      "strong_tie = {}\nstrong_tie_ramp = {}\nw_propagation = {}\nw_depth = {}\nw_breadth = {}\n"
      "fade_days = {}\n\n",
      r.damping, r.max_iterations, r.tolerance, r.depth_k, r.strong_tie, r.strong_tie_ramp,
      r.w_propagation, r.w_depth, r.w_breadth, r.fade_days);
  out += fmt::format("[curve]\nmedian_score = {}\np95_score = {}\n\n", config.curve.median_score,
                     config.curve.p95_score);
  out += fmt::format("[cooling]\nmin_strength = {}\ngap_factor = {}\nmin_silence_days = {}\n",
                     config.cooling.min_strength, config.cooling.gap_factor,
                     config.cooling.min_silence_days);
  return out;
}

double EventEffort(const EffortConfig& config, Kind kind, double duration_seconds,
                   double effort_override, bool has_override, double valence) {
  double effort = has_override ? effort_override : config.by_kind[static_cast<int>(kind)];
  if (!has_override && duration_seconds > 0) {
    if (kind == Kind::kCall) {
      effort += config.call_per_log2_minutes * std::log2(1 + duration_seconds / 600.0);
    } else if (kind == Kind::kMeeting) {
      effort += config.meeting_per_log2_hours * std::log2(1 + duration_seconds / 3600.0);
    }
  }
  return effort * std::fabs(valence);
}

}  // namespace rapport
