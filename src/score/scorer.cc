#include "rapport/score/scorer.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "rapport/core/time.h"
#include "rapport/score/propagation.h"

namespace rapport::score {
namespace {

// w(u->v) = s(u, v) * effort(u->v) / sum_x effort(u->x), laid out by target for pulling, with
// people relabelled by out-degree for the kernel's locality (propagation.h).
RelabelledGraph BuildInGraph(const graph::PairTable& table, const std::vector<double>& live) {
  const size_t n = table.person_count;
  std::vector<double> out_effort(n, 0.0);
  std::vector<uint64_t> out_degree(n, 0);
  for (const graph::PairRecord& record : table.pairs) {
    out_effort[record.u] += record.effort[0];
    out_effort[record.v] += record.effort[1];
    if (record.effort[0] > 0) ++out_degree[record.u];
    if (record.effort[1] > 0) ++out_degree[record.v];
  }
  RelabelledGraph result;
  result.old_of = OutDegreeOrder(out_degree);
  std::vector<PersonIndex> new_of(n);
  for (size_t p = 0; p < n; ++p) new_of[result.old_of[p]] = static_cast<PersonIndex>(p);
  WeightedInGraph& graph = result.graph;
  graph.offset.assign(n + 1, 0);
  graph.out_weight.assign(n, 0.0);
  for (const graph::PairRecord& record : table.pairs) {
    if (record.effort[0] > 0) ++graph.offset[new_of[record.v] + 1];
    if (record.effort[1] > 0) ++graph.offset[new_of[record.u] + 1];
  }
  for (size_t p = 0; p < n; ++p) graph.offset[p + 1] += graph.offset[p];
  graph.source.resize(graph.offset.back());
  graph.weight.resize(graph.offset.back());
  std::vector<uint64_t> cursor(graph.offset.begin(), graph.offset.end() - 1);
  for (size_t i = 0; i < table.pairs.size(); ++i) {
    const graph::PairRecord& record = table.pairs[i];
    const PersonIndex u = new_of[record.u], v = new_of[record.v];
    const double s = live[i];
    if (record.effort[0] > 0) {
      double w = s * record.effort[0] / out_effort[record.u];
      graph.source[cursor[v]] = u;
      graph.weight[cursor[v]++] = w;
      graph.out_weight[u] += w;
    }
    if (record.effort[1] > 0) {
      double w = s * record.effort[1] / out_effort[record.v];
      graph.source[cursor[u]] = v;
      graph.weight[cursor[u]++] = w;
      graph.out_weight[v] += w;
    }
  }
  return result;
}

}  // namespace

graph::Decay DecayOf(const TieConfig& tie) {
  return {tie.half_life_days, tie.recent_half_life_days, tie.recent_hold_days};
}

const PersonScore* ScoreRun::Find(int64_t person_id) const {
  for (const PersonScore& person : people) {
    if (person.id == person_id) return &person;
  }
  return nullptr;
}

double Warmth(const graph::PairRecord& record, const Config& config, double as_of) {
  const double silence_days = std::max(0.0, as_of - record.last) / kSecondsPerDay;
  const double grace = std::max(config.cooling.min_silence_days,
                                config.cooling.gap_factor * UsualGapDays(record, config.tie));
  return silence_days <= grace ? 1.0 : std::exp(-(silence_days - grace) / config.rapport.fade_days);
}

RapportComponents RapportOf(const RapportConfig& rc, double standing, size_t person_count,
                            std::span<double> live_strengths) {
  RapportComponents r;
  r.standing = standing;
  r.propagation = std::log1p(static_cast<double>(person_count) * standing);
  double* s = live_strengths.data();
  const size_t ties = live_strengths.size();
  const size_t k = std::min<size_t>(ties, static_cast<size_t>(rc.depth_k));
  std::partial_sort(s, s + k, s + ties, std::greater<>());
  for (size_t i = 0; i < k; ++i) r.depth += s[i];
  for (size_t i = 0; i < ties; ++i) {
    r.strong_ties += s[i] >= rc.strong_tie ? 1 : 0;
    r.strong_tie_count += std::clamp(
        (s[i] - rc.strong_tie + rc.strong_tie_ramp) / (2 * rc.strong_tie_ramp), 0.0, 1.0);
  }
  r.breadth = std::log1p(r.strong_tie_count);
  r.raw = rc.w_propagation * r.propagation + rc.w_depth * r.depth + rc.w_breadth * r.breadth;
  return r;
}

namespace {

// Wall seconds of each stage, reported through the callback when there is one.
class StageClock {
 public:
  explicit StageClock(const StageCallback& on_stage) : on_stage_(on_stage) {}
  void Done(std::string_view stage) {
    if (!on_stage_) return;
    const auto now = std::chrono::steady_clock::now();
    on_stage_(stage, std::chrono::duration<double>(now - start_).count());
    start_ = now;
  }

