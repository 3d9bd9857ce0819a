#include "rapport/score/propagation.h"

#include <algorithm>
#include <cmath>

namespace rapport::score {
namespace {

// Below this many people a parallel region costs more than it saves (measured: `history` on
// CollegeMsg, 1,899 people, ran 14 times slower with two threads than with one).
constexpr int64_t kParallelMin = 50000;

}  // namespace

PropagationResult Propagate(const WeightedInGraph& graph, double damping, int max_iterations,
                            double tolerance) {
  const int64_t n = static_cast<int64_t>(graph.person_count());
  PropagationResult result;
  if (n == 0) return result;
  std::vector<double> standing(n, 1.0 / static_cast<double>(n));
  std::vector<double> next(n);
  for (int iteration = 0; iteration < max_iterations; ++iteration) {
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
    standing.swap(next);
    result.iterations = iteration + 1;
    result.last_change = change;
    if (change < tolerance) break;
  }
  result.standing = std::move(standing);
  return result;
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

PropagationResult PropagateRelabelled(const RelabelledGraph& relabelled, double damping,
                                      int max_iterations, double tolerance) {
  PropagationResult result = Propagate(relabelled.graph, damping, max_iterations, tolerance);
  std::vector<double> standing(result.standing.size());
  for (size_t v = 0; v < standing.size(); ++v) standing[relabelled.old_of[v]] = result.standing[v];
  result.standing = std::move(standing);
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
