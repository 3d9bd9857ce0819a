#include "rapport/eval/protocol.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <random>
#include <string_view>
#include <unordered_map>

#include "rapport/core/time.h"
#include "rapport/eval/metrics.h"
#include "rapport/ingest/reader.h"

namespace rapport::eval {
namespace {

uint64_t PairKey(PersonIndex a, PersonIndex b) {
  const PersonIndex u = std::min(a, b), v = std::max(a, b);
  return (uint64_t{u} << 32) | v;
}

std::unordered_map<uint64_t, uint32_t> IndexPairs(const graph::PairTable& table) {
  std::unordered_map<uint64_t, uint32_t> index;
  index.reserve(table.pairs.size());
  for (uint32_t i = 0; i < table.pairs.size(); ++i) {
    index.emplace(PairKey(table.pairs[i].u, table.pairs[i].v), i);
  }
  return index;
}

std::vector<double> FeatureColumn(const score::TieTable& ties, Feature feature) {
  std::vector<double> column;
  column.reserve(ties.features.size());
  for (const score::FeatureVector& x : ties.features)
    column.push_back(x[static_cast<int>(feature)]);
  return column;
}

std::string FormatMetric(double value) {
  return std::isnan(value) ? std::string("n/a") : fmt::format("{:.3f}", value);
}

std::vector<std::string_view> SplitWhitespace(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    size_t start = i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    if (i > start) fields.push_back(line.substr(start, i - start));
  }
  return fields;
}

}  // namespace

TimeSplit SplitAt(const EventLog& log, const Config& config, double cut, LabelRule rule) {
  TimeSplit split;
  split.cut = cut;
  split.features = score::ScoreEvents(log, config, cut);
  split.labels.assign(split.features.pairs.pairs.size(), 0);
  const std::unordered_map<uint64_t, uint32_t> index = IndexPairs(split.features.pairs);
  for (size_t e = 0; e < log.event_count(); ++e) {
    if (log.time[e] <= cut) continue;
    if (rule == LabelRule::kPositiveRating && !(log.valence[e] > 0)) continue;
    for (uint64_t t = log.target_offset[e]; t < log.target_offset[e + 1]; ++t) {
      auto it = index.find(PairKey(log.actor[e], log.targets[t]));
      if (it != index.end()) split.labels[it->second] = 1;
    }
  }
  return split;
}

std::vector<double> CommonNeighbours(const graph::PairTable& table) {
  const graph::Adjacency adjacency =
      graph::BuildAdjacency(table, [](const graph::PairRecord&) { return true; });
  std::vector<double> common(table.pairs.size(), 0.0);
  for (size_t i = 0; i < table.pairs.size(); ++i) {
    const graph::PairRecord& record = table.pairs[i];
    // Both lists are sorted; neither contains its own owner, so u and v never count.
    auto a = adjacency.neighbour.begin() + static_cast<std::ptrdiff_t>(adjacency.offset[record.u]);
    auto a_end =
        adjacency.neighbour.begin() + static_cast<std::ptrdiff_t>(adjacency.offset[record.u + 1]);
    auto b = adjacency.neighbour.begin() + static_cast<std::ptrdiff_t>(adjacency.offset[record.v]);
    auto b_end =
        adjacency.neighbour.begin() + static_cast<std::ptrdiff_t>(adjacency.offset[record.v + 1]);
    uint64_t shared = 0;
    while (a != a_end && b != b_end) {
      if (*a < *b) {
        ++a;
      } else if (*b < *a) {
        ++b;
      } else {
        ++shared;
        ++a;
        ++b;
      }
    }
    common[i] = static_cast<double>(shared);
  }
  return common;
}

std::vector<ScoreColumn> CandidateScores(const score::ScoreRun& run) {
  const std::vector<graph::PairRecord>& pairs = run.pairs.pairs;
  std::vector<ScoreColumn> columns;
  columns.push_back({kTieStrengthName, run.ties.strength});
  ScoreColumn count{"event count", {}}, effort{"total effort", {}}, recency{"recency", {}};
  for (const graph::PairRecord& record : pairs) {
    count.value.push_back(static_cast<double>(record.count[0]) + record.count[1]);
    effort.value.push_back(record.raw_effort[0] + record.raw_effort[1]);
    recency.value.push_back(-std::max(0.0, run.as_of - record.last) / kSecondsPerDay);
  }
  columns.push_back(std::move(count));
  columns.push_back(std::move(effort));
  columns.push_back({"intensity", FeatureColumn(run.ties, Feature::kIntensity)});
  columns.push_back(std::move(recency));
  columns.push_back({"duration", FeatureColumn(run.ties, Feature::kDuration)});
  columns.push_back({"regularity", FeatureColumn(run.ties, Feature::kRegularity)});
  columns.push_back({"reciprocity", FeatureColumn(run.ties, Feature::kReciprocity)});
  columns.push_back({"common neighbours", CommonNeighbours(run.pairs)});
  return columns;
}

