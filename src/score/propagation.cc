#include "rapport/score/propagation.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

namespace rapport::score {
namespace {

// Below this many people a parallel region costs more than it saves (measured: `history` on
// CollegeMsg, 1,899 people, ran 14 times slower with two threads than with one).
constexpr int64_t kParallelMin = 50000;

// The iteration around a kernel: from a uniform standing, `step(standing, next)` writes the
// next standing and returns the L1 change, until it is below `tolerance`.
template <typename Step>
PropagationResult Iterate(int64_t n, int max_iterations, double tolerance, Step&& step) {
  PropagationResult result;
  if (n == 0) return result;
  std::vector<double> standing(n, 1.0 / static_cast<double>(n));
  std::vector<double> next(n);
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    const double change = step(standing, next);
    standing.swap(next);
    result.iterations = iteration + 1;
    result.last_change = change;
    if (change < tolerance) break;
  }
  result.standing = std::move(standing);
  return result;
}

}  // namespace

PropagationResult Propagate(const WeightedInGraph& graph, double damping, int max_iterations,
                            double tolerance) {
  const int64_t n = static_cast<int64_t>(graph.person_count());
  const auto step = [&](const std::vector<double>& standing, std::vector<double>& next) {
    double leak = 0;
#pragma omp parallel for reduction(+ : leak) schedule(static) if (n > kParallelMin)
    for (int64_t u = 0; u < n; ++u) leak += standing[u] * (1.0 - graph.out_weight[u]);
    const double base =
        (1.0 - damping) / static_cast<double>(n) + damping * leak / static_cast<double>(n);
    double change = 0;
    // Pull: each v reads its in-neighbours' standing and writes only next[v].
#pragma omp parallel for reduction(+ : change) schedule(dynamic, 4096) if (n > kParallelMin)
    for (int64_t v = 0; v < n; ++v) {
      double incoming = 0;
      for (uint64_t i = graph.offset[v]; i < graph.offset[v + 1]; ++i) {
        incoming += standing[graph.source[i]] * graph.weight[i];
      }
      next[v] = base + damping * incoming;
      change += std::fabs(next[v] - standing[v]);
    }
    return change;
  };
  return Iterate(n, max_iterations, tolerance, step);
}

std::vector<PersonIndex> OutDegreeOrder(const std::vector<uint64_t>& out_degree) {
  // Counting sort by degree, descending; equal degrees keep their order.
  uint64_t max_degree = 0;
  for (uint64_t degree : out_degree) max_degree = std::max(max_degree, degree);
  std::vector<uint64_t> start(max_degree + 2, 0);
  for (uint64_t degree : out_degree) ++start[max_degree - degree + 1];
  for (size_t d = 1; d < start.size(); ++d) start[d] += start[d - 1];
  std::vector<PersonIndex> old_of(out_degree.size());
  for (size_t old = 0; old < out_degree.size(); ++old) {
    old_of[start[max_degree - out_degree[old]]++] = static_cast<PersonIndex>(old);
  }
  return old_of;
}

RelabelledGraph RelabelByOutDegree(const WeightedInGraph& graph) {
  const size_t n = graph.person_count();
  RelabelledGraph result;
  std::vector<uint64_t> out_degree(n, 0);
  for (PersonIndex source : graph.source) ++out_degree[source];
  result.old_of = OutDegreeOrder(out_degree);
  std::vector<PersonIndex> new_of(n);
  for (size_t v = 0; v < n; ++v) new_of[result.old_of[v]] = static_cast<PersonIndex>(v);
  WeightedInGraph& out = result.graph;
  out.offset.assign(n + 1, 0);
  for (size_t v = 0; v < n; ++v) {
    const PersonIndex old = result.old_of[v];
    out.offset[v + 1] = out.offset[v] + (graph.offset[old + 1] - graph.offset[old]);
  }
  out.source.resize(graph.source.size());
  out.weight.resize(graph.weight.size());
  out.out_weight.resize(n);
  const auto people = static_cast<int64_t>(n);
#pragma omp parallel for schedule(dynamic, 4096) if (people > kParallelMin)
  for (int64_t v = 0; v < people; ++v) {
    const PersonIndex old = result.old_of[v];
    uint64_t to = out.offset[v];
    for (uint64_t i = graph.offset[old]; i < graph.offset[old + 1]; ++i, ++to) {
      out.source[to] = new_of[graph.source[i]];
      out.weight[to] = graph.weight[i];
    }
    out.out_weight[v] = graph.out_weight[old];
  }
  return result;
}

