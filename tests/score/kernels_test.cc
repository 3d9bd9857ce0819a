// The parallel kernels against their serial verifiers, and hand-computed small cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "rapport/core/time.h"
#include "rapport/ingest/binary_events.h"
#include "rapport/scenario/demo.h"
#include "rapport/scenario/generator.h"
#include "rapport/score/curve.h"
#include "rapport/score/propagation.h"
#include "rapport/score/scorer.h"
#include "rapport/score/tie_strength.h"

namespace rapport::score {
namespace {

// A random weighted in-graph with sub-stochastic rows, deterministic for a seed.
WeightedInGraph RandomGraph(size_t n, size_t edges_per_person, uint64_t seed) {
  uint64_t state = seed;
  auto next = [&state] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 33;
  };
  std::vector<std::vector<std::pair<PersonIndex, double>>> in(n);
  std::vector<double> out_weight(n, 0.0);
  for (size_t u = 0; u < n; ++u) {
    const size_t degree = next() % (2 * edges_per_person + 1);
    for (size_t k = 0; k < degree; ++k) {
      const PersonIndex v = static_cast<PersonIndex>(next() % n);
      if (v == u) continue;
      const double w =
          0.9 * static_cast<double>(next() % 1000) / 1000.0 / static_cast<double>(degree + 1);
      in[v].emplace_back(static_cast<PersonIndex>(u), w);
      out_weight[u] += w;
    }
  }
  WeightedInGraph graph;
  graph.offset.push_back(0);
  for (size_t v = 0; v < n; ++v) {
    for (auto [u, w] : in[v]) {
      graph.source.push_back(u);
      graph.weight.push_back(w);
    }
    graph.offset.push_back(graph.source.size());
  }
  graph.out_weight = out_weight;
  return graph;
}

TEST(ScorePropagationTest, ParallelMatchesSerialVerifier) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    const WeightedInGraph graph = RandomGraph(5000, 6, seed);
    const PropagationResult parallel = Propagate(graph, 0.85, 30, 0);
    const PropagationResult serial = PropagateSerial(graph, 0.85, 30, 0);
    ASSERT_EQ(parallel.standing.size(), serial.standing.size());
    EXPECT_EQ(parallel.iterations, 30);
    for (size_t v = 0; v < serial.standing.size(); ++v) {
      ASSERT_NEAR(parallel.standing[v], serial.standing[v], 1e-12) << "seed " << seed << " v " << v;
    }
  }
}

// Relabelled by degree (and large enough for the parallel loops), the kernel still gives the
// serial verifier's standing, person for person in the original labels.
TEST(ScorePropagationTest, DegreeOrderedMatchesSerialVerifier) {
  const WeightedInGraph graph = RandomGraph(60000, 6, 4);
  const RelabelledGraph relabelled = RelabelByOutDegree(graph);
  // A permutation, by out-degree from the highest.
  std::vector<uint64_t> out_degree(graph.person_count(), 0);
  for (PersonIndex source : graph.source) ++out_degree[source];
  std::vector<bool> seen(graph.person_count(), false);
  for (size_t v = 0; v < relabelled.old_of.size(); ++v) {
    ASSERT_FALSE(seen[relabelled.old_of[v]]);
    seen[relabelled.old_of[v]] = true;
    if (v > 0) {
      ASSERT_GE(out_degree[relabelled.old_of[v - 1]], out_degree[relabelled.old_of[v]]);
    }
  }
  EXPECT_EQ(relabelled.graph.source.size(), graph.source.size());
  const PropagationResult ordered = PropagateRelabelled(relabelled, 0.85, 30, 0);
  const PropagationResult serial = PropagateSerial(graph, 0.85, 30, 0);
  ASSERT_EQ(ordered.standing.size(), serial.standing.size());
  for (size_t v = 0; v < serial.standing.size(); ++v) {
    ASSERT_NEAR(ordered.standing[v], serial.standing[v], 1e-12) << "v " << v;
  }
}

