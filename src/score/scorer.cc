#include "rapport/score/scorer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <parallel/algorithm>
#include <span>

#include "rapport/core/time.h"
#include "rapport/score/incremental.h"
#include "rapport/score/propagation.h"

namespace rapport::score {
namespace {

// w(u->v) = s(u, v) * effort(u->v) / sum_x effort(u->x), laid out by target for pulling, with
// people relabelled by out-degree for the kernel's locality (propagation.h); s is the live
// strength, strength * warmth. Every thread scans the pairs in table order and writes only its
// own people's sums and in-lists (graph::PeopleOfThisThread): sequential reads of the table,
// and each sum and list in the order of one serial scan.
RelabelledGraph BuildInGraph(const graph::PairTable& table, std::span<const double> strength,
                             std::span<const double> warmth) {
  const std::vector<graph::PairRecord>& pairs = table.pairs;
  const size_t n = table.person_count;
  std::vector<double> out_effort(n, 0.0);
  std::vector<uint64_t> out_degree(n, 0), in_degree(n, 0);
  std::vector<PersonIndex> new_of(n);
  RelabelledGraph result;
  WeightedInGraph& graph = result.graph;
#pragma omp parallel if (pairs.size() > 100000)
  {
    const graph::OwnedPeople mine = graph::PeopleOfThisThread(n);
    // Person p's sums, from a pair in which p gave `given` and received `received`.
    const auto count = [&](PersonIndex p, double given, double received) {
      if (!mine(p)) return;
      out_effort[p] += given;
      out_degree[p] += given > 0 ? 1 : 0;
      in_degree[p] += received > 0 ? 1 : 0;
    };
    for (const graph::PairRecord& record : pairs) {
      count(record.u, record.effort[0], record.effort[1]);
      count(record.v, record.effort[1], record.effort[0]);
    }
#pragma omp barrier
#pragma omp single
    {
      result.old_of = OutDegreeOrder(out_degree);
      for (size_t t = 0; t < n; ++t) new_of[result.old_of[t]] = static_cast<PersonIndex>(t);
      graph.offset.assign(n + 1, 0);
      for (size_t t = 0; t < n; ++t) {
        graph.offset[t + 1] = graph.offset[t] + in_degree[result.old_of[t]];
      }
      graph.source.resize(graph.offset.back());
      graph.weight.resize(graph.offset.back());
      graph.out_weight.assign(n, 0.0);
    }
    std::vector<uint64_t> cursor(mine.hi - mine.lo);
    for (PersonIndex p = mine.lo; p < mine.hi; ++p) cursor[p - mine.lo] = graph.offset[new_of[p]];
    // The edge from -> to of a pair of live strength `live`: in the in-list of `to`, and in the
    // out-weight of `from`, each written by the thread that owns that person.
    const auto edge = [&](PersonIndex from, PersonIndex to, double effort, double live) {
      if (!(effort > 0) || !(mine(from) || mine(to))) return;
      const double w = live * effort / out_effort[from];
      if (mine(to)) {
        graph.source[cursor[to - mine.lo]] = new_of[from];
        graph.weight[cursor[to - mine.lo]++] = w;
      }
      if (mine(from)) graph.out_weight[new_of[from]] += w;
    };
    for (size_t i = 0; i < pairs.size(); ++i) {
      // The second person of a pair is anywhere in the per-person arrays: fetched a few pairs
      // ahead.
      if (i + 16 < pairs.size()) {
        const PersonIndex ahead = pairs[i + 16].v;
        __builtin_prefetch(&out_effort[ahead]);
        __builtin_prefetch(&new_of[ahead]);
        if (mine(ahead)) __builtin_prefetch(&cursor[ahead - mine.lo]);
      }
      const graph::PairRecord& record = pairs[i];
      if (!(mine(record.u) || mine(record.v))) continue;
      const double live = strength[i] * warmth[i];
      edge(record.u, record.v, record.effort[0], live);
      edge(record.v, record.u, record.effort[1], live);
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
  EventAggregates aggregates = AggregateEvents(log, config, as_of);
  clock.Done("aggregate pairs and volume");
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
  // The live strength of pair i is strength[i] * warmth[i], computed where it is used.
  run.warmth.resize(pairs.size());
  const auto pair_count = static_cast<int64_t>(pairs.size());
#pragma omp parallel for schedule(static) if (pair_count > 100000)
  for (int64_t i = 0; i < pair_count; ++i) run.warmth[i] = Warmth(pairs[i], config, as_of);
  const size_t n = run.pairs.person_count;

  const RapportConfig& rc = config.rapport;
  PropagationResult propagation;
  {
    RelabelledGraph in_graph = BuildInGraph(run.pairs, run.ties.strength, run.warmth);
    clock.Done("influence graph");
    propagation =
        PropagateDegreeOrdered(std::move(in_graph), rc.damping, rc.max_iterations, rc.tolerance);
  }
  run.propagation_iterations = propagation.iterations;
  clock.Done("propagation");

  // Every person's pairs, for depth and breadth.
  graph::Adjacency incident = graph::BuildAdjacency(
      run.pairs, [](const graph::PairRecord&) { return true; }, /*with_neighbours=*/false);
  std::vector<PersonIndex> scored;
  for (size_t p = 0; p < n; ++p) {
    if (aggregates.active[p]) scored.push_back(static_cast<PersonIndex>(p));
  }
  std::vector<uint8_t>().swap(aggregates.active);
  run.people.resize(scored.size());
  std::vector<double> volume_raw(scored.size()), rapport_raw(scored.size());
  const auto scored_count = static_cast<int64_t>(scored.size());
  // Each person is independent: their live tie strengths, in the adjacency's order, gathered
  // into a buffer of the thread's.
#pragma omp parallel if (scored_count > 50000)
  {
    std::vector<double> strengths;
#pragma omp for schedule(dynamic, 4096)
    for (int64_t j = 0; j < scored_count; ++j) {
      const PersonIndex p = scored[j];
      PersonScore& person = run.people[j];
      person.index = p;
      person.id = names.id[p];
      person.name = names.name.empty() ? std::to_string(person.id) : names.name[p];
      person.volume = aggregates.volume[p];
      strengths.clear();
      for (uint64_t k = incident.offset[p]; k < incident.offset[p + 1]; ++k) {
        const uint32_t i = incident.pair[k];
        strengths.push_back(run.ties.strength[i] * run.warmth[i]);
      }
      person.ties = static_cast<int>(strengths.size());
      person.rapport =
          RapportOf(rc, propagation.standing.empty() ? 0 : propagation.standing[p], n, strengths);
      volume_raw[j] = person.volume.raw;
      rapport_raw[j] = person.rapport.raw;
    }
  }
  clock.Done("depth and breadth");
  if (run.people.empty()) return run;
  incident = graph::Adjacency();
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
  // A strict order (ids are unique), so the parallel sort's result is the serial one's.
  __gnu_parallel::sort(keys.begin(), keys.end(), [](const RankKey& a, const RankKey& b) {
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