namespace {

void ToOriginalLabels(const std::vector<PersonIndex>& old_of, PropagationResult& result) {
  std::vector<double> standing(result.standing.size());
  for (size_t v = 0; v < standing.size(); ++v) standing[old_of[v]] = result.standing[v];
  result.standing = std::move(standing);
}

// Segmenting works on blocks of consecutive targets, each filled by one thread.
constexpr size_t kTargetBlock = size_t{1} << 14;

// How many entries and edges each block of targets has in each segment.
struct SegmentCounts {
  size_t segment_people = 0;
  size_t segment_count = 0;
  size_t block_count = 0;
  std::vector<uint64_t> entries_at;  // [block * segment_count + segment]
  std::vector<uint64_t> edges_at;

  uint64_t entries() const { return std::accumulate(entries_at.begin(), entries_at.end(), 0ull); }
};

template <typename Visit>
void ForEachTargetOfBlock(size_t block, size_t n, Visit&& visit) {
  const size_t end = std::min(n, (block + 1) * kTargetBlock);
  for (size_t v = block * kTargetBlock; v < end; ++v) visit(v);
}

SegmentCounts CountBySegment(const WeightedInGraph& graph, size_t segment_people) {
  const size_t n = graph.person_count();
  // At most kMaxSegments segments, so that the per-block counts stay small.
  constexpr size_t kMaxSegments = 4096;
  SegmentCounts counts;
  counts.segment_people =
      std::max({segment_people, size_t{1}, (n + kMaxSegments - 1) / kMaxSegments});
  counts.segment_count = (n + counts.segment_people - 1) / counts.segment_people;
  counts.block_count = (n + kTargetBlock - 1) / kTargetBlock;
  counts.entries_at.assign(counts.block_count * counts.segment_count, 0);
  counts.edges_at.assign(counts.block_count * counts.segment_count, 0);
  const auto blocks = static_cast<int64_t>(counts.block_count);
#pragma omp parallel for schedule(dynamic, 1) if (n > kParallelMin)
  for (int64_t block = 0; block < blocks; ++block) {
    const size_t at = static_cast<size_t>(block) * counts.segment_count;
    std::vector<size_t> last_target(counts.segment_count, n);
    ForEachTargetOfBlock(static_cast<size_t>(block), n, [&](size_t v) {
      for (uint64_t i = graph.offset[v]; i < graph.offset[v + 1]; ++i) {
        const size_t segment = graph.source[i] / counts.segment_people;
        ++counts.edges_at[at + segment];
        if (last_target[segment] != v) {
          last_target[segment] = v;
          ++counts.entries_at[at + segment];
        }
      }
    });
  }
  return counts;
}

SegmentedInGraph FillSegments(const WeightedInGraph& graph, SegmentCounts&& counts) {
  const size_t n = graph.person_count();
  const size_t segment_count = counts.segment_count;
  SegmentedInGraph result;
  result.out_weight = graph.out_weight;
  result.segments.resize(segment_count);
  // Each block's ranges in each segment: the counts become where the block starts.
  for (size_t segment = 0; segment < segment_count; ++segment) {
    uint64_t entries = 0;
    uint64_t edges = 0;
    for (size_t block = 0; block < counts.block_count; ++block) {
      const size_t at = block * segment_count + segment;
      entries += std::exchange(counts.entries_at[at], entries);
      edges += std::exchange(counts.edges_at[at], edges);
    }
    SegmentedInGraph::Segment& part = result.segments[segment];
    part.target.resize(entries);
    part.end.resize(entries);
    part.source.resize(edges);
    part.weight.resize(edges);
  }
  const auto blocks = static_cast<int64_t>(counts.block_count);
#pragma omp parallel for schedule(dynamic, 1) if (n > kParallelMin)
  for (int64_t block = 0; block < blocks; ++block) {
    uint64_t* entry = &counts.entries_at[static_cast<size_t>(block) * segment_count];
    uint64_t* edge = &counts.edges_at[static_cast<size_t>(block) * segment_count];
    std::vector<size_t> last_target(segment_count, n);
    ForEachTargetOfBlock(static_cast<size_t>(block), n, [&](size_t v) {
      for (uint64_t i = graph.offset[v]; i < graph.offset[v + 1]; ++i) {
        const size_t segment = graph.source[i] / counts.segment_people;
        SegmentedInGraph::Segment& part = result.segments[segment];
        // The first edge of v in this segment opens its entry; every edge moves its end.
        if (last_target[segment] != v) {
          last_target[segment] = v;
          part.target[entry[segment]++] = static_cast<PersonIndex>(v);
        }
        part.source[edge[segment]] = graph.source[i];
        part.weight[edge[segment]] = graph.weight[i];
        part.end[entry[segment] - 1] = ++edge[segment];
      }
    });
  }
  return result;
}

}  // namespace