// Segmented by source, every in-edge is kept once, in its segment, under its target; the kernel
// gives the serial verifier's standing, for segments smaller than, near and above the people.
TEST(ScorePropagationTest, SegmentedMatchesSerialVerifier) {
  const WeightedInGraph graph = RandomGraph(60000, 6, 5);
  const PropagationResult serial = PropagateSerial(graph, 0.85, 30, 0);
  for (size_t segment_people : {size_t{1}, size_t{7000}, size_t{59999}, size_t{1} << 20}) {
    const SegmentedInGraph segmented = SegmentBySource(graph, segment_people);
    const size_t effective = std::max(segment_people, (size_t{60000} + 4095) / 4096);
    ASSERT_EQ(segmented.segments.size(), (60000 + effective - 1) / effective) << segment_people;
    // Per target, its edges gathered from every segment: the same (source, weight) list.
    std::vector<std::vector<std::pair<PersonIndex, double>>> in(graph.person_count());
    for (size_t s = 0; s < segmented.segments.size(); ++s) {
      const SegmentedInGraph::Segment& part = segmented.segments[s];
      ASSERT_EQ(part.target.size(), part.end.size());
      ASSERT_EQ(part.source.size(), part.weight.size());
      for (size_t j = 0; j < part.target.size(); ++j) {
        if (j > 0) {
          ASSERT_LT(part.target[j - 1], part.target[j]);
        }
        const uint64_t begin = j == 0 ? 0 : part.end[j - 1];
        ASSERT_LT(begin, part.end[j]) << "an entry without edges";
        for (uint64_t i = begin; i < part.end[j]; ++i) {
          ASSERT_EQ(part.source[i] / effective, s);
          in[part.target[j]].emplace_back(part.source[i], part.weight[i]);
        }
      }
      ASSERT_EQ(part.end.empty() ? 0 : part.end.back(), part.source.size());
    }
    for (size_t v = 0; v < graph.person_count(); ++v) {
      std::vector<std::pair<PersonIndex, double>> expected;
      for (uint64_t i = graph.offset[v]; i < graph.offset[v + 1]; ++i) {
        expected.emplace_back(graph.source[i], graph.weight[i]);
      }
      std::sort(expected.begin(), expected.end());
      std::sort(in[v].begin(), in[v].end());
      ASSERT_EQ(in[v], expected) << "target " << v;
    }
    const PropagationResult result = PropagateSegmented(segmented, 0.85, 30, 0);
    ASSERT_EQ(result.standing.size(), serial.standing.size());
    EXPECT_EQ(result.iterations, 30);
    for (size_t v = 0; v < serial.standing.size(); ++v) {
      ASSERT_NEAR(result.standing[v], serial.standing[v], 1e-12) << segment_people << " v " << v;
    }
  }
  // To convergence it stops as the plain kernel does.
  const SegmentedInGraph segmented = SegmentBySource(graph, 7000);
  const PropagationResult converged = PropagateSegmented(segmented, 0.85, 500, 1e-12);
  const PropagationResult plain = Propagate(graph, 0.85, 500, 1e-12);
  EXPECT_EQ(converged.iterations, plain.iterations);
  EXPECT_LT(converged.last_change, 1e-12);
}

// The scorer's kernel: segmented above one segment's worth of people when segments pay, plain
// otherwise; the serial verifier's standing either way, in the original labels.
TEST(ScorePropagationTest, DegreeOrderedKernelOfTheScorerMatchesSerialVerifier) {
  const WeightedInGraph graph = RandomGraph(60000, 6, 6);
  const PropagationResult serial = PropagateSerial(graph, 0.85, 30, 0);
  const PropagationResult plain = PropagateRelabelled(RelabelByOutDegree(graph), 0.85, 30, 0);
  // Forced: segments of 8,192 people whatever their entries.
  const PropagationResult segmented = PropagateDegreeOrdered(
      RelabelByOutDegree(graph), 0.85, 30, 0, /*segment_people=*/8192, /*min_edges_per_entry=*/0);
  // One segment's worth of people, or (random ties, no hubs) about an edge an entry: plain,
  // the same numbers exactly.
  const PropagationResult one_segment =
      PropagateDegreeOrdered(RelabelByOutDegree(graph), 0.85, 30, 0, /*segment_people=*/60000);
  const PropagationResult not_worth_it =
      PropagateDegreeOrdered(RelabelByOutDegree(graph), 0.85, 30, 0, /*segment_people=*/8192);
  ASSERT_EQ(segmented.standing.size(), serial.standing.size());
  EXPECT_EQ(one_segment.standing, plain.standing);
  EXPECT_EQ(not_worth_it.standing, plain.standing);
  EXPECT_NE(segmented.standing, plain.standing) << "the segmented sums run in another order";
  for (size_t v = 0; v < serial.standing.size(); ++v) {
    ASSERT_NEAR(segmented.standing[v], serial.standing[v], 1e-12) << "v " << v;
  }
}

