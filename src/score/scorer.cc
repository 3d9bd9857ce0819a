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

ScoreRun ScoreEvents(const EventLog& log, const Config& config, double as_of,
                     const StageCallback& on_stage, bool keep_features) {
  auto stage_start = std::chrono::steady_clock::now();
  auto stage_done = [&](std::string_view stage) {
    if (!on_stage) return;
    const auto now = std::chrono::steady_clock::now();
    on_stage(stage, std::chrono::duration<double>(now - stage_start).count());
    stage_start = now;
  };
  ScoreRun run;
  run.as_of = as_of;
  run.config = config;
  run.pairs = graph::AggregatePairs(log, config.effort, DecayOf(config.tie), as_of);
  stage_done("aggregate pairs");
  run.ties = ComputeTies(run.pairs, config.tie, as_of, keep_features);
  stage_done("tie strengths");
  run.warmth.resize(run.pairs.pairs.size());
  std::vector<double> live(run.pairs.pairs.size());
  for (size_t i = 0; i < run.pairs.pairs.size(); ++i) {
    run.warmth[i] = Warmth(run.pairs.pairs[i], config, as_of);
    live[i] = run.ties.strength[i] * run.warmth[i];
  }
  const size_t n = log.person_count();

  // Who is scored: anyone who acted or was targeted at or before as_of.
  std::vector<uint8_t> active(n, 0);
  for (size_t e = 0; e < log.event_count() && log.time[e] <= as_of; ++e) {
    active[log.actor[e]] = 1;
    for (uint64_t t = log.target_offset[e]; t < log.target_offset[e + 1]; ++t) {
      active[log.targets[t]] = 1;
    }
  }

  const std::vector<VolumeComponents> volume = ComputeVolume(log, config.volume, as_of);
  stage_done("volume");
  const RelabelledGraph in_graph = BuildInGraph(run.pairs, live);
  const RapportConfig& rc = config.rapport;
  PropagationResult propagation =
      PropagateRelabelled(in_graph, rc.damping, rc.max_iterations, rc.tolerance);
  run.propagation_iterations = propagation.iterations;
  stage_done("propagation");

  // Per-person live tie strengths for depth and breadth, as one flat array (CSR by person).
  std::vector<uint64_t> tie_offset(n + 1, 0);
  for (const graph::PairRecord& record : run.pairs.pairs) {
    ++tie_offset[record.u + 1];
    ++tie_offset[record.v + 1];
  }
  for (size_t p = 0; p < n; ++p) tie_offset[p + 1] += tie_offset[p];
  std::vector<double> strengths(tie_offset.back());
  {
    std::vector<uint64_t> cursor(tie_offset.begin(), tie_offset.end() - 1);
    for (size_t i = 0; i < run.pairs.pairs.size(); ++i) {
      strengths[cursor[run.pairs.pairs[i].u]++] = live[i];
      strengths[cursor[run.pairs.pairs[i].v]++] = live[i];
    }
  }

  std::vector<PersonIndex> scored;
  for (size_t p = 0; p < n; ++p) {
    if (active[p]) scored.push_back(static_cast<PersonIndex>(p));
  }
  run.people.resize(scored.size());
  std::vector<double> volume_raw(scored.size()), rapport_raw(scored.size());
  const auto scored_count = static_cast<int64_t>(scored.size());
  // Each person is independent.
#pragma omp parallel for schedule(dynamic, 4096) if (scored_count > 50000)
  for (int64_t j = 0; j < scored_count; ++j) {
    const PersonIndex p = scored[j];
    PersonScore& person = run.people[j];
    person.index = p;
    person.id = log.person_id[p];
    person.name = log.person_name[p];
    person.volume = volume[p];
    double* s = strengths.data() + tie_offset[p];
    const auto ties = static_cast<size_t>(tie_offset[p + 1] - tie_offset[p]);
    person.ties = static_cast<int>(ties);
    person.rapport =
        RapportOf(rc, propagation.standing.empty() ? 0 : propagation.standing[p], n, {s, ties});
    volume_raw[j] = person.volume.raw;
    rapport_raw[j] = person.rapport.raw;
  }
  stage_done("depth and breadth");
  if (run.people.empty()) return run;

  run.volume_reference = ReferenceOf(volume_raw);
  run.rapport_reference = ReferenceOf(rapport_raw);
  for (PersonScore& person : run.people) {
    person.volume_score = CurveScore(config.curve, run.volume_reference, person.volume.raw);
    person.rapport_score = CurveScore(config.curve, run.rapport_reference, person.rapport.raw);
  }
  // Rank by rapport score, then id: sort compact keys, then move each person once.
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
  std::vector<PersonScore> ranked;
  ranked.reserve(run.people.size());
  for (const RankKey& key : keys) ranked.push_back(std::move(run.people[key.index]));
  run.people = std::move(ranked);
  stage_done("curves and ranking");
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