 private:
  const StageCallback& on_stage_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

// Reorders `people` so that people[i] becomes the one at source[i], following the permutation's
// cycles: each person moves once, without a second copy of the vector.
void PermuteInPlace(std::vector<PersonScore>& people, std::vector<uint32_t>& source) {
  for (uint32_t i = 0; i < source.size(); ++i) {
    if (source[i] == i) continue;
    PersonScore held = std::move(people[i]);
    uint32_t j = i;
    while (source[j] != i) {
      const uint32_t from = source[j];
      people[j] = std::move(people[from]);
      source[j] = j;
      j = from;
    }
    people[j] = std::move(held);
    source[j] = j;
  }
}

}  // namespace

ScoreRun ScoreEvents(const EventLog& log, const Config& config, double as_of,
                     const StageCallback& on_stage, bool keep_features) {
  StageClock clock(on_stage);
  EventAggregates aggregates;
  aggregates.pairs = graph::AggregatePairs(log, config.effort, DecayOf(config.tie), as_of);
  clock.Done("aggregate pairs");
  aggregates.volume = ComputeVolume(log, config.volume, as_of);
  aggregates.active.assign(log.person_count(), 0);
  for (size_t e = 0; e < log.event_count() && log.time[e] <= as_of; ++e) {
    aggregates.active[log.actor[e]] = 1;
    for (uint64_t t = log.target_offset[e]; t < log.target_offset[e + 1]; ++t) {
      aggregates.active[log.targets[t]] = 1;
    }
  }
  clock.Done("volume");
  return ScoreAggregates(std::move(aggregates), {log.person_id, log.person_name}, config, as_of,
                         on_stage, keep_features);
}

ScoreRun ScoreAggregates(EventAggregates&& aggregates, const PeopleNames& names,
                         const Config& config, double as_of, const StageCallback& on_stage,
                         bool keep_features) {
  StageClock clock(on_stage);
  ScoreRun run;
  run.as_of = as_of;
  run.config = config;
  run.pairs = std::move(aggregates.pairs);
  const std::vector<graph::PairRecord>& pairs = run.pairs.pairs;
  run.ties = ComputeTies(run.pairs, config.tie, as_of, keep_features);
  clock.Done("tie strengths");
  run.warmth.resize(pairs.size());
  std::vector<double> live(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) {
    run.warmth[i] = Warmth(pairs[i], config, as_of);
    live[i] = run.ties.strength[i] * run.warmth[i];
  }
  const size_t n = run.pairs.person_count;

  const RapportConfig& rc = config.rapport;
  PropagationResult propagation;
  {
    const RelabelledGraph in_graph = BuildInGraph(run.pairs, live);
    propagation = PropagateRelabelled(in_graph, rc.damping, rc.max_iterations, rc.tolerance);
  }
  run.propagation_iterations = propagation.iterations;
  clock.Done("propagation");

  // Per-person live tie strengths for depth and breadth, as one flat array (CSR by person).
  std::vector<uint64_t> tie_offset(n + 1, 0);
  for (const graph::PairRecord& record : pairs) {
    ++tie_offset[record.u + 1];
    ++tie_offset[record.v + 1];
  }
  for (size_t p = 0; p < n; ++p) tie_offset[p + 1] += tie_offset[p];
  std::vector<double> strengths(tie_offset.back());
  {
    std::vector<uint64_t> cursor(tie_offset.begin(), tie_offset.end() - 1);
    for (size_t i = 0; i < pairs.size(); ++i) {
      strengths[cursor[pairs[i].u]++] = live[i];
      strengths[cursor[pairs[i].v]++] = live[i];
    }
  }
  std::vector<double>().swap(live);

  std::vector<PersonIndex> scored;
  for (size_t p = 0; p < n; ++p) {
    if (aggregates.active[p]) scored.push_back(static_cast<PersonIndex>(p));
  }
  std::vector<uint8_t>().swap(aggregates.active);
  run.people.resize(scored.size());
  std::vector<double> volume_raw(scored.size()), rapport_raw(scored.size());
  const auto scored_count = static_cast<int64_t>(scored.size());
  // Each person is independent.
#pragma omp parallel for schedule(dynamic, 4096) if (scored_count > 50000)
  for (int64_t j = 0; j < scored_count; ++j) {
    const PersonIndex p = scored[j];
    PersonScore& person = run.people[j];
    person.index = p;
    person.id = names.id[p];
    person.name = names.name.empty() ? std::to_string(person.id) : names.name[p];
    person.volume = aggregates.volume[p];
    double* s = strengths.data() + tie_offset[p];
    const auto ties = static_cast<size_t>(tie_offset[p + 1] - tie_offset[p]);
    person.ties = static_cast<int>(ties);
    person.rapport =
        RapportOf(rc, propagation.standing.empty() ? 0 : propagation.standing[p], n, {s, ties});
    volume_raw[j] = person.volume.raw;
    rapport_raw[j] = person.rapport.raw;
  }
  clock.Done("depth and breadth");
  if (run.people.empty()) return run;
  std::vector<double>().swap(strengths);
  std::vector<VolumeComponents>().swap(aggregates.volume);

  run.volume_reference = ReferenceOf(std::move(volume_raw));
  run.rapport_reference = ReferenceOf(std::move(rapport_raw));
#pragma omp parallel for schedule(static) if (scored_count > 50000)
  for (int64_t j = 0; j < scored_count; ++j) {
    PersonScore& person = run.people[j];
    person.volume_score = CurveScore(config.curve, run.volume_reference, person.volume.raw);
    person.rapport_score = CurveScore(config.curve, run.rapport_reference, person.rapport.raw);
  }
  // Rank by rapport score, then id: sort compact keys, then move each person once, in place.
  struct RankKey {
    double score;
    int64_t id;
    uint32_t index;
  };
  std::vector<RankKey> keys(run.people.size());
  for (uint32_t i = 0; i < keys.size(); ++i) {
    keys[i] = {run.people[i].rapport_score, run.people[i].id, i};
  }
  std::sort(keys.begin(), keys.end(), [](const RankKey& a, const RankKey& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  std::vector<uint32_t> source(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) source[i] = keys[i].index;
  std::vector<RankKey>().swap(keys);
  PermuteInPlace(run.people, source);
  clock.Done("curves and ranking");
  return run;
}

std::vector<TieView> TiesOf(const ScoreRun& run, PersonIndex index) {
  std::vector<TieView> views;
  for (uint32_t i = 0; i < run.pairs.pairs.size(); ++i) {
    const graph::PairRecord& record = run.pairs.pairs[i];
    if (record.u == index) views.push_back({i, record.v, run.ties.strength[i]});
    if (record.v == index) views.push_back({i, record.u, run.ties.strength[i]});
  }
  std::stable_sort(views.begin(), views.end(),
                   [](const TieView& a, const TieView& b) { return a.strength > b.strength; });
  return views;
}

}  // namespace rapport::score