TEST(ScorePropagationTest, StandingSumsToOneAndConverges) {
  const WeightedInGraph graph = RandomGraph(2000, 4, 9);
  const PropagationResult result = Propagate(graph, 0.85, 200, 1e-12);
  EXPECT_NEAR(std::accumulate(result.standing.begin(), result.standing.end(), 0.0), 1.0, 1e-9);
  EXPECT_LT(result.iterations, 200);
  EXPECT_LT(result.last_change, 1e-12);
}

TEST(ScorePropagationTest, TwoPeopleByHand) {
  // u=0 gives v=1 weight 0.5 and keeps 0.5 as leak; v gives u nothing (all leaks).
  WeightedInGraph graph;
  graph.offset = {0, 0, 1};
  graph.source = {0};
  graph.weight = {0.5};
  graph.out_weight = {0.5, 0.0};
  const PropagationResult result = Propagate(graph, 0.85, 1000, 1e-15);
  // Fixed point: r0 = (1 - d*0.5*r0)/2, r1 = 1 - r0  =>  r0 = 1 / (2 + d/2).
  const double r0 = 1.0 / (2.0 + 0.85 / 2.0);
  EXPECT_NEAR(result.standing[0], r0, 1e-12);
  EXPECT_NEAR(result.standing[1], 1.0 - r0, 1e-12);
}

TEST(ScoreTieStrengthTest, ParallelMatchesSerialVerifierOnTheDemo) {
  const scenario::DemoOptions options;
  const EventLog log = EventLogFromEvents(scenario::BuildDemoEvents(options));
  const Config config = DefaultConfig();
  const graph::PairTable pairs =
      graph::AggregatePairs(log, config.effort, DecayOf(config.tie), options.end_time);
  const TieTable parallel = ComputeTies(pairs, config.tie, options.end_time);
  const TieTable serial = ComputeTiesSerial(pairs, config.tie, options.end_time);
  ASSERT_EQ(parallel.strength.size(), pairs.pairs.size());
  ASSERT_EQ(serial.strength.size(), pairs.pairs.size());
  int embedded = 0;
  for (size_t i = 0; i < pairs.pairs.size(); ++i) {
    ASSERT_NEAR(parallel.strength[i], serial.strength[i], 1e-12) << i;
    for (int f = 0; f < kFeatureCount; ++f) {
      ASSERT_NEAR(parallel.features[i][f], serial.features[i][f], 1e-12) << i << " " << f;
    }
    embedded += parallel.features[i][static_cast<int>(Feature::kEmbeddedness)] > 0 ? 1 : 0;
  }
  EXPECT_GT(embedded, 10);  // the comparison covered the intersection code
}

TEST(ScoreTieStrengthTest, EmbeddednessIsJaccardWithoutTheTwoEnds) {
  // Reciprocated pairs: 0-1, 0-2, 0-3, 1-2, 1-4. N(0)={1,2,3}, N(1)={0,2,4}.
  std::vector<Event> events;
  auto both = [&events](const char* a, const char* b) {
    for (const char* actor : {a, b}) {
      Event e;
      e.time = 1000;
      e.kind = Kind::kMessage;
      e.actor = actor;
      e.targets = {actor == a ? b : a};
      events.push_back(e);
    }
  };
  both("p0", "p1");
  both("p0", "p2");
  both("p0", "p3");
  both("p1", "p2");
  both("p1", "p4");
  const EventLog log = EventLogFromEvents(events);
  const Config config = DefaultConfig();
  const graph::PairTable pairs = graph::AggregatePairs(log, config.effort, graph::Decay{}, 1000);
  const graph::Adjacency adjacency = NeighbourhoodAdjacency(pairs, 1.0);
  // Without each other: {2,3} and {2,4}: common {2}, union {2,3,4}.
  EXPECT_DOUBLE_EQ(Embeddedness(adjacency, 0, 1), 1.0 / 3.0);
  // p3 and p4 share nothing: {0} and {1}.
  EXPECT_DOUBLE_EQ(Embeddedness(adjacency, 3, 4), 0.0);
}

