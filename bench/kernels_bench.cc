// Google Benchmark for the scoring kernels on a generated log (scenario/generator.h): the
// generator itself, pair aggregation, tie features and strengths (parallel and the serial
// verifier), embeddedness (the kernel and the verifier's way), everything after aggregation
// (with each stage's seconds), and propagation (pull-based parallel and the push-based serial
// verifier). Sizes are set by the benchmark argument (people; events = 10 x people x 10). The
// propagation kernels on a Kronecker graph (bench/kronecker.h, scale 22), degree-ordered:
// unsegmented, and segmented by source (argument: people a segment). Beside them, the machine's
// two physical bounds: memory bandwidth (a STREAM-style triad) and the rate of random 4-byte
// gathers from a 256 MiB array. Every time is wall time; the kernels use every OpenMP thread, and
// the process runs with malloc on transparent huge pages, as `rapport` does. Run with
// `make bench`.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "kronecker.h"
#include "rapport/core/config.h"
#include "rapport/core/huge_pages.h"
#include "rapport/scenario/generator.h"
#include "rapport/score/incremental.h"
#include "rapport/score/propagation.h"
#include "rapport/score/scorer.h"
#include "rapport/score/tie_strength.h"

namespace rapport {
namespace {

scenario::GeneratorOptions Options(int64_t people) {
  scenario::GeneratorOptions options;
  options.people = static_cast<uint64_t>(people);
  options.events = static_cast<uint64_t>(people) * 100;
  options.seed = 7;
  return options;
}

// One generated log per size, built once.
const EventLog& Log(int64_t people) {
  static std::map<int64_t, EventLog> logs;
  auto it = logs.find(people);
  if (it != logs.end()) return it->second;
  EventLog log;
  log.person_id.resize(static_cast<size_t>(people));
  log.person_name.resize(static_cast<size_t>(people));
  for (int64_t p = 0; p < people; ++p) log.person_id[p] = p;
  std::vector<PersonIndex> targets;
  (void)scenario::GenerateEvents(Options(people), [&](const ingest::BinaryEvent& event) {
    Event plain;
    plain.time = event.time;
    plain.channel = event.channel;
    plain.kind = event.kind;
    plain.is_private = event.is_private;
    plain.duration = event.duration;
    plain.valence = event.valence;
    targets.assign(event.targets.begin(), event.targets.end());
    log.Append(static_cast<int64_t>(log.time.size()) + 1, plain, event.actor, targets);
    return Status::Ok();
  });
  return logs.emplace(people, std::move(log)).first->second;
}

// The pair table of that log as of its last event, built once.
const graph::PairTable& Table(int64_t people) {
  static std::map<int64_t, graph::PairTable> tables;
  auto it = tables.find(people);
  if (it != tables.end()) return it->second;
  const EventLog& log = Log(people);
  const Config config = DefaultConfig();
  return tables
      .emplace(people, graph::AggregatePairs(log, config.effort, score::DecayOf(config.tie),
                                             log.time.back()))
      .first->second;
}

void BM_Generate(benchmark::State& state) {
  for (auto _ : state) {
    uint64_t n = 0;
    (void)scenario::GenerateEvents(Options(state.range(0)), [&n](const ingest::BinaryEvent&) {
      ++n;
      return Status::Ok();
    });
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0) * 100);
}

void BM_AggregatePairs(benchmark::State& state) {
  const EventLog& log = Log(state.range(0));
  const Config config = DefaultConfig();
  for (auto _ : state) {
    graph::PairTable table =
        graph::AggregatePairs(log, config.effort, score::DecayOf(config.tie), log.time.back());
    benchmark::DoNotOptimize(table.pairs.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(log.event_count()));
}

template <bool kSerial>
void BM_Ties(benchmark::State& state) {
  const EventLog& log = Log(state.range(0));
  const Config config = DefaultConfig();
  const graph::PairTable& table = Table(state.range(0));
  for (auto _ : state) {
    score::TieTable ties = kSerial ? score::ComputeTiesSerial(table, config.tie, log.time.back())
                                   : score::ComputeTies(table, config.tie, log.time.back());
    benchmark::DoNotOptimize(ties.strength.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(table.pairs.size()));
}

// Embeddedness of every pair, one thread: the library's kernel against the serial verifier's way
// (std::set_intersection and std::set_union into vectors).
template <bool kVerifier>
void BM_Embeddedness(benchmark::State& state) {
  const Config config = DefaultConfig();
  const graph::PairTable& table = Table(state.range(0));
  const graph::Adjacency neighbourhood =
      score::NeighbourhoodAdjacency(table, config.tie.neighbour_min_effort);
  std::vector<PersonIndex> common, either;
  for (auto _ : state) {
    double sum = 0;
    for (const graph::PairRecord& record : table.pairs) {
      if (!kVerifier) {
        sum += score::Embeddedness(neighbourhood, record.u, record.v);
        continue;
      }
      const auto of = [&](PersonIndex p) {
        return std::span(neighbourhood.neighbour)
            .subspan(neighbourhood.offset[p], neighbourhood.degree(p));
      };
      const auto a = of(record.u), b = of(record.v);
      common.clear();
      either.clear();
      std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
      std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(either));
      const auto others = [&](const std::vector<PersonIndex>& set) {
        return std::count_if(set.begin(), set.end(),
                             [&](PersonIndex x) { return x != record.u && x != record.v; });
      };
      const auto shared = others(common), all = others(either);
      sum += all == 0 ? 0.0 : static_cast<double>(shared) / static_cast<double>(all);
    }
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(table.pairs.size()));
}

// Everything after aggregation (score::ScoreAggregates: tie strengths, influence graph,
// propagation, depth and breadth, curves), as a scoring run without --keep-features does it.
void BM_ScoreAggregates(benchmark::State& state) {
  const EventLog& log = Log(state.range(0));
  const Config config = DefaultConfig();
  const score::EventAggregates aggregates = score::AggregateEvents(log, config, log.time.back());
  // Each stage's mean seconds, as counters.
  std::map<std::string, double> stage_seconds;
  const score::StageCallback on_stage = [&](std::string_view stage, double seconds) {
    stage_seconds[std::string(stage)] += seconds;
  };
  for (auto _ : state) {
    state.PauseTiming();
    score::EventAggregates copy = aggregates;
    state.ResumeTiming();
    const score::ScoreRun run = score::ScoreAggregates(std::move(copy), {log.person_id, {}}, config,
                                                       log.time.back(), on_stage,
                                                       /*keep_features=*/false);
    benchmark::DoNotOptimize(run.people.data());
  }
  for (const auto& [stage, seconds] : stage_seconds) {
    state.counters[stage] = seconds / static_cast<double>(state.iterations());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(aggregates.pairs.pairs.size()));
}

template <bool kSerial>
void BM_Propagate(benchmark::State& state) {
  const EventLog& log = Log(state.range(0));
  const score::ScoreRun run = score::ScoreEvents(log, DefaultConfig(), log.time.back());
  // The weighted in-graph of the run, rebuilt as ScoreEvents does: uniform live strengths are
  // enough for timing, since the kernel's cost does not depend on the weights.
  score::WeightedInGraph graph;
  const size_t n = log.person_count();
  graph.offset.assign(n + 1, 0);
  graph.out_weight.assign(n, 0);
  for (const graph::PairRecord& r : run.pairs.pairs) {
    ++graph.offset[r.v + 1];
    ++graph.offset[r.u + 1];
  }
  for (size_t p = 0; p < n; ++p) graph.offset[p + 1] += graph.offset[p];
  graph.source.resize(graph.offset.back());
  graph.weight.resize(graph.offset.back());
  std::vector<uint64_t> cursor(graph.offset.begin(), graph.offset.end() - 1);
  std::vector<double> degree(n, 0);
  for (const graph::PairRecord& r : run.pairs.pairs) ++degree[r.u], ++degree[r.v];
  for (const graph::PairRecord& r : run.pairs.pairs) {
    graph.source[cursor[r.v]] = r.u;
    graph.weight[cursor[r.v]++] = 0.9 / degree[r.u];
    graph.source[cursor[r.u]] = r.v;
    graph.weight[cursor[r.u]++] = 0.9 / degree[r.v];
    graph.out_weight[r.u] += 0.9 / degree[r.u];
    graph.out_weight[r.v] += 0.9 / degree[r.v];
  }
  constexpr int kIterations = 20;
  for (auto _ : state) {
    score::PropagationResult result = kSerial ? score::PropagateSerial(graph, 0.85, kIterations, 0)
                                              : score::Propagate(graph, 0.85, kIterations, 0);
    benchmark::DoNotOptimize(result.standing.data());
  }
  // Edges traversed: every in-edge once per iteration.
  state.SetItemsProcessed(state.iterations() * kIterations *
                          static_cast<int64_t>(graph.source.size()));
}

// PageRank weights on the Kronecker graph of scale 22 (4 Mi vertices, 128 M directed
// edges), relabelled by out-degree; built once.
const score::RelabelledGraph& KroneckerGraph() {
  static const score::RelabelledGraph relabelled = [] {
    bench::KroneckerOptions options;
    options.scale = 22;
    bench::SymmetricCsr csr = bench::MakeKroneckerGraph(options);
    const score::WeightedInGraph graph = bench::PageRankInGraph(csr);
    return score::RelabelByOutDegree(graph);
  }();
  return relabelled;
}

// Argument 0: the plain kernel on the degree-ordered graph; otherwise people a segment.
void BM_PropagateKronecker(benchmark::State& state) {
  const score::RelabelledGraph& relabelled = KroneckerGraph();
  const auto segment_people = static_cast<size_t>(state.range(0));
  const score::SegmentedInGraph segmented =
      segment_people > 0 ? score::SegmentBySource(relabelled.graph, segment_people)
                         : score::SegmentedInGraph{};
  constexpr int kIterations = 10;
  for (auto _ : state) {
    score::PropagationResult result =
        segment_people > 0 ? score::PropagateSegmented(segmented, 0.85, kIterations, 0)
                           : score::Propagate(relabelled.graph, 0.85, kIterations, 0);
    benchmark::DoNotOptimize(result.standing.data());
  }
  state.SetItemsProcessed(state.iterations() * kIterations *
                          static_cast<int64_t>(relabelled.graph.source.size()));
}

// Memory bandwidth: a += s * b over two arrays of 1 GiB, every thread on its own stretch. Bytes
// moved an element: a read, b read, a written.
void BM_MemoryTriad(benchmark::State& state) {
  const int64_t count = int64_t{1} << 27;  // 2^27 doubles: 1 GiB
  std::unique_ptr<double[]> a(new double[count]), b(new double[count]);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < count; ++i) {  // first touch by the thread that will use the page
    a[i] = 1.0;
    b[i] = 2.0;
  }
  for (auto _ : state) {
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < count; ++i) a[i] += 0.5 * b[i];
    benchmark::ClobberMemory();
  }
  benchmark::DoNotOptimize(a[0]);
  state.SetBytesProcessed(state.iterations() * count * 3 * int64_t{sizeof(double)});
}

