// Evaluation protocols (docs/EVALUATION.md): rapport's tie strength and single-feature baselines
// ranked against labels that the scores never saw.
//
// Time split. Features are computed as of a cut time T from the events at or before T only
// (score::ScoreEvents ignores every later event: graph::AggregatePairs stops at the first event
// after as_of); labels come from the events strictly after T. Nothing is fitted: the scores use
// the configuration given (the default one in `rapport eval`).
//
//   protocol 1, "ties against what people said": face-to-face contacts, scored as of the last
//     contact, labelled by what people reported (a friendship survey, contact diaries).
//   protocol 2, "relationships that last": the cut is at two thirds of the log's time span; the
//     candidates are the pairs with contact before it, the label is contact after it.
//
// Thread-safety: pure functions over their arguments (ScoreEvents runs OpenMP loops inside).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/core/event_log.h"
#include "rapport/core/status.h"
#include "rapport/eval/logistic.h"
#include "rapport/score/scorer.h"

namespace rapport::eval {

// What makes an event after the cut a positive label for its pair.
enum class LabelRule {
  kAnyContact,      // any event between the two, either way
  kPositiveRating,  // an event with positive valence (a trust rating > 0), either way
};

struct TimeSplit {
  double cut = 0;
  score::ScoreRun features;     // as of cut, from events at or before cut only
  std::vector<uint8_t> labels;  // parallel to features.pairs.pairs: 1 when the rule holds after
};

// Scores the log as of `cut` and labels every pair that had contact at or before the cut by the
// events after it. Pairs that appear only after the cut are not candidates and get no label.
TimeSplit SplitAt(const EventLog& log, const Config& config, double cut, LabelRule rule);

// One score over the candidate pairs, parallel to ScoreRun::pairs.pairs; higher = stronger.
struct ScoreColumn {
  std::string name;
  std::vector<double> value;
};

// The names of rapport's scores in every table: the default model, and the model re-fitted on
// the table's own labels, each pair predicted by a model that never saw it (nested 5-fold
// cross-validation; lambda chosen inside each outer training part; the default coefficients as
// the prior, so a large lambda keeps the default model).
inline constexpr const char* kTieStrengthName = "rapport tie strength";
inline constexpr const char* kFittedName = "rapport tie strength, fitted (5-fold CV)";
// The reference the fitted model must beat: a plain L2-regularised logistic regression over the
// single features (each as sign(x) ln(1 + |x|), standardised over the candidates), in the same
// nested cross-validation.
inline constexpr const char* kCombinedName =
    "L2 logistic regression over the single features (5-fold CV)";
// The two rows fitted to the table's labels, left out when single features are ranked.
bool IsFittedRow(std::string_view score);
inline constexpr int kFolds = 5;
inline constexpr uint64_t kFoldSeed = 2009;

// The model's features of the selected pairs, standardised by the config's centers and scales,
// with their labels: what `fit` and the cross-validated row fit on.
Design ModelDesign(const score::TieTable& ties, const TieConfig& config,
                   const std::vector<uint32_t>& selected,
                   const std::vector<uint8_t>& labels_by_pair);

// The default coefficients as a fitting prior.
std::vector<double> CoefficientPrior(const TieConfig& config);

// The fitted row: out-of-fold logits of nested cross-validation, parallel to `selected`.
std::vector<double> CrossValidatedStrength(const score::TieTable& ties, const TieConfig& config,
                                           const std::vector<uint32_t>& selected,
                                           const std::vector<uint8_t>& labels_by_pair);

// The combination row: out-of-fold logits of kCombinedName over `singles`, parallel to `selected`.
std::vector<double> CombinedBaseline(const std::vector<ScoreColumn>& singles,
                                     const std::vector<uint32_t>& selected,
                                     const std::vector<uint8_t>& labels_by_pair);

// AUC(better) - AUC(baseline) with a 95% paired-bootstrap interval: pairs are resampled with
// replacement (the same resample for both scores), 2.5th and 97.5th percentiles of the
// difference.
struct Comparison {
  std::string score, baseline;
  double difference = 0, low = 0, high = 0;
};
Comparison PairedBootstrap(const std::string& score, const std::vector<double>& a,
                           const std::string& baseline, const std::vector<double>& b,
                           const std::vector<uint8_t>& labels, int resamples, uint64_t seed);

// Rapport's tie strength, then the single-feature baselines:
//   event count (undecayed, both ways), total effort (undecayed, both ways), intensity,
//   recency (minus the days since the last contact), duration, regularity, reciprocity,
//   common neighbours (shared neighbours in the undirected graph of all pairs with contact).
std::vector<ScoreColumn> CandidateScores(const score::ScoreRun& run);

// Protocol 2's extra baseline: the volume score (1-100) of the less active of the two people.
inline constexpr const char* kPartnerVolumeName = "volume score, less active partner";
std::vector<double> LessActivePartnerVolume(const score::ScoreRun& run);

// Common neighbours of every pair of the table in the undirected contact graph.
std::vector<double> CommonNeighbours(const graph::PairTable& table);

struct MetricRow {
  std::string score;
  double roc_auc = 0;  // NaN when a class is empty
  double average_precision = 0;
};

struct EvalTable {
  std::string dataset;
  std::string label;  // what a positive is
  size_t pairs = 0;
  size_t positives = 0;
  std::vector<MetricRow> rows;  // in the order of the score columns
  // The default and the fitted tie strength against the best single feature of the table (the
  // baseline with the highest ROC AUC), then the fitted tie strength against the combination.
  std::vector<Comparison> comparisons;
};

// ROC AUC and AP of every column over the selected pairs (indices into the columns).
EvalTable Evaluate(const std::string& dataset, const std::string& label,
                   const std::vector<ScoreColumn>& columns, const std::vector<uint32_t>& selected,
                   const std::vector<uint8_t>& labels_by_pair);

// Protocols 1 and 2 score with WithEveryFeature(config), so that the fitted row can use shared
// attention; the default row does not change (its weight is 0 by default).
// Protocol 2 on a log: cut at first + 2/3 (last - first); the baselines include
// LessActivePartnerVolume. With one_direction_only, the candidates
// are the pairs with events in one direction only before the cut (bitcoin-otc: rated one way).
EvalTable RunLasting(const EventLog& log, const Config& config, const std::string& dataset,
                     LabelRule rule, bool one_direction_only);

// Protocol 1: the pairs with contact, scored as of the last event, labelled by `reported`
// (identity pairs, either order; pairs naming unknown identities are ignored).
using IdentityPairs = std::vector<std::pair<std::string, std::string>>;
EvalTable RunReported(const EventLog& log, const Config& config, const std::string& dataset,
                      const std::string& label, const IdentityPairs& reported);

// Loaders for the public data sets.
// A SNAP edge list ("src dst time" or "src,dst,rating,time") through ingest::ReadFile; any
// rejected line is an error naming the file and line.
Result<EventLog> LoadSnapLog(const std::string& path);

// SocioPatterns contact effort: 20 s of face-to-face contact at the meeting rate of 4 per hour.
inline constexpr double kContactSeconds = 20;
inline constexpr double kContactEffort = 4.0 * kContactSeconds / 3600.0;
// A SocioPatterns "t i j" contact file (20 s resolution). A contact is mutual, so each record
// becomes two in_person meetings, i->j and j->i, each with half of kContactEffort and half of
// the 20 s, so a pair's total effort is kContactEffort per record and its contact_seconds the
// measured contact time. The kind's default (meeting: 4 + log2(1 + hours)) would give 20 s the
// effort of a four-hour meeting.
Result<EventLog> LoadContactLog(const std::string& path);

// The first two whitespace-separated columns of each line ("i j" or "i j w"); a first line that
// does not start with a digit is a header and is skipped.
Result<IdentityPairs> LoadIdentityPairs(const std::string& path);

// A markdown table: rows = scores, columns = ROC AUC, AP, pairs, positives.
std::string MarkdownTable(const EvalTable& table);
// The comparisons as a markdown table: difference of ROC AUC and its interval.
std::string ComparisonTable(const EvalTable& table);
// A plain-language reading: where rapport's tie strength ranks, which single feature is best
// and by how much, against the base rate.
std::string Reading(const EvalTable& table);

}  // namespace rapport::eval