EvalTable Evaluate(const std::string& dataset, const std::string& label,
                   const std::vector<ScoreColumn>& columns, const std::vector<uint32_t>& selected,
                   const std::vector<uint8_t>& labels_by_pair) {
  EvalTable table;
  table.dataset = dataset;
  table.label = label;
  table.pairs = selected.size();
  std::vector<uint8_t> labels;
  labels.reserve(selected.size());
  for (uint32_t i : selected) labels.push_back(labels_by_pair[i]);
  for (uint8_t value : labels) table.positives += value != 0 ? 1 : 0;
  for (const ScoreColumn& column : columns) {
    std::vector<double> scores;
    scores.reserve(selected.size());
    for (uint32_t i : selected) scores.push_back(column.value[i]);
    table.rows.push_back({column.name, RocAuc(scores, labels), AveragePrecision(scores, labels)});
  }
  return table;
}

Design ModelDesign(const score::TieTable& ties, const TieConfig& config,
                   const std::vector<uint32_t>& selected,
                   const std::vector<uint8_t>& labels_by_pair) {
  Design design;
  design.columns = kFeatureCount;
  design.x.reserve(selected.size() * kFeatureCount);
  for (uint32_t i : selected) {
    for (int f = 0; f < kFeatureCount; ++f) {
      design.x.push_back((ties.features[i][f] - config.center[f]) / config.scale[f]);
    }
    design.labels.push_back(labels_by_pair[i]);
  }
  return design;
}

std::vector<double> CoefficientPrior(const TieConfig& config) {
  return {config.coefficient.begin(), config.coefficient.end()};
}

std::vector<double> CrossValidatedStrength(const score::TieTable& ties, const TieConfig& config,
                                           const std::vector<uint32_t>& selected,
                                           const std::vector<uint8_t>& labels_by_pair) {
  return NestedCrossValidatedLogits(ModelDesign(ties, config, selected, labels_by_pair), kFolds,
                                    kFoldSeed, DefaultLambdaGrid(), CoefficientPrior(config));
}

std::vector<double> LessActivePartnerVolume(const score::ScoreRun& run) {
  std::vector<double> volume(run.pairs.person_count, 1.0);  // the curve's floor when unscored
  for (const score::PersonScore& person : run.people) volume[person.index] = person.volume_score;
  std::vector<double> column;
  column.reserve(run.pairs.pairs.size());
  for (const graph::PairRecord& record : run.pairs.pairs) {
    column.push_back(std::min(volume[record.u], volume[record.v]));
  }
  return column;
}

Comparison PairedBootstrap(const std::string& score, const std::vector<double>& a,
                           const std::string& baseline, const std::vector<double>& b,
                           const std::vector<uint8_t>& labels, int resamples, uint64_t seed) {
  Comparison comparison{score, baseline, RocAuc(a, labels) - RocAuc(b, labels), 0, 0};
  std::vector<double> differences(static_cast<size_t>(resamples));
  const size_t n = labels.size();
  // Each resample has its own generator, so the result does not depend on the thread count.
#pragma omp parallel for schedule(dynamic, 8)
  for (int r = 0; r < resamples; ++r) {
    std::mt19937_64 random(seed + static_cast<uint64_t>(r));
    std::uniform_int_distribution<size_t> pick(0, n - 1);
    std::vector<double> sa(n), sb(n);
    std::vector<uint8_t> sl(n);
    for (size_t i = 0; i < n; ++i) {
      const size_t j = pick(random);
      sa[i] = a[j];
      sb[i] = b[j];
      sl[i] = labels[j];
    }
    differences[static_cast<size_t>(r)] = RocAuc(sa, sl) - RocAuc(sb, sl);
  }
  std::erase_if(differences, [](double d) { return std::isnan(d); });
  std::sort(differences.begin(), differences.end());
  if (!differences.empty()) {
    auto at = [&](double q) {
      return differences[static_cast<size_t>(q * static_cast<double>(differences.size() - 1))];
    };
    comparison.low = at(0.025);
    comparison.high = at(0.975);
  }
  return comparison;
}