TEST(ScoreTieStrengthTest, FeaturesOfAHandMadePair) {
  graph::PairRecord record;
  record.u = 0;
  record.v = 1;
  record.effort[0] = 3;
  record.effort[1] = 1;
  record.private_effort = 2;
  record.favour_effort = std::exp(1.0) - 1;
  record.negative_effort = 4;
  record.first = 0;
  record.last = 10 * kSecondsPerDay;
  record.channel_mask = 0b101;
  record.active_days = 6;
  record.active_weeks = 2;
  const TieConfig config = DefaultConfig().tie;
  const double as_of = 20 * kSecondsPerDay;
  record.raw_effort[0] = 2;
  record.raw_effort[1] = 2;
  // u put 16 units into all their pairs and v 4 (this pair included); recent effort 6 and 2.
  const PairContext context = ContextOf(record, 0.25, 0.125, {16, 6}, {4, 2});
  EXPECT_DOUBLE_EQ(context.attention, 0.5 * (std::log(4.0 / 16) + std::log(4.0 / 4)));
  const FeatureVector x = PairFeatures(record, config, as_of, context);
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kIntensity)], std::log(5.0));
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kReciprocity)], 0.5);
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kMultiplexity)], 1.0);
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kDuration)], std::log(11.0));
  // Weeks since first contact: day 0 (week 0, a Thursday epoch) to day 20 (week 2): 3 weeks.
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kRegularity)], 2.0 / 3.0);
  // Usual gap: 10 days over 5 gaps = 2 days, raised to the 7-day minimum; silence 10 days.
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kRecency)], std::log1p(10.0 / 7.0));
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kIntimacy)], 0.5);
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kEmbeddedness)], 0.25);
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kSharedAttention)], 0.125);
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kServices)], 1.0);
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kNegativity)], 0.5);
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kAttention)], context.attention);
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kSilence)], std::log(11.0));
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kActivityLow)], std::log(3.0));
  EXPECT_DOUBLE_EQ(x[static_cast<int>(Feature::kActivityHigh)], std::log(7.0));
  double z = config.bias;
  for (int f = 0; f < kFeatureCount; ++f) {
    z += config.coefficient[f] * (x[f] - config.center[f]) / config.scale[f];
  }
  EXPECT_DOUBLE_EQ(StrengthFromFeatures(config, x), 1 / (1 + std::exp(-z)));
}

TEST(ScoreTieStrengthTest, ParallelMatchesSerialVerifierOnAGeneratedLog) {
  // Enough people for the OpenMP loops, and hubs with more than kTopPartners partners.
  scenario::GeneratorOptions options;
  options.people = 30000;
  options.events = 200000;
  EventLog log;
  for (uint64_t p = 0; p < options.people; ++p) {
    log.person_id.push_back(static_cast<int64_t>(p) + 1);
    log.person_name.push_back("p" + std::to_string(p));
  }
  ASSERT_TRUE(scenario::GenerateEvents(options, [&log](const ingest::BinaryEvent& event) {
                ingest::AppendEvent(log, event);
                return Status::Ok();
              }).ok());
  Config config = DefaultConfig();
  config.tie.top_partners = 16;  // shared attention on (off by default)
  const double as_of = log.time.back();
  const graph::PairTable pairs =
      graph::AggregatePairs(log, config.effort, DecayOf(config.tie), as_of);
  const TieTable parallel = ComputeTies(pairs, config.tie, as_of);
  const TieTable serial = ComputeTiesSerial(pairs, config.tie, as_of);
  ASSERT_EQ(parallel.features.size(), serial.features.size());
  int shared = 0;
  for (size_t i = 0; i < pairs.pairs.size(); ++i) {
    for (int f = 0; f < kFeatureCount; ++f) {
      ASSERT_NEAR(parallel.features[i][f], serial.features[i][f], 1e-12) << i << " " << f;
    }
    ASSERT_NEAR(parallel.strength[i], serial.strength[i], 1e-12) << i;
    shared += parallel.features[i][static_cast<int>(Feature::kSharedAttention)] > 0 ? 1 : 0;
  }
  const graph::Adjacency all =
      graph::BuildAdjacency(pairs, [](const graph::PairRecord&) { return true; });
  size_t widest = 0;
  for (size_t p = 0; p < pairs.person_count; ++p) {
    widest = std::max(widest, all.degree(static_cast<PersonIndex>(p)));
  }
  EXPECT_GT(widest, 16u) << "no one's partner list is cut, so the cut is untested";
  EXPECT_GT(shared, 1000);
  // Strengths only (the batch path): the same strengths, no features kept.
  const TieTable lean = ComputeTies(pairs, config.tie, as_of, /*keep_features=*/false);
  EXPECT_TRUE(lean.features.empty());
  EXPECT_EQ(lean.strength, parallel.strength);
  // Off, as by default: shared attention is 0 everywhere and nothing else changes.
  config.tie.top_partners = 0;
  const TieTable off = ComputeTies(pairs, config.tie, as_of);
  for (size_t i = 0; i < pairs.pairs.size(); ++i) {
    for (int f = 0; f < kFeatureCount; ++f) {
      const double expected =
          f == static_cast<int>(Feature::kSharedAttention) ? 0.0 : parallel.features[i][f];
      ASSERT_EQ(off.features[i][f], expected) << i << " " << f;
    }
  }
}