PropagationResult PropagateRelabelled(const RelabelledGraph& relabelled, double damping,
                                      int max_iterations, double tolerance) {
  PropagationResult result = Propagate(relabelled.graph, damping, max_iterations, tolerance);
  ToOriginalLabels(relabelled.old_of, result);
  return result;
}

SegmentedInGraph SegmentBySource(const WeightedInGraph& graph, size_t segment_people) {
  if (graph.person_count() == 0) return {};
  return FillSegments(graph, CountBySegment(graph, segment_people));
}

PropagationResult PropagateSegmented(const SegmentedInGraph& graph, double damping,
                                     int max_iterations, double tolerance) {
  const int64_t n = static_cast<int64_t>(graph.person_count());
  const auto step = [&](const std::vector<double>& standing, std::vector<double>& next) {
    double leak = 0;
    double change = 0;
#pragma omp parallel if (n > kParallelMin)
    {
#pragma omp for reduction(+ : leak) schedule(static)
      for (int64_t u = 0; u < n; ++u) {
        leak += standing[u] * (1.0 - graph.out_weight[u]);
        next[u] = 0;
      }
      // One segment at a time (the barrier at the end of each loop keeps two segments from
      // adding to the same target at once); within a segment the targets are distinct.
      for (const SegmentedInGraph::Segment& part : graph.segments) {
        const auto entries = static_cast<int64_t>(part.target.size());
#pragma omp for schedule(dynamic, 1024)
        for (int64_t j = 0; j < entries; ++j) {
          double incoming = 0;
          for (uint64_t i = j == 0 ? 0 : part.end[j - 1]; i < part.end[j]; ++i) {
            incoming += standing[part.source[i]] * part.weight[i];
          }
          next[part.target[j]] += incoming;
        }
      }
      const double base =
          (1.0 - damping) / static_cast<double>(n) + damping * leak / static_cast<double>(n);
#pragma omp for reduction(+ : change) schedule(static)
      for (int64_t v = 0; v < n; ++v) {
        next[v] = base + damping * next[v];
        change += std::fabs(next[v] - standing[v]);
      }
    }
    return change;
  };
  return Iterate(n, max_iterations, tolerance, step);
}

PropagationResult PropagateDegreeOrdered(RelabelledGraph&& relabelled, double damping,
                                         int max_iterations, double tolerance,
                                         size_t segment_people, double min_edges_per_entry) {
  const WeightedInGraph& graph = relabelled.graph;
  if (graph.person_count() <= segment_people) {
    return PropagateRelabelled(relabelled, damping, max_iterations, tolerance);
  }
  SegmentCounts counts = CountBySegment(graph, segment_people);
  if (static_cast<double>(counts.entries()) * min_edges_per_entry >
      static_cast<double>(graph.source.size())) {
    return PropagateRelabelled(relabelled, damping, max_iterations, tolerance);
  }
  const SegmentedInGraph segmented = FillSegments(graph, std::move(counts));
  relabelled.graph = {};
  PropagationResult result = PropagateSegmented(segmented, damping, max_iterations, tolerance);
  ToOriginalLabels(relabelled.old_of, result);
  return result;
}

PropagationResult PropagateSerial(const WeightedInGraph& graph, double damping, int max_iterations,
                                  double tolerance) {
  const size_t n = graph.person_count();
  PropagationResult result;
  if (n == 0) return result;
  std::vector<double> standing(n, 1.0 / static_cast<double>(n));
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    // Push every edge's share, then spread what leaked and what damping holds back.
    std::vector<double> next(n, 0.0);
    double passed = 0;
    for (size_t v = 0; v < n; ++v) {
      for (uint64_t i = graph.offset[v]; i < graph.offset[v + 1]; ++i) {
        double share = standing[graph.source[i]] * graph.weight[i];
        next[v] += damping * share;
        passed += share;
      }
    }
    double spread = (1.0 - damping * passed) / static_cast<double>(n);
    double change = 0;
    for (size_t v = 0; v < n; ++v) {
      next[v] += spread;
      change += std::fabs(next[v] - standing[v]);
    }
    standing = std::move(next);
    result.iterations = iteration + 1;
    result.last_change = change;
    if (change < tolerance) break;
  }
  result.standing = std::move(standing);
  return result;
}

}  // namespace rapport::score