namespace {

// sign(x) ln(1 + |x|): tames counts and efforts, keeps shares and signs.
double SignedLog(double x) { return std::copysign(std::log1p(std::abs(x)), x); }

}  // namespace

std::vector<double> CombinedBaseline(const std::vector<ScoreColumn>& singles,
                                     const std::vector<uint32_t>& selected,
                                     const std::vector<uint8_t>& labels_by_pair) {
  Design design;
  design.columns = static_cast<int>(singles.size());
  design.x.resize(selected.size() * singles.size());
  for (size_t c = 0; c < singles.size(); ++c) {
    // Standardised over the candidates (no labels involved), so one lambda suits every column.
    double sum = 0, squares = 0;
    for (uint32_t i : selected) {
      const double x = SignedLog(singles[c].value[i]);
      sum += x;
      squares += x * x;
    }
    const double n = static_cast<double>(std::max<size_t>(1, selected.size()));
    const double mean = sum / n;
    const double deviation = std::sqrt(std::max(0.0, squares / n - mean * mean));
    for (size_t r = 0; r < selected.size(); ++r) {
      const double x = SignedLog(singles[c].value[selected[r]]) - mean;
      design.x[r * singles.size() + c] = deviation > 0 ? x / deviation : 0.0;
    }
  }
  for (uint32_t i : selected) design.labels.push_back(labels_by_pair[i]);
  return NestedCrossValidatedLogits(design, kFolds, kFoldSeed, DefaultLambdaGrid(),
                                    std::vector<double>(singles.size(), 0.0));
}

bool IsFittedRow(std::string_view score) { return score == kFittedName || score == kCombinedName; }

namespace {

inline constexpr int kBootstrapResamples = 1000;

// The candidate scores plus the two fitted rows, evaluated: the default tie strength, the fitted
// one, the L2 combination of the single features, then the single features. The two rapport rows
// are compared with the best single feature, and the fitted one with the combination.
EvalTable EvaluateWithFit(const std::string& dataset, const std::string& label,
                          const score::ScoreRun& run, const std::vector<uint32_t>& selected,
                          const std::vector<uint8_t>& labels_by_pair,
                          std::vector<ScoreColumn> extra_baselines = {}) {
  std::vector<ScoreColumn> columns = CandidateScores(run);
  for (ScoreColumn& column : extra_baselines) columns.push_back(std::move(column));
  const std::vector<ScoreColumn> singles(columns.begin() + 1, columns.end());
  auto spread = [&](const char* name, const std::vector<double>& by_selected) {
    ScoreColumn column{name, std::vector<double>(run.pairs.pairs.size(), 0.0)};
    for (size_t i = 0; i < selected.size(); ++i) column.value[selected[i]] = by_selected[i];
    return column;
  };
  columns.insert(columns.begin() + 1,
                 spread(kFittedName, CrossValidatedStrength(run.ties, run.config.tie, selected,
                                                            labels_by_pair)));
  columns.insert(columns.begin() + 2,
                 spread(kCombinedName, CombinedBaseline(singles, selected, labels_by_pair)));
  EvalTable table = Evaluate(dataset, label, columns, selected, labels_by_pair);

  size_t best = 3;
  for (size_t c = 3; c < table.rows.size(); ++c) {
    if (table.rows[c].roc_auc > table.rows[best].roc_auc) best = c;
  }
  auto values = [&](size_t c) {
    std::vector<double> v;
    v.reserve(selected.size());
    for (uint32_t i : selected) v.push_back(columns[c].value[i]);
    return v;
  };
  std::vector<uint8_t> labels;
  for (uint32_t i : selected) labels.push_back(labels_by_pair[i]);
  for (auto [c, baseline] : {std::pair<size_t, size_t>{0, best}, {1, best}, {1, 2}}) {
    table.comparisons.push_back(PairedBootstrap(columns[c].name, values(c), columns[baseline].name,
                                                values(baseline), labels, kBootstrapResamples,
                                                kFoldSeed + c));
  }
  return table;
}

}  // namespace