// Random 4-byte gathers from a 256 MiB array, the access of propagation's pull over people in
// their original order: the places come from a multiplicative hash of a counter, so nothing but
// the gathers touches memory, and every thread has many independent loads in flight.
void BM_RandomGather(benchmark::State& state) {
  constexpr int kLog2Entries = 26;  // 2^26 entries of 4 bytes: 256 MiB
  constexpr int64_t kEntries = int64_t{1} << kLog2Entries, kGathers = int64_t{1} << 24;
  std::unique_ptr<uint32_t[]> values(new uint32_t[kEntries]);
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < kEntries; ++i) values[i] = static_cast<uint32_t>(i);
  uint64_t first = 0;
  for (auto _ : state) {
    uint64_t sum = 0;
#pragma omp parallel for schedule(static) reduction(+ : sum)
    for (int64_t i = 0; i < kGathers; ++i) {
      sum += values[((first + static_cast<uint64_t>(i)) * 0x9E3779B97F4A7C15ull) >>
                    (64 - kLog2Entries)];
    }
    first += kGathers;
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kGathers);
}

BENCHMARK(BM_Generate)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AggregatePairs)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Ties<false>)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Ties<true>)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Embeddedness<false>)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Embeddedness<true>)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ScoreAggregates)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Propagate<false>)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Propagate<true>)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PropagateKronecker)
    ->Arg(0)
    ->Arg(1 << 16)
    ->Arg(1 << 17)
    ->Arg(1 << 18)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK(BM_MemoryTriad)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RandomGather)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace rapport

int main(int argc, char** argv) {
  rapport::ReexecWithHugePageMalloc(argv);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