TEST(ScoreTieStrengthTest, TopPartnersKeepTheLargestEffortsAsSharesByPartner) {
  // Partners 0..17 have effort p % 9 + 1 (1..9, twice), partner 18 effort 9: 19 candidates.
  // Keeping 16 drops the two of effort 1 (partners 0 and 9) and one of the two of effort 2:
  // among equals the smaller index stays, so 1 stays and 10 goes.
  std::vector<PartnerEffort> candidates;
  double total = 0;
  for (PersonIndex p = 0; p < 18; ++p) {
    candidates.push_back({p, static_cast<double>(p % 9 + 1)});
    total += p % 9 + 1;
  }
  candidates.push_back({18, 9});
  total += 9;
  std::vector<PartnerShare> top{{99, 1.0}};  // appended after what is there
  AppendTopPartners(candidates, total, 16, top);
  ASSERT_EQ(top.size(), 1u + 16);
  std::vector<PersonIndex> kept;
  for (size_t i = 1; i < top.size(); ++i) {
    kept.push_back(top[i].partner);
    EXPECT_DOUBLE_EQ(top[i].share, (top[i].partner == 18 ? 9 : top[i].partner % 9 + 1) / total);
  }
  const std::vector<PersonIndex> expected = {1,  2,  3,  4,  5,  6,  7,  8,
                                             11, 12, 13, 14, 15, 16, 17, 18};
  EXPECT_EQ(kept, expected);
}

TEST(ScoreTieStrengthTest, SharedAttentionSumsTheSmallerShareOfCommonPartners) {
  // u = 0, v = 7. Common partners: 3 (0.2 and 0.1) and 5 (0.1 and 0.3); 7 is v itself and 0 is
  // u itself, so neither counts.
  const std::vector<PartnerShare> of_u = {{1, 0.2}, {3, 0.2}, {5, 0.1}, {7, 0.5}};
  const std::vector<PartnerShare> of_v = {{0, 0.4}, {3, 0.1}, {5, 0.3}, {6, 0.2}};
  EXPECT_DOUBLE_EQ(SharedAttention(of_u, of_v, 0, 7), 0.1 + 0.1);
  EXPECT_DOUBLE_EQ(SharedAttention(of_v, of_u, 7, 0), 0.1 + 0.1);
  EXPECT_EQ(SharedAttention(of_u, {}, 0, 7), 0.0);
}

TEST(ScoreCurveTest, AnchorsAndMonotone) {
  const CurveConfig config;
  std::vector<double> raw;
  for (int i = 0; i <= 100; ++i) raw.push_back(i);
  const CurveReference reference = ReferenceOf(raw);
  EXPECT_DOUBLE_EQ(reference.median, 50);
  EXPECT_DOUBLE_EQ(reference.p95, 95);
  EXPECT_DOUBLE_EQ(CurveScore(config, reference, 0), 1);
  EXPECT_DOUBLE_EQ(CurveScore(config, reference, 50), 20);
  EXPECT_DOUBLE_EQ(CurveScore(config, reference, 95), 50);
  EXPECT_LT(CurveScore(config, reference, 1e9), 100.0 + 1e-12);
  EXPECT_GT(CurveScore(config, reference, 1000), 99);  // tau = 50 * 45 / 30 = 75
  double previous = 0;
  for (double x = -5; x < 400; x += 0.5) {
    const double score = CurveScore(config, reference, x);
    EXPECT_GE(score, previous);
    EXPECT_GE(score, 1);
    EXPECT_LE(score, 100);
    previous = score;
  }
  // Continuous at the p95 joint: the tail starts with the middle segment's slope.
  EXPECT_NEAR(CurveScore(config, reference, 95.001) - 50, 30.0 / 45.0 * 0.001, 1e-6);
}

TEST(ScoreCurveTest, EveryoneEqualDoesNotDivideByZero) {
  const CurveReference reference = ReferenceOf({2, 2, 2, 2});
  EXPECT_DOUBLE_EQ(CurveScore(CurveConfig{}, reference, 2), 1);
  EXPECT_TRUE(std::isfinite(CurveScore(CurveConfig{}, reference, 3)));
}