EvalTable RunLasting(const EventLog& log, const Config& config, const std::string& dataset,
                     LabelRule rule, bool one_direction_only) {
  const double first = log.event_count() > 0 ? log.time.front() : 0;
  const double last = log.event_count() > 0 ? log.time.back() : 0;
  const double cut = first + (last - first) * 2.0 / 3.0;
  const TimeSplit split = SplitAt(log, WithEveryFeature(config), cut, rule);
  std::vector<uint32_t> selected;
  for (uint32_t i = 0; i < split.features.pairs.pairs.size(); ++i) {
    const graph::PairRecord& record = split.features.pairs.pairs[i];
    const bool one_way = (record.count[0] == 0) != (record.count[1] == 0);
    if (!one_direction_only || one_way) selected.push_back(i);
  }
  const std::string label = rule == LabelRule::kPositiveRating
                                ? "a positive rating in the last third, either way"
                                : "contact in the last third";
  return EvaluateWithFit(dataset, label, split.features, selected, split.labels,
                         {{kPartnerVolumeName, LessActivePartnerVolume(split.features)}});
}

EvalTable RunReported(const EventLog& log, const Config& config, const std::string& dataset,
                      const std::string& label, const IdentityPairs& reported) {
  const double as_of = log.event_count() > 0 ? log.time.back() : 0;
  const score::ScoreRun run = score::ScoreEvents(log, WithEveryFeature(config), as_of);
  std::unordered_map<std::string, PersonIndex> person;
  for (size_t p = 0; p < log.person_count(); ++p) {
    person.emplace(log.person_name[p], static_cast<PersonIndex>(p));
  }
  const std::unordered_map<uint64_t, uint32_t> index = IndexPairs(run.pairs);
  std::vector<uint8_t> labels(run.pairs.pairs.size(), 0);
  for (const auto& [a, b] : reported) {
    auto pa = person.find(a), pb = person.find(b);
    if (pa == person.end() || pb == person.end()) continue;
    auto it = index.find(PairKey(pa->second, pb->second));
    if (it != index.end()) labels[it->second] = 1;
  }
  std::vector<uint32_t> selected(run.pairs.pairs.size());
  for (uint32_t i = 0; i < selected.size(); ++i) selected[i] = i;
  return EvaluateWithFit(dataset, label, run, selected, labels);
}

Result<EventLog> LoadSnapLog(const std::string& path) {
  ingest::ReadOptions options;
  options.format = ingest::Format::kSnap;
  std::vector<Event> events;
  std::string first_reject;
  int64_t rejects = 0;
  Result<ingest::ReadCounts> counts = ingest::ReadFile(
      path, options,
      [&events](Event&& event) {
        events.push_back(std::move(event));
        return Status::Ok();
      },
      [&](ingest::Reject&& reject) {
        if (rejects++ == 0) {
          first_reject = fmt::format("{}, line {}: {}", reject.file, reject.line, reject.reason);
        }
      });
  if (!counts.ok()) return counts.status();
  if (rejects > 0) {
    return DataLoss(fmt::format("{} of {} records could not be read; the first: {}", rejects,
                                counts->records, first_reject));
  }
  return EventLogFromEvents(events);
}

Result<EventLog> LoadContactLog(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound(fmt::format("{}: cannot open the contact file", path));
  std::vector<Event> events;
  std::string line;
  int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const std::vector<std::string_view> fields = SplitWhitespace(line);
    if (fields.empty()) continue;
    double time = 0;
    try {
      time = std::stod(std::string(fields[0]));
    } catch (const std::exception&) {
      time = std::nan("");
    }
    if (fields.size() < 3 || std::isnan(time)) {
      return DataLoss(
          fmt::format("{}, line {}: expected \"t i j\", found \"{}\"", path, line_number, line));
    }
    if (fields[1] == fields[2]) continue;  // not an interaction
    for (int direction = 0; direction < 2; ++direction) {
      Event event;
      event.time = time;
      event.channel = Channel::kInPerson;
      event.kind = Kind::kMeeting;
      event.actor = std::string(fields[direction == 0 ? 1 : 2]);
      event.targets.emplace_back(fields[direction == 0 ? 2 : 1]);
      event.is_private = DefaultPrivate(event.channel, event.kind);
      event.duration = kContactSeconds / 2;
      event.effort = kContactEffort / 2;
      events.push_back(std::move(event));
    }
  }
  return EventLogFromEvents(events);
}