TEST(ScoreWarmthTest, GraceThenFade) {
  const Config config = DefaultConfig();
  graph::PairRecord record;
  record.first = 0;
  record.last = 100 * kSecondsPerDay;
  record.active_days = 101;  // daily contact: usual gap 1 day -> 7-day minimum; grace 21 days
  EXPECT_DOUBLE_EQ(Warmth(record, config, record.last + 7 * kSecondsPerDay), 1.0);
  EXPECT_DOUBLE_EQ(Warmth(record, config, record.last + 21 * kSecondsPerDay), 1.0);
  EXPECT_NEAR(Warmth(record, config, record.last + (21 + 180) * kSecondsPerDay), std::exp(-1.0),
              1e-12);
}

}  // namespace
}  // namespace rapport::score

namespace rapport::score {
namespace {

TEST(ScoreCurveTest, HalfAtTheMinimumStaysContinuous) {
  // 60% of the people have raw 0, as in a data set where most were quiet in the window.
  std::vector<double> raw(60, 0.0);
  for (int i = 1; i <= 40; ++i) raw.push_back(i);
  const CurveReference reference = ReferenceOf(raw);
  ASSERT_EQ(reference.median, reference.lo);
  const CurveConfig config;
  EXPECT_DOUBLE_EQ(CurveScore(config, reference, 0), 1);
  EXPECT_NEAR(CurveScore(config, reference, 1e-4), 1, 1e-3);  // no jump to 20 just above 0
  EXPECT_DOUBLE_EQ(CurveScore(config, reference, reference.p95), 50);
  double previous = 1;
  for (double x = 0; x < 100; x += 0.25) {
    const double score = CurveScore(config, reference, x);
    EXPECT_GE(score, previous);
    EXPECT_LE(score - previous, 2.0) << x;  // small steps in raw, small steps in points
    previous = score;
  }
}

TEST(ScoreCurveTest, P95EqualToMedianUsesTheMaximum) {
  std::vector<double> raw(99, 5.0);
  raw.push_back(10);
  const CurveReference reference = ReferenceOf(raw);
  const CurveConfig config;
  // Everyone but one shares the minimum: they score 1; just above it is still about 1, not 100.
  EXPECT_DOUBLE_EQ(CurveScore(config, reference, 5), 1);
  EXPECT_NEAR(CurveScore(config, reference, 5.001), 1, 0.05);
  EXPECT_DOUBLE_EQ(CurveScore(config, reference, 10), 50);
}

}  // namespace
}  // namespace rapport::score

namespace rapport::score {
namespace {

// Breadth counts strong ties smoothly: moving the threshold across a tie's strength changes
// the integer count by one but breadth only by as much as the threshold moved.
TEST(ScoreBreadthTest, ATieCrossingTheStrongThresholdMovesBreadthContinuously) {
  scenario::DemoOptions options;
  const EventLog log = EventLogFromEvents(scenario::BuildDemoEvents(options));
  const ScoreRun run = ScoreEvents(log, DefaultConfig(), options.end_time);
  const PersonScore& blogger =
      *std::find_if(run.people.begin(), run.people.end(),
                    [](const PersonScore& p) { return p.name == scenario::kBlogger; });
  const std::vector<TieView> ties = TiesOf(run, blogger.index);
  ASSERT_FALSE(ties.empty());
  const double strength = ties.front().strength * run.warmth[ties.front().pair];
  Config below = DefaultConfig(), above = DefaultConfig();
  below.rapport.strong_tie = strength - 1e-7;
  above.rapport.strong_tie = strength + 1e-7;
  const ScoreRun run_below = ScoreEvents(log, below, options.end_time);
  const ScoreRun run_above = ScoreEvents(log, above, options.end_time);
  const RapportComponents& a = run_below.Find(blogger.id)->rapport;
  const RapportComponents& b = run_above.Find(blogger.id)->rapport;
  EXPECT_GE(a.strong_ties, b.strong_ties + 1);  // the hard count steps
  EXPECT_NEAR(a.breadth, b.breadth, 1e-5);      // breadth does not
  EXPECT_GT(a.strong_tie_count, b.strong_tie_count);
  // A tie counts fully above strong_tie + ramp and not at all below strong_tie - ramp.
  Config all = DefaultConfig();
  all.rapport.strong_tie = -1;
  EXPECT_DOUBLE_EQ(
      ScoreEvents(log, all, options.end_time).Find(blogger.id)->rapport.strong_tie_count,
      static_cast<double>(blogger.ties));
}

}  // namespace
}  // namespace rapport::score