Result<IdentityPairs> LoadIdentityPairs(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound(fmt::format("{}: cannot open the pair list", path));
  IdentityPairs pairs;
  std::string line;
  int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    const std::vector<std::string_view> fields = SplitWhitespace(line);
    if (fields.empty()) continue;
    if (line_number == 1 && !std::isdigit(static_cast<unsigned char>(fields[0][0]))) continue;
    if (fields.size() < 2) {
      return DataLoss(
          fmt::format("{}, line {}: expected \"i j\", found \"{}\"", path, line_number, line));
    }
    pairs.emplace_back(std::string(fields[0]), std::string(fields[1]));
  }
  return pairs;
}

std::string ComparisonTable(const EvalTable& table) {
  std::string out =
      "| score | against | ROC AUC difference | 95% interval (paired bootstrap) |\n"
      "|---|---|---|---|\n";
  for (const Comparison& c : table.comparisons) {
    out += fmt::format("| {} | {} | {:+.3f} | {:+.3f} .. {:+.3f} |\n", c.score, c.baseline,
                       c.difference, c.low, c.high);
  }
  return out;
}

std::string MarkdownTable(const EvalTable& table) {
  std::string out = "| score | ROC AUC | AP | pairs | positives |\n|---|---|---|---|---|\n";
  for (const MetricRow& row : table.rows) {
    out += fmt::format("| {} | {} | {} | {} | {} |\n", row.score, FormatMetric(row.roc_auc),
                       FormatMetric(row.average_precision), table.pairs, table.positives);
  }
  return out;
}

namespace {

// Where rapport's tie strength stands on one metric, in a sentence.
std::string CompareOn(const EvalTable& table, const char* metric_name, double MetricRow::*metric) {
  const MetricRow* rapport = nullptr;
  const MetricRow* best_other = nullptr;
  int rank = 1;
  for (const MetricRow& row : table.rows) {
    if (row.score == kTieStrengthName) rapport = &row;
  }
  if (rapport == nullptr || std::isnan(rapport->*metric)) {
    return fmt::format("{} is undefined here.", metric_name);
  }
  for (const MetricRow& row : table.rows) {
    if (&row == rapport || IsFittedRow(row.score) || std::isnan(row.*metric)) continue;
    if (row.*metric > rapport->*metric) ++rank;
    if (best_other == nullptr || row.*metric > best_other->*metric) best_other = &row;
  }
  if (best_other == nullptr) return "";
  const double gap = rapport->*metric - best_other->*metric;
  if (gap >= 0) {
    return fmt::format(
        "By {} the tie strength ({:.3f}) is the best score, {:.3f} ahead of the best single "
        "feature, {} ({:.3f}).",
        metric_name, rapport->*metric, gap, best_other->score, best_other->*metric);
  }
  const std::string by = -gap < 0.0005 ? "less than 0.001" : fmt::format("{:.3f}", -gap);
  return fmt::format(
      "By {} the tie strength ({:.3f}) ranks {} of {}: the single feature {} beats it by {} "
      "({:.3f}).",
      metric_name, rapport->*metric, rank, table.rows.size(), best_other->score, by,
      best_other->*metric);
}

// Scores that rank every candidate alike (ROC AUC exactly 0.5 and AP at the base rate): a
// feature that does not vary in this data set, e.g. one rating per pair.
std::string ConstantScores(const EvalTable& table, double base_rate) {
  std::string names;
  for (const MetricRow& row : table.rows) {
    if (row.roc_auc == 0.5 && std::abs(row.average_precision - base_rate) < 1e-12) {
      names += (names.empty() ? "" : ", ") + row.score;
    }
  }
  if (names.empty()) return "";
  return fmt::format(
      " Constant over these candidates, so at chance by construction rather than by failure: "
      "{}.",
      names);
}

}  // namespace

std::string Reading(const EvalTable& table) {
  if (table.pairs == 0) return "No candidate pairs: nothing to measure.";
  const double base_rate = static_cast<double>(table.positives) / static_cast<double>(table.pairs);
  return fmt::format(
             "{} of {} candidate pairs are positive ({:.1f}%, the AP of a random ranking; its ROC "
             "AUC "
             "is 0.5). {} {}",
             table.positives, table.pairs, 100 * base_rate,
             CompareOn(table, "ROC AUC", &MetricRow::roc_auc),
             CompareOn(table, "AP", &MetricRow::average_precision)) +
         ConstantScores(table, base_rate);
}

}  // namespace rapport::eval
